import type { Memgate, Principal } from '@memgate/core';
import type { RequestHandler, Response } from 'express';

/** Authenticates every /v1 request by its bearer API key (contract §2). */
export function authenticate(memgate: Memgate): RequestHandler {
  return async (request, response, next) => {
    // A route that authenticates before reading its body (an Agent File import) is not asked twice.
    response.locals['principal'] ??= await memgate.admin.authenticate(request.headers.authorization);
    next();
  };
}

/** The caller set by `authenticate`. */
export function principalOf(response: Response): Principal {
  return response.locals['principal'] as Principal;
}
