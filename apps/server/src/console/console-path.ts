/** What a path under `/console` asks for. */
export type ConsolePath =
  | { kind: 'redirect'; location: string }
  | { kind: 'index' }
  /** A hashed build asset (`/console/assets/…`): long-cached, 404 when missing. */
  | { kind: 'asset'; path: string }
  /** Any other file name with an extension at the top of the build (e.g. `robots.txt`). */
  | { kind: 'file'; path: string }
  | { kind: 'bad'; reason: string };

const ASSETS = '/assets/';

/**
 * Classifies a request URL under the `/console` mount. `path` in the result is still URL-encoded
 * (relative to the build directory, for `send`); it has been decoded once here to refuse
 * traversal, encoded separators, NUL bytes and malformed escapes.
 */
export function parseConsolePath(url: string): ConsolePath {
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const rest = pathname.slice('/console'.length);
  if (rest === '') return { kind: 'redirect', location: `/console/${query}` };
  if (rest === '/') return { kind: 'index' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { kind: 'bad', reason: 'The path has a malformed percent-encoding.' };
  }
  // Checked on the decoded path: `%2e%2e%2f` is as much a traversal as `../`.
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { kind: 'bad', reason: 'The path has a forbidden character.' };
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { kind: 'bad', reason: 'The path may not contain "." or ".." segments.' };
  }
  // An encoded slash would make the decoded path differ from the segments the URL shows.
  if (/%2f/i.test(rest)) return { kind: 'bad', reason: 'The path may not contain an encoded "/".' };
  if (decoded === '/assets' || decoded.startsWith(ASSETS)) return { kind: 'asset', path: rest };
  const last = segments.at(-1) ?? '';
  // A name with an extension is a file request (404 when missing); anything else is a client-side
  // route and gets the app.
  if (last.includes('.')) return { kind: 'file', path: rest };
  return { kind: 'index' };
}
