import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage, type UpstreamFault } from '../mock-upstream/index.ts';
import type { ConformanceTarget, ProtocolClient } from './protocol-client.ts';
import { RestSetup } from './rest-setup.ts';

/**
 * Starts a streamed turn over the protocol under test and resolves with the client's way to leave
 * it (graphql-ws `complete`, an aborted request, a cancel frame), which sends at once, before
 * returning: once the stream's first text arrived (`text`), or as soon as the request is sent (`sent`).
 */
export type LeavableStream = (body: Record<string, unknown>, until: 'text' | 'sent') => Promise<() => void>;

/** When the client leaves: once text arrived, or right after asking, as the first chunk comes or before one can. */
type Moment = 'mid-stream' | 'as the first chunk comes' | 'before the first chunk';

/** Which side moves first, and how far apart (see `leaveAndBreak`). */
type Order = 'upstream first' | 'client first' | 'same tick';

/** Long enough that half of its stream carries part of the reply. */
const REPLY = 'A reply long enough to arrive in several pieces before the upstream breaks off.';
/** An inner monologue (never relayed) long enough that the upstream breaks before any reply text. */
const MONOLOGUE = 'Thinking it over at length before answering anything at all. '.repeat(4);
/** Races per order and fault: enough to cross the moments the two events can meet on the server. */
const ROUNDS = 12;
/** The turn after a race must get the agent within this: a leaked lock would hold it for the whole turn deadline. */
const FREED_WITHIN_MS = 5_000;
const user = (content: string) => ({ role: 'user', content });

/** Gaps between the two moves: none, one event-loop turn, then a few milliseconds. */
async function gap(round: number): Promise<void> {
  if (round % 3 === 0) return;
  if (round % 3 === 1) await nextTurn();
  else await sleep(round % 4);
}

/** Breaks the upstream and leaves the stream in `order`, `round` choosing the gap between them. */
async function leaveAndBreak(order: Order, round: number, leave: () => void, breakUpstream: () => void) {
  if (order === 'same tick') {
    leave();
    breakUpstream();
    return;
  }
  const [first, second] = order === 'upstream first' ? [breakUpstream, leave] : [leave, breakUpstream];
  first();
  await gap(round);
  second();
}

/** A promise and the function that resolves it: the cue of a held fault. */
function cueOf(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Polls until `condition` holds (the test's timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(2);
}

/** Rejects when `promise` has not settled within `ms`, naming what did not happen. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A client that leaves a streamed turn just as the upstream breaks off mid-stream (a reset or a
 * close), in either order or at once, must not leave the agent locked: the next turn on the same
 * agent runs at once, and the history holds no half-written reply.
 */
export function runLeaveRaceConformance(
  name: string,
  start: () => Promise<ConformanceTarget>,
  leavable: (target: ConformanceTarget) => LeavableStream,
): void {
  describe(`client leaves as the upstream breaks: ${name}`, () => {
    let target: ConformanceTarget;
    let client: ProtocolClient;
    let rest: RestSetup;
    let open: LeavableStream;

    beforeAll(async () => {
      target = await start();
      client = await target.client(target.apiKey);
      rest = new RestSetup(target.baseUrl, target.apiKey);
      open = leavable(target);
    });
    afterAll(async () => {
      await client?.close();
      await target?.close();
    });

    const cases: [Order, UpstreamFault, Moment][] = [];
    for (const order of ['upstream first', 'client first', 'same tick'] as const) {
      for (const fault of ['reset', 'close', 'truncated-json'] as const) cases.push([order, fault, 'mid-stream']);
      cases.push([order, 'reset', 'as the first chunk comes'], [order, 'reset', 'before the first chunk']);
    }
    for (const [order, fault, moment] of cases) {
      it(`frees the agent when the upstream breaks (${fault}) ${moment} as the client leaves, ${order}`, async () => {
        target.upstream.reset();
        const agentId = await rest.createAgent({ name: 'leave-race' });
        for (let round = 0; round < ROUNDS; round++) {
          const cue = cueOf();
          const content = moment === 'before the first chunk' ? MONOLOGUE : null;
          target.upstream.script({ ...sendMessage(REPLY, { content }), fault, faultCue: cue.promise });
          const asked = target.upstream.requests.length;
          const body = { model: 'mock-model', user: agentId, stream: true, messages: [user(`Race ${round}`)] };
          const leave = await open(body, moment === 'mid-stream' ? 'text' : 'sent');
          // The upstream has the request: the turn holds the lock, its first chunk is on its way or held back.
          await until(() => target.upstream.requests.length > asked);
          await leaveAndBreak(order, round, leave, () => cue.resolve());

          const next = await within(
            client.complete({ model: 'mock-model', user: agentId, messages: [user(`Round ${round}?`)] }),
            FREED_WITHIN_MS,
            `round ${round}: the turn after the race did not get the agent`,
          );
          if (!next.ok) throw new Error(`round ${round}: the turn after the race failed: ${next.error.message}`);
          expect(next.completion.choices[0]?.message.content).toBe(`Echo: Round ${round}?`);
        }
        // Every race left its user message only; every turn after one, its whole reply.
        const stored = await rest.messages(agentId);
        expect(stored.filter((message) => message.role === 'user')).toHaveLength(2 * ROUNDS);
        expect(stored.filter((message) => message.role === 'assistant')).toHaveLength(ROUNDS);
        expect(JSON.stringify(stored)).not.toContain(REPLY.slice(0, 20));
      });
    }
  });
}
