/**
 * The API key lives in sessionStorage only: never in a URL, a log or localStorage, and it is
 * gone when the tab closes.
 */
const KEY = 'memgate.apiKey';

export function storedApiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeApiKey(apiKey: string): void {
  sessionStorage.setItem(KEY, apiKey);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(KEY);
}
