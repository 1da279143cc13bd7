import { Client, type CombinedError, fetchExchange } from '@urql/core';
import { type FormEvent, useState } from 'react';
import { graphql } from '../gql/index.ts';
import { shownError } from '../graphql/errors.ts';
import { useAuth } from './auth-context.tsx';

const WhoAmI = graphql(`
  query WhoAmI {
    limits {
      userId
    }
  }
`);

/** Checks a key with one query before keeping it, so a wrong key is told at once. */
async function checkKey(apiKey: string): Promise<CombinedError | null> {
  const probe = new Client({
    url: '/graphql',
    exchanges: [fetchExchange],
    fetchOptions: { headers: { authorization: `Bearer ${apiKey}` } },
  });
  const result = await probe.query(WhoAmI, {}, { requestPolicy: 'network-only' }).toPromise();
  return result.error ?? null;
}

export function SignIn() {
  const { signIn } = useAuth();
  const [apiKey, setApiKey] = useState('');
  const [failure, setFailure] = useState<{ message: string; requestId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const key = apiKey.trim();
    if (!key) {
      setFailure({ message: 'Enter an API key.', requestId: null });
      return;
    }
    setBusy(true);
    const error = await checkKey(key);
    setBusy(false);
    if (!error) {
      signIn(key);
      return;
    }
    const shown = shownError(error);
    setFailure({
      message: shown.unauthorized ? 'That API key was not accepted. Check it and try again.' : shown.message,
      requestId: shown.requestId,
    });
  }

  return (
    <main className="sign-in">
      <h1>memgate console</h1>
      <form onSubmit={submit} noValidate>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          aria-describedby={failure ? 'sign-in-error' : undefined}
          aria-invalid={failure ? true : undefined}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {failure && (
          <p id="sign-in-error" role="alert" className="error-notice">
            {failure.message}
            {failure.requestId && (
              <>
                {' '}
                (request id <code>{failure.requestId}</code>)
              </>
            )}
          </p>
        )}
      </form>
      <p className="hint">The key is kept in this tab only (sessionStorage) and sent as a bearer token.</p>
    </main>
  );
}
