import { describe, expect, it } from 'vitest';
import { corsAllowedOrigin, isOriginAllowed, parseCorsOrigins } from './cors-origins.ts';

describe('parseCorsOrigins', () => {
  it('allows none by default', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('  ')).toEqual([]);
  });

  it('reads `*` and comma lists, normalised to origins', () => {
    expect(parseCorsOrigins('*')).toBe('*');
    expect(parseCorsOrigins(' https://App.example.com/ , http://localhost:5173')).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses entries that are not origins', () => {
    expect(() => parseCorsOrigins('app.example.com')).toThrow(/app\.example\.com/);
    expect(() => parseCorsOrigins('https://app.example.com/path')).toThrow(/scheme, host and port only/);
    expect(() => parseCorsOrigins('ftp://files.example.com')).toThrow(
      /scheme, host and port only, such as https:\/\/app\.example\.com, not "ftp:/,
    );
    expect(() => parseCorsOrigins('*,https://a.example')).toThrow(/alone/);
  });
});

describe('isOriginAllowed', () => {
  it('allows requests without an Origin (non-browser clients)', () => {
    expect(isOriginAllowed([], undefined)).toBe(true);
  });

  it('allows listed origins only, and `*` any', () => {
    expect(isOriginAllowed(['https://app.example.com'], 'https://app.example.com')).toBe(true);
    expect(isOriginAllowed(['https://app.example.com'], 'https://evil.example.com')).toBe(false);
    expect(isOriginAllowed([], 'https://app.example.com')).toBe(false);
    expect(isOriginAllowed('*', 'https://anything.example')).toBe(true);
  });

  it('gives the origin to echo in CORS headers, or null', () => {
    expect(corsAllowedOrigin(['https://app.example.com'], 'https://app.example.com')).toBe('https://app.example.com');
    expect(corsAllowedOrigin(['https://app.example.com'], 'https://evil.example.com')).toBeNull();
    expect(corsAllowedOrigin('*', undefined)).toBeNull();
  });
});
