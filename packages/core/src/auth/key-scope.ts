import type { Principal } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';

/**
 * The one check of a key's scope, made by every core operation that runs a turn or writes
 * (so REST, GraphQL and the WebSocket channel refuse alike): a `read` key gets 403
 * `insufficient_scope`. Principals without a scope (the CLI) are `full`.
 */
export function requireWriteScope(principal: Principal): void {
  if (principal.scope === 'read') {
    throw new MemgateError(
      'FORBIDDEN',
      'This API key is read-only (scope "read"): it can read agents, messages and memory, but not run turns or write.',
      { detailCode: 'insufficient_scope' },
    );
  }
}
