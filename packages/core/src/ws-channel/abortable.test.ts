import { describe, expect, it } from 'vitest';
import { untilAborted } from './abortable.ts';

describe('untilAborted', () => {
  it('settles with the promise while the signal stays quiet', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('boom')), new AbortController().signal)).rejects.toThrow('boom');
  });

  it('rejects with the abort reason at once, and swallows the late outcome', async () => {
    const controller = new AbortController();
    let rejectLate: (error: Error) => void = () => {};
    const late = new Promise<number>((_resolve, reject) => {
      rejectLate = reject;
    });
    const raced = untilAborted(late, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(raced).rejects.toThrow('cancelled');
    // Would fail the run as an unhandled rejection if the race did not handle it.
    rejectLate(new Error('late'));
    await expect(untilAborted(Promise.resolve(1), controller.signal)).rejects.toThrow('cancelled');
  });
});
