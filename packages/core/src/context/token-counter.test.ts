import { describe, expect, it } from 'vitest';
import { countMessageTokens, countTextTokens, countToolTokens, truncateToTokens } from './token-counter.ts';

describe('token counting', () => {
  it('counts with the o200k tokenizer, special-token text included', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('stays close to the whole-text count on long prose, and fast on a run without spaces', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(500);
    const count = countTextTokens(prose);
    expect(count).toBeGreaterThanOrEqual(5000);
    expect(count).toBeLessThan(5000 * 1.01);
    // Tokenized whole, this run takes minutes (BPE is quadratic in it) and the test times out.
    expect(countTextTokens('x'.repeat(200_000))).toBeGreaterThan(10_000);
  });

  it('counts a message with its tool calls and framing', () => {
    const plain = countMessageTokens({ role: 'user', content: 'hello world' });
    expect(plain).toBe(2 + 4);
    const withCall = countMessageTokens({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'send_message', arguments: '{"message":"hi"}' } }],
    });
    expect(withCall).toBeGreaterThan(12);
    expect(countToolTokens([])).toBe(0);
  });

  it('truncates to a token budget, marking the cut', () => {
    const text = 'word '.repeat(1000);
    const cut = truncateToTokens(text, 50);
    expect(cut.endsWith('…')).toBe(true);
    expect(countTextTokens(cut)).toBeLessThanOrEqual(50);
    expect(truncateToTokens('short', 50)).toBe('short');
  });

  it("counts an image at OpenAI's low-detail price, or as a 1024×1024 picture at high or auto detail", () => {
    const text = countMessageTokens({ role: 'user', content: 'Look' });
    const withImage = (detail?: 'low' | 'high' | 'auto') =>
      countMessageTokens({
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          {
            type: 'image_url',
            image_url: detail ? { url: 'https://a.example/x.png', detail } : { url: 'https://a.example/x.png' },
          },
        ],
      });
    expect(withImage('low') - text).toBe(85);
    expect(withImage('high') - text).toBe(765);
    expect(withImage('auto') - text).toBe(765);
    expect(withImage() - text).toBe(765);
  });
});
