import { describe, expect, it } from 'vitest';
import { firstDivergence, sharesNothing } from './transcript-reconcile.ts';

const sent = (...turns: [string, boolean][]) => turns.map(([text, answered]) => ({ text, answered }));
const stored = (...turns: [string, boolean][]) => turns.map(([text, answered], seq) => ({ text, answered, seq }));

describe('firstDivergence: where a chat UI’s transcript leaves the stored conversation', () => {
  it('finds nothing when the transcript continues the stored exchange', () => {
    expect(firstDivergence(sent(['q1', true], ['q2', false]), stored(['q1', true]))).toBeUndefined();
    // A longer transcript than the store holds is no divergence either.
    expect(firstDivergence(sent(['x', true], ['q1', false]), stored())).toBeUndefined();
    // Whitespace around a message does not count.
    expect(firstDivergence(sent([' q1 ', true]), stored(['q1', true]))).toBeUndefined();
  });

  it('finds a regenerate: a stored answered question sent again as new input', () => {
    expect(firstDivergence(sent(['q1', true], ['q2', false]), stored(['q1', true], ['q2', true]))?.seq).toBe(1);
  });

  it('does not treat a failed attempt being retried as a divergence', () => {
    expect(firstDivergence(sent(['q1', true], ['q2', false]), stored(['q1', true], ['q2', false]))).toBeUndefined();
  });

  it('finds an edited message, and stored messages the client no longer sends', () => {
    expect(firstDivergence(sent(['q1 edited', false]), stored(['q1', true], ['q2', true]))?.seq).toBe(0);
    expect(firstDivergence(sent(['q1', true]), stored(['q1', true], ['q2', true], ['q3', true]))?.seq).toBe(1);
  });

  it('tells a transcript that shares nothing with the chat (a chat UI’s background task) apart', () => {
    expect(sharesNothing(sent(['### Task: title', false]), stored(['q1', true], ['q2', true]))).toBe(true);
    expect(sharesNothing(sent(['q1', true], ['q2 edited', false]), stored(['q1', true], ['q2', true]))).toBe(false);
    expect(sharesNothing(sent(['anything', false]), stored())).toBe(false);
  });
});
