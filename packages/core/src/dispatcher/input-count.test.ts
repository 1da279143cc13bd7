import { describe, expect, it } from 'vitest';
import { MemgateError } from '../errors/memgate-error.ts';
import { assertInputCount, DEFAULT_MAX_INPUT_MESSAGES } from './new-input.ts';

const user = (content: string) => ({ role: 'user', content });
const users = (count: number) => Array.from({ length: count }, (_, index) => user(`m${index}`));

describe('assertInputCount', () => {
  it('allows 256 new input messages by default and refuses 257 at messages', () => {
    expect(DEFAULT_MAX_INPUT_MESSAGES).toBe(256);
    expect(() => assertInputCount({ messages: users(256) }, DEFAULT_MAX_INPUT_MESSAGES)).not.toThrow();
    let error: unknown;
    try {
      assertInputCount({ messages: users(257) }, DEFAULT_MAX_INPUT_MESSAGES);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MemgateError);
    expect((error as MemgateError).status).toBe(422);
    expect((error as MemgateError).param).toBe('messages');
    expect((error as MemgateError).detailCode).toBe('too_many_messages');
  });

  it('counts only the input after the last assistant message: a resent history is not new', () => {
    const history = [...users(1000), { role: 'assistant', content: 'ok' }, user('new')];
    expect(() => assertInputCount({ messages: history }, 4)).not.toThrow();
    const tools = [{ role: 'assistant', content: null }, ...Array.from({ length: 5 }, () => ({ role: 'tool' }))];
    expect(() => assertInputCount({ messages: tools }, 4)).toThrow(/at most 4 new input messages/);
  });

  it('leaves anything that is not a message list to the schema', () => {
    for (const body of [null, 'text', { messages: 'x' }, { messages: [1, null, 'a'] }]) {
      expect(() => assertInputCount(body, 1)).not.toThrow();
    }
  });
});
