import { hash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'mg-';

/** A new API key: 32 random bytes, URL-safe. Shown once, stored only as its hash. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of the key. Keys carry 256 bits of entropy, so a fast hash is safe here (no
 * dictionary to attack) and keeps authentication off the hot path's budget. The one-shot
 * `crypto.hash` makes no Hash object per request (0.25 against 0.6–1.2 µs measured alone).
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The first characters of a key, to tell keys apart without revealing them. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

/** Extracts the token from an `Authorization: Bearer …` value; null when absent or malformed. */
export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
