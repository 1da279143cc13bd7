import { describe, expect, it } from 'vitest';
import { appendPage, mayHaveMore, newestFirst } from './passage-pages.ts';

const passage = (id: string) => ({ id, content: `text ${id}`, createdAt: '2026-12-03T00:00:00Z' });

describe('passage pages', () => {
  it('appends an older page after the shown passages, without repeating any', () => {
    const shown = [passage('p5'), passage('p4')];
    expect(appendPage(shown, [passage('p4'), passage('p3')]).map((entry) => entry.id)).toEqual(['p5', 'p4', 'p3']);
    expect(appendPage([], [passage('p1')]).map((entry) => entry.id)).toEqual(['p1']);
  });

  it('turns a page (oldest first, as the server sends it) newest first, leaving the page as it was', () => {
    const page = [passage('p1'), passage('p2'), passage('p3')];
    expect(newestFirst(page).map((entry) => entry.id)).toEqual(['p3', 'p2', 'p1']);
    expect(page[0]?.id).toBe('p1');
  });

  it('offers more only after a full page', () => {
    expect(mayHaveMore([1, 2], 2)).toBe(true);
    expect(mayHaveMore([1], 2)).toBe(false);
    expect(mayHaveMore([], 2)).toBe(false);
  });
});
