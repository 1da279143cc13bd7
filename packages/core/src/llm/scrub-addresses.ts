const REPLACEMENT = '[upstream]';

/**
 * URLs (`scheme://…`), bracketed IPv6 addresses, IPv4 addresses and `host:port` pairs: what a
 * proxy's or a server's error text may say about where it runs.
 */
const ADDRESS_PATTERNS = [
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi,
  /\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi,
  /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g,
  // Dotted names and localhost only: `length:4096` in an error text is not an address.
  /\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{1,5}\b/gi,
];

/**
 * Removes network addresses, and the given host wherever it appears, from text a client will read;
 * each becomes `replacement`.
 */
export function scrubAddresses(text: string, host?: string, replacement = REPLACEMENT): string {
  let clean = text;
  for (const pattern of ADDRESS_PATTERNS) clean = clean.replace(pattern, replacement);
  if (host && host.length >= 3) clean = clean.split(host).join(replacement);
  return clean;
}
