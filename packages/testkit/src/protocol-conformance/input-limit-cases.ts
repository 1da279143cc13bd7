import { expect, it } from 'vitest';
import { sendMessage } from '../mock-upstream/index.ts';
import type { SurfaceContext } from './request-surface-cases.ts';

const user = (content: string) => ({ role: 'user', content });

/** `{ type: "object", properties: { p: { … } } }`, `depth` objects deep. */
export function nestedSchema(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let level = 1; level < depth; level++) schema = { type: 'object', properties: { p: schema } };
  return schema;
}

/** Requests the core refuses before it stores anything, with the field each names. */
const REFUSED: [label: string, body: (agentId: string) => Record<string, unknown>, message: RegExp][] = [
  [
    'a tool schema nested deeper than 64 levels',
    (agentId) => ({
      model: 'mock-model',
      user: agentId,
      messages: [user('Use the deep tool')],
      tools: [{ type: 'function', function: { name: 'deep', parameters: nestedSchema(200) } }],
    }),
    /deeper than 64/,
  ],
  [
    'more new input messages than MEMGATE_MAX_INPUT_MESSAGES (256)',
    (agentId) => ({
      model: 'mock-model',
      user: agentId,
      messages: Array.from({ length: 257 }, (_, index) => user(`message ${index}`)),
    }),
    /at most 256 new input messages/,
  ],
  [
    'a NUL character in a user message',
    (agentId) => ({ model: 'mock-model', user: agentId, messages: [user('before\u0000after')] }),
    /NUL/,
  ],
];

/**
 * Validation comes before the first write: a refused request leaves the agent's history and
 * memory byte-identical and makes no upstream call, and the next turn sees no trace of it.
 * Registered inside the protocol suite's describe.
 */
export function inputLimitCases(state: () => SurfaceContext): void {
  for (const [label, body, message] of REFUSED) {
    it(`refuses ${label} with 422 on complete and stream, leaving the history byte-identical`, async () => {
      const { target, client, rest, agentId } = state();
      target.upstream.script(sendMessage('First answer.'));
      const first = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hello')] });
      if (!first.ok) throw new Error(first.error.message);
      const history = JSON.stringify(await rest.messages(agentId));
      const memory = JSON.stringify(await rest.memory(agentId));
      const calls = target.upstream.requests.length;

      const completed = await client.complete(body(agentId));
      expect(completed.ok ? 200 : completed.error.status).toBe(422);
      if (!completed.ok) expect(completed.error.message).toMatch(message);
      const streamed = await client.stream({ ...body(agentId), stream: true });
      expect(streamed.ok ? 200 : streamed.error.status).toBe(422);

      expect(JSON.stringify(await rest.messages(agentId))).toBe(history);
      expect(JSON.stringify(await rest.memory(agentId))).toBe(memory);
      expect(target.upstream.requests).toHaveLength(calls);

      // The next turn answers its own input only: nothing of the refused one was left unanswered.
      target.upstream.script(sendMessage('Second answer.'));
      const next = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Still there?')] });
      if (!next.ok) throw new Error(next.error.message);
      const stored = await rest.messages(agentId);
      expect(stored.filter((entry) => entry.role === 'user').map((entry) => entry.content)).toEqual([
        'Hello',
        'Still there?',
      ]);
    });
  }

  it('accepts a tool schema that keeps the body within the limit (63 levels)', async () => {
    const { target, client, agentId } = state();
    target.upstream.script(sendMessage('Fine.'));
    // The body, tools, the tool and function take four levels; the schema 59 more: 63 of 64.
    const parameters = nestedSchema(30);
    const outcome = await client.complete({
      model: 'mock-model',
      user: agentId,
      messages: [user('Use the tool')],
      tools: [{ type: 'function', function: { name: 'nested', parameters } }],
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(target.upstream.requests.at(-1)?.body.tools).toContainEqual({
      type: 'function',
      function: { name: 'nested', parameters },
    });
  });
}
