import { describe, expect, it } from 'vitest';
import { messageSearchText, searchTerms } from './search-text.ts';

describe('searchTerms', () => {
  it('keeps lower-cased words, drops stopwords and duplicates', () => {
    expect(searchTerms("What is the user's favourite COLOUR? colour!")).toEqual(['user', 'favourite', 'colour']);
  });

  it('keeps stopwords when the query has nothing else', () => {
    expect(searchTerms('who is it')).toEqual(['who', 'is', 'it']);
  });

  it('turns query syntax into plain words', () => {
    expect(searchTerms('"NEAR(a b)" OR -x:* ^title')).toEqual(['near', 'title']);
    expect(searchTerms('  ?!  ')).toEqual([]);
  });
});

describe('messageSearchText', () => {
  const call = (name: string, args: string) => ({
    id: 'call_1',
    type: 'function' as const,
    function: { name, arguments: args },
  });

  it('indexes what the user wrote and what the assistant said or sent', () => {
    expect(messageSearchText({ role: 'user', content: 'hello', toolCalls: null })).toBe('hello');
    expect(
      messageSearchText({
        role: 'assistant',
        content: 'thinking',
        toolCalls: [call('send_message', '{"message":"Hi Ada"}'), call('core_memory_append', '{"content":"x"}')],
      }),
    ).toBe('thinking\nHi Ada');
  });

  it('leaves out tool results, system alerts, garbled arguments and empty text', () => {
    expect(messageSearchText({ role: 'tool', content: '{"status":"OK"}', toolCalls: null })).toBeNull();
    expect(messageSearchText({ role: 'system', content: 'alert', toolCalls: null })).toBeNull();
    expect(
      messageSearchText({ role: 'assistant', content: null, toolCalls: [call('send_message', '{oops')] }),
    ).toBeNull();
    expect(messageSearchText({ role: 'user', content: '   ', toolCalls: null })).toBeNull();
  });
});
