import { describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../events/event-bus.ts';
import { KeySessions } from './key-sessions.ts';

describe('KeySessions', () => {
  it('ends every session of a revoked key once, and no other', async () => {
    const events = new InProcessEventBus();
    const sessions = new KeySessions(events);
    const ended: string[] = [];
    sessions.watch({ userId: 'u', keyId: 'key-a' }, (reason) => ended.push(`a1: ${reason}`));
    sessions.watch({ userId: 'u', keyId: 'key-a' }, (reason) => ended.push(`a2: ${reason}`));
    sessions.watch({ userId: 'u', keyId: 'key-b' }, (reason) => ended.push(`b: ${reason}`));

    await events.publishKeysRevoked(['key-a', 'key-unknown']);
    await events.publishKeysRevoked(['key-a']);
    expect(ended).toEqual(['a1: API key revoked.', 'a2: API key revoked.']);
  });

  it('stops watching a session that closed by itself', async () => {
    const events = new InProcessEventBus();
    const sessions = new KeySessions(events);
    const ended: string[] = [];
    const stop = sessions.watch({ userId: 'u', keyId: 'key-a', expiresAt: null }, (reason) => ended.push(reason));
    stop();
    await events.publishKeysRevoked(['key-a']);
    expect(ended).toEqual([]);
  });

  it('ends a session when its key expires, at once for a key already expired', async () => {
    const sessions = new KeySessions(new InProcessEventBus());
    const ended: string[] = [];
    sessions.watch({ userId: 'u', keyId: 'old', expiresAt: '2001-01-01T00:00:00.000Z' }, (reason) =>
      ended.push(`old: ${reason}`),
    );
    expect(ended).toEqual(['old: API key expired.']);
    const expiresAt = new Date(Date.now() + 50).toISOString();
    const expired = new Promise<string>((resolve) =>
      sessions.watch({ userId: 'u', keyId: 'soon', expiresAt }, resolve),
    );
    expect(await expired).toBe('API key expired.');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it("keeps a key's expiry for its other sessions when one stops, and ends each session once", async () => {
    const sessions = new KeySessions(new InProcessEventBus());
    const ended: string[] = [];
    const principal = { userId: 'u', keyId: 'shared', expiresAt: new Date(Date.now() + 50).toISOString() };
    const stopFirst = sessions.watch(principal, (reason) => ended.push(`first: ${reason}`));
    const end = (reason: string) => ended.push(`twice: ${reason}`);
    const stopSecond = sessions.watch(principal, end);
    sessions.watch(principal, end);
    stopFirst();
    stopFirst();
    await new Promise<void>((resolve) => sessions.watch(principal, () => resolve()));
    stopSecond();
    expect(ended).toEqual(['twice: API key expired.', 'twice: API key expired.']);
  });

  it('watches nothing for a principal without a key (the CLI)', async () => {
    const events = new InProcessEventBus();
    const ended: string[] = [];
    new KeySessions(events).watch({ userId: 'u' }, (reason) => ended.push(reason));
    await events.publishKeysRevoked(['key-a']);
    expect(ended).toEqual([]);
  });
});
