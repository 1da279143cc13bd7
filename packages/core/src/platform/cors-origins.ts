/**
 * The browser origins allowed to call memgate (MEMGATE_CORS_ORIGINS): every origin (`*`), or a
 * list, empty by default. One value for REST, GraphQL and the WebSocket `Origin` check.
 */
export type CorsOrigins = '*' | readonly string[];

/**
 * Parses MEMGATE_CORS_ORIGINS: `*`, or a comma list of origins (`scheme://host[:port]`, no path).
 * Unset or blank allows none. Throws a message naming the bad entry.
 */
export function parseCorsOrigins(value: string | undefined): CorsOrigins {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.includes('*')) {
    if (entries.length > 1) throw new Error('`*` alone, or a comma list of origins without it');
    return '*';
  }
  return entries.map(parseOrigin);
}

function parseOrigin(entry: string): string {
  const withoutSlash = entry.endsWith('/') ? entry.slice(0, -1) : entry;
  let url: URL;
  try {
    url = new URL(withoutSlash);
  } catch {
    throw new Error(`origins such as https://app.example.com, not "${entry}"`);
  }
  // An origin is scheme, host and port only: a path, query or credentials would never match a browser's Origin.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== withoutSlash.toLowerCase()) {
    throw new Error(`origins of scheme, host and port only, such as https://app.example.com, not "${entry}"`);
  }
  return url.origin;
}

/**
 * Whether a request's `Origin` header may use the API. No header means a non-browser client,
 * which CORS does not concern: allowed. `null` (sandboxed frames, `file:`) matches only `*`.
 */
export function isOriginAllowed(origins: CorsOrigins, origin: string | undefined | null): boolean {
  if (origin === undefined || origin === null) return true;
  if (origins === '*') return true;
  return origins.includes(origin.toLowerCase());
}

/** Whether a browser origin (an `Origin` header is present) is in the list, for CORS response headers. */
export function corsAllowedOrigin(origins: CorsOrigins, origin: string | undefined | null): string | null {
  if (!origin) return null;
  return origins === '*' || origins.includes(origin.toLowerCase()) ? origin : null;
}

/** Response headers a browser script may read, on REST and GraphQL alike. */
export const CORS_EXPOSED_HEADERS = [
  'retry-after',
  'server-timing',
  'x-memgate-conversation',
  'x-memgate-rewound',
  'x-request-id',
] as const;
/** How long a browser may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;
