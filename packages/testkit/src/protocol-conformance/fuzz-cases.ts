import fc from 'fast-check';
import { expect, it } from 'vitest';
import { nestedSchema } from './input-limit-cases.ts';
import type { SurfaceContext } from './request-surface-cases.ts';

/** Runs per protocol: each makes a turn or is refused, with two history reads around it. */
const RUNS = 60;

/** Text of every kind: plain, any code point, NUL, lone surrogates, long runs without spaces. */
const text = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 24 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.constantFrom('a\u0000b', '\u0000', '\ud800', 'x\udfffy', 'x'.repeat(5000), '<|endoftext|>', ''),
    weight: 1,
  },
);

/** Any JSON, sometimes nested past the depth limit. */
const json = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 8 },
  { arbitrary: fc.integer({ min: 1, max: 150 }).map(nestedSchema), weight: 1 },
  {
    arbitrary: fc
      .integer({ min: 1, max: 100 })
      .map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
    weight: 1,
  },
);

const role = fc.constantFrom('user', 'user', 'user', 'assistant', 'system', 'developer', 'tool', 'robot');

const content = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('text'), text }),
      fc.record({ type: fc.constantFrom('image_url', 'file', 'text'), image_url: json }),
      json,
    ),
    { maxLength: 3 },
  ),
  json,
);

const message = fc.record(
  { role, content, name: text, tool_call_id: text, tool_calls: json },
  { requiredKeys: ['role'] },
);

const parameters = fc.oneof(
  { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }), weight: 6 },
  { arbitrary: json, weight: 1 },
);

const tool = fc.oneof(
  {
    arbitrary: fc.record({
      type: fc.constant('function'),
      function: fc.record(
        { name: fc.stringMatching(/^[a-z_]{1,12}$/), description: text, parameters, strict: fc.boolean() },
        { requiredKeys: ['name'] },
      ),
    }),
    weight: 8,
  },
  { arbitrary: json, weight: 1 },
);

/** Mostly a valid value, sometimes anything: most requests run a turn, many are refused. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 16 }, { arbitrary: json as fc.Arbitrary<unknown>, weight: 1 });

const validMessage = fc.record({ role: fc.constant('user'), content: text });

/**
 * REST-shaped request bodies mixing valid and invalid values for the fields the protocol can
 * express (GraphQL's input has a field for each; the WebSocket frame carries the body as is; the
 * Responses API has all but `absent`).
 */
function bodies(agentId: string, absent: readonly string[]) {
  const fields = {
    model: fc.oneof({ arbitrary: fc.constant('mock-model'), weight: 6 }, { arbitrary: text, weight: 1 }),
    user: fc.oneof({ arbitrary: fc.constant(agentId), weight: 6 }, { arbitrary: text, weight: 1 }),
    messages: fc.oneof(
      { arbitrary: fc.array(validMessage, { minLength: 1, maxLength: 3 }), weight: 8 },
      { arbitrary: fc.array(message, { minLength: 0, maxLength: 4 }), weight: 2 },
      { arbitrary: fc.array(validMessage, { minLength: 257, maxLength: 300 }), weight: 1 },
    ),
    temperature: mostly(fc.double({ min: 0, max: 2, noNaN: true })),
    top_p: mostly(fc.double({ min: 0, max: 1, noNaN: true })),
    max_tokens: mostly(fc.integer({ min: 1, max: 4096 })),
    seed: mostly(fc.integer()),
    stop: mostly(fc.oneof(text, fc.array(text, { maxLength: 4 }))),
    tools: mostly(fc.array(tool, { minLength: 1, maxLength: 3 })),
    tool_choice: mostly(fc.constantFrom('auto', 'none')),
    metadata: mostly(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), text, { maxKeys: 4 })),
    store: mostly(fc.constant(true)),
  };
  for (const field of absent) delete (fields as Record<string, unknown>)[field];
  return fc.record(fields, { requiredKeys: ['model', 'user', 'messages'] });
}

/**
 * Property: whatever a client sends, the answer is a success or a 4xx, never a 5xx; and a refused
 * request leaves the history exactly as it was. fast-check prints the seed and the shrunk
 * counterexample on failure (`fc.assert` throws with them).
 */
export function fuzzCases(state: () => SurfaceContext): void {
  it(`answers ${RUNS} generated requests with 2xx or 4xx, and a refused one stores nothing`, async () => {
    const { target, client, rest, agentId } = state();
    target.upstream.reset();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(bodies(agentId, client.absentFields ?? []), fc.boolean(), async (body, streaming) => {
        const before = JSON.stringify(await rest.messages(agentId));
        const outcome = streaming ? await client.stream({ ...body, stream: true }) : await client.complete(body);
        if (outcome.ok && !('error' in outcome && outcome.error)) {
          accepted++;
          return;
        }
        const error = outcome.error!;
        expect(error.status, error.message).toBeGreaterThanOrEqual(400);
        expect(error.status, error.message).toBeLessThan(500);
        if (!outcome.ok) expect(JSON.stringify(await rest.messages(agentId))).toBe(before);
      }),
      { numRuns: RUNS },
    );
    // The generators mix valid and invalid fields so that both sides of the property are exercised.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(RUNS);
  }, 120_000);
}
