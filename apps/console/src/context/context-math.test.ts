import { describe, expect, it } from 'vitest';
import { barSegments, contextValueText, formatTokens, markerPosition, percentOf } from './context-math.ts';

const tokens = { system: 1234, tools: 500, memory: 800, summary: 0, messages: 676, total: 3210 };

describe('context math', () => {
  it('prints token counts with en-US grouping, whatever the locale', () => {
    expect(formatTokens(128000)).toBe('128,000');
    expect(formatTokens(7)).toBe('7');
  });

  it('rounds percentages and gives 0 for an empty window', () => {
    expect(percentOf(3210, 128000)).toBe(3);
    expect(percentOf(96000, 128000)).toBe(75);
    expect(percentOf(5, 0)).toBe(0);
  });

  it('writes the meter value text', () => {
    expect(contextValueText(3210, 128000)).toBe('3,210 of 128,000 tokens (3%)');
  });

  it('lays the parts end to end against the window', () => {
    const segments = barSegments(tokens, 10000);
    expect(segments.map((segment) => segment.key)).toEqual(['system', 'tools', 'memory', 'summary', 'messages']);
    expect(segments[0]).toMatchObject({ start: 0, width: 12.34, tokens: 1234 });
    expect(segments[1]?.start).toBeCloseTo(12.34);
    expect(segments[3]?.width).toBe(0);
    const last = segments[4]!;
    expect(last.start + last.width).toBeCloseTo(32.1);
  });

  it('keeps an overflowing prompt inside the bar', () => {
    const over = { ...tokens, messages: 10676, total: 13210 };
    const segments = barSegments(over, 10000);
    const last = segments[4]!;
    expect(last.start + last.width).toBeCloseTo(100);
    expect(markerPosition(7500, over, 10000)).toBeCloseTo((7500 / 13210) * 100);
  });

  it('places the thresholds at their share of the window', () => {
    expect(markerPosition(96000, tokens, 128000)).toBe(75);
    expect(markerPosition(115200, tokens, 128000)).toBe(90);
  });
});
