/** Light or dark: the system's choice until the user picks one (kept in localStorage; not a secret). */
export type Theme = 'light' | 'dark';
const KEY = 'memgate.theme';

export function currentTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
}

export function applyStoredTheme(): void {
  applyTheme(currentTheme());
}

export function storeTheme(theme: Theme): void {
  localStorage.setItem(KEY, theme);
  applyTheme(theme);
}
