import { describe, expect, it } from 'vitest';
import { appendMessage, mergeLatest, prependPage } from './message-merge.ts';

const ids = (...names: string[]) => names.map((id) => ({ id }));
const names = (list: { id: string }[]) => list.map((message) => message.id).join(',');

describe('message merge', () => {
  it('lays the latest page over what is shown, keeping earlier pages and later events', () => {
    expect(names(mergeLatest(ids('a', 'b', 'c', 'e'), ids('b', 'c', 'd')))).toBe('a,b,c,d,e');
  });

  it('replaces everything when the latest page does not overlap', () => {
    expect(names(mergeLatest(ids('a', 'b'), ids('x', 'y')))).toBe('x,y');
    expect(mergeLatest(ids('a'), [])).toEqual([]);
  });

  it('never shows an event twice', () => {
    const shown = appendMessage(ids('a', 'b'), { id: 'b' });
    expect(names(shown)).toBe('a,b');
    expect(names(appendMessage(shown, { id: 'c' }))).toBe('a,b,c');
  });

  it('puts an earlier page in front without duplicates', () => {
    expect(names(prependPage(ids('c', 'd'), ids('a', 'b', 'c')))).toBe('a,b,c,d');
  });
});
