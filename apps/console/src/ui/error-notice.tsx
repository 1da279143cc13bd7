import type { CombinedError } from '@urql/core';
import { shownError } from '../graphql/errors.ts';

/** A failed request as an alert: the server's message and its request id (to quote in a report). */
export function ErrorNotice({ error, title }: { error: CombinedError | undefined | null; title?: string }) {
  if (!error) return null;
  const shown = shownError(error);
  return (
    <div role="alert" className="error-notice">
      {title && <strong>{title}: </strong>}
      <span>{shown.message}</span>
      {shown.requestId && !shown.message.includes(shown.requestId) && (
        <span className="request-id">
          {' '}
          (request id <code>{shown.requestId}</code>)
        </span>
      )}
    </div>
  );
}
