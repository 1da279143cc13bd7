import { createHash } from 'node:crypto';
import type { LlmCallOptions, LlmRequest } from '../llm/provider.ts';

/** Who an upstream call is made for: sent upstream so that a gateway in front of the model can attribute spend. */
export interface CallIdentity {
  userId: string;
  agentId: string;
}

/**
 * A stable, opaque id of a user's agent for OpenAI's `safety_identifier`: the first 32 hex digits
 * of SHA-256 of `user:agent`. The same pair always gives the same id; the ids cannot be read back.
 */
export function safetyIdentifier(identity: CallIdentity): string {
  return createHash('sha256').update(`${identity.userId}:${identity.agentId}`).digest('hex').slice(0, 32);
}

/** The request with the identity's `safety_identifier`, unless the client gave one of its own. */
export function withSafetyIdentifier(request: LlmRequest, identity: CallIdentity): LlmRequest {
  if (request.sampling.safety_identifier !== undefined) return request;
  return { ...request, sampling: { ...request.sampling, safety_identifier: safetyIdentifier(identity) } };
}

/** The call options with `x-memgate-user` and `x-memgate-agent` (the ids themselves: not secrets). */
export function withIdentityHeaders(options: LlmCallOptions, identity: CallIdentity): LlmCallOptions {
  return {
    ...options,
    headers: { ...options.headers, 'x-memgate-user': identity.userId, 'x-memgate-agent': identity.agentId },
  };
}
