import { CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, type CorsOrigins, corsAllowedOrigin } from '@memgate/core';
import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for the REST API (the `cors` package): a listed origin gets itself back in
 * `Access-Control-Allow-Origin` (with `Vary: Origin`), any other gets no CORS headers. Keys travel
 * as bearer headers, never cookies, so credentials are not allowed.
 */
export function corsMiddleware(origins: CorsOrigins): RequestHandler[] {
  const allowListed = cors({
    origin: (origin, callback) => callback(null, corsAllowedOrigin(origins, origin) ?? false),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
  });
  // A preflight the list refused falls through `cors`: answer it here, without CORS headers, rather
  // than let it reach authentication (401) or the 404 handler.
  const endPreflight: RequestHandler = (request, response, next) => {
    if (request.method !== 'OPTIONS') return next();
    response.setHeader('content-length', '0');
    response.status(204).end();
  };
  return [allowListed, endPreflight];
}
