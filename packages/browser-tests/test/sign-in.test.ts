import { describe, expect, it } from 'vitest';
import { signIn } from './console-actions.ts';
import { consoleEnvironment } from './console-environment.ts';

const env = consoleEnvironment();

describe('sign-in', () => {
  it('signs in with a key, keeps it in sessionStorage only, and signs out', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    expect(page.url()).not.toContain(env.server.apiKey);
    const stored = await page.evaluate(() => ({
      session: JSON.stringify(Object.values(sessionStorage)),
      local: JSON.stringify(Object.values(localStorage)),
      cookies: document.cookie,
    }));
    expect(stored.session).toContain(env.server.apiKey);
    expect(stored.local).not.toContain(env.server.apiKey);
    expect(stored.cookies).toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => JSON.stringify(Object.values(sessionStorage)))).not.toContain(env.server.apiKey);
  });

  it('tells a wrong key clearly and stays on the sign-in screen', async () => {
    const { page } = await env.open();
    await page.getByLabel('API key').fill('mg-wrong-key-0000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/not accepted/i);
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('heading', { name: 'Agents' }).count()).toBe(0);
  });

  it('asks for a key when the field is empty', async () => {
    const { page } = await env.open();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/enter an api key/i);
  });

  it('keeps the key across a reload of the tab', async () => {
    const { page } = await env.open();
    await signIn(page, env.server.apiKey);
    await page.reload();
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
  });
});
