import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Provider } from 'urql';
import { type ConsoleClient, createConsoleClient, type LinkState } from '../graphql/client.ts';
import { forgetApiKey, storeApiKey, storedApiKey } from './session.ts';

interface Auth {
  signedIn: boolean;
  linkState: LinkState;
  /** Keeps a key the server accepted (see SignIn) and opens the client with it. */
  signIn(apiKey: string): void;
  signOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** Holds the key (sessionStorage) and the GraphQL client made with it; children get urql's Provider. */
export function AuthProvider({ signedOut, children }: { signedOut: ReactNode; children: ReactNode }) {
  const [apiKey, setApiKey] = useState<string | null>(() => storedApiKey());
  const [linkState, setLinkState] = useState<LinkState>('idle');
  const client = useMemo<ConsoleClient | null>(
    () => (apiKey ? createConsoleClient({ apiKey, onLinkState: setLinkState }) : null),
    [apiKey],
  );
  useEffect(() => () => client?.dispose(), [client]);
  const signIn = useCallback((key: string) => {
    storeApiKey(key);
    setApiKey(key);
  }, []);
  const signOut = useCallback(() => {
    forgetApiKey();
    setApiKey(null);
  }, []);
  useEffect(() => {
    // The socket refused the key (revoked since sign-in): back to the sign-in screen.
    if (linkState === 'unauthorized') signOut();
  }, [linkState, signOut]);
  const auth = useMemo(
    () => ({ signedIn: client !== null, linkState, signIn, signOut }),
    [client, linkState, signIn, signOut],
  );
  return (
    <AuthContext.Provider value={auth}>
      {client ? <Provider value={client.urql}>{children}</Provider> : signedOut}
    </AuthContext.Provider>
  );
}
