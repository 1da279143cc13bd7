import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHAOS_LEAKED_ADDRESS,
  refusedUpstreamUrl,
  sendMessage,
  UPSTREAM_FAULTS,
  type UpstreamFault,
} from '../mock-upstream/index.ts';
import type { ConformanceError, ConformanceTarget, ProtocolClient, StreamOutcome } from './protocol-client.ts';
import { RestSetup } from './rest-setup.ts';

/** How the server under a fault test is configured. */
export interface FaultTargetOptions {
  /** The upstream call timeout: short, so that a stall ends in a 504 within the test. */
  timeoutMs: number;
  /** Points the server at this upstream instead of its mock (a refused port). */
  upstreamUrl?: string;
}

/** Upstream timeout of the fault suite: long enough for a normal turn on a busy machine, short for a stall. */
export const FAULT_SUITE_TIMEOUT_MS = 1500;

const user = (content: string) => ({ role: 'user', content });
/** Long enough that half of its stream carries part of the reply. */
const REPLY = 'A reply long enough to arrive in several pieces before the upstream breaks off.';

/** The status a fault must give: a stall is a timeout, every other fault a failed upstream. */
const expectedStatus = (fault: UpstreamFault): number => (fault === 'stall' ? 504 : 502);

/** The error of an outcome, whether refused before the stream or sent in-band after chunks. */
function errorOf(outcome: { ok: boolean; error?: ConformanceError }): ConformanceError | undefined {
  return outcome.error;
}

/** Clients read these messages: they name the request, never where the upstream lives. */
function expectHygienicError(error: ConformanceError | undefined, secrets: string[]): void {
  if (!error) throw new Error('expected an error');
  for (const secret of secrets) expect(error.message).not.toContain(secret);
  expect(error.message).not.toMatch(/ECONN|EPIPE|ETIMEDOUT|socket|terminated|<html/i);
  expect(error.requestId).toEqual(expect.any(String));
  expect(error.message).toContain(`(request id ${error.requestId})`);
}

async function streamOf(client: ProtocolClient, agentId: string, content: string): Promise<StreamOutcome> {
  return client.stream({ model: 'mock-model', user: agentId, stream: true, messages: [user(content)] });
}

/**
 * The upstream fault suite: a broken upstream (HTML pages, truncated JSON, empty choices, resets,
 * closes and stalls mid-body and mid-stream, a refused connection, rate limits) gives the same 502,
 * 504 or 429 on every protocol, never another 5xx and never a hang; messages name the request id,
 * never the upstream's address; every 429 says when to retry; and the agent stays consistent.
 */
export function runUpstreamFaultConformance(
  name: string,
  start: (options: FaultTargetOptions) => Promise<ConformanceTarget>,
): void {
  describe(`upstream fault conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let client: ProtocolClient;
    let rest: RestSetup;
    let agentId: string;
    let upstreamPort: string;

    beforeAll(async () => {
      target = await start({ timeoutMs: FAULT_SUITE_TIMEOUT_MS });
      client = await target.client(target.apiKey);
      rest = new RestSetup(target.baseUrl, target.apiKey);
      upstreamPort = new URL(target.upstream.url).port;
    });
    afterAll(async () => {
      await client?.close();
      await target?.close();
    });
    beforeEach(async () => {
      target.upstream.reset();
      agentId = await rest.createAgent({ name: 'chaos' });
    });

    const secrets = () => [CHAOS_LEAKED_ADDRESS, '10.66.77.88', `:${upstreamPort}`, '127.0.0.1', 'nginx'];

    /** No half-written turn: the failed turns left user messages only, and the next turn works. */
    async function expectConsistentAgent(): Promise<void> {
      const stored = await rest.messages(agentId);
      expect(stored.filter((message) => message.role !== 'user')).toEqual([]);
      target.upstream.script(sendMessage('Back again.'));
      const next = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hello?')] });
      if (!next.ok) throw new Error(`the turn after the fault failed: ${next.error.message}`);
      expect(next.completion.choices[0]?.message.content).toBe('Back again.');
    }

    for (const fault of UPSTREAM_FAULTS) {
      const status = expectedStatus(fault);
      it(`maps ${fault} to ${status}, plain and streaming, with a clean message, and keeps the agent usable`, async () => {
        target.upstream.script({ ...sendMessage(REPLY), fault }, { ...sendMessage(REPLY), fault });
        const completed = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
        expect(completed.ok ? 200 : completed.error.status).toBe(status);
        expectHygienicError(errorOf(completed), secrets());

        const streamed = await streamOf(client, agentId, 'Hi again');
        const streamError = errorOf(streamed);
        expect(streamError?.status).toBe(status);
        expectHygienicError(streamError, secrets());
        expect(target.upstream.requests).toHaveLength(2);

        await expectConsistentAgent();
      });
    }

    const rateLimits: [string, Record<string, string>, number][] = [
      ['its retry-after', { 'retry-after': '3' }, 3],
      ['its retry-after-ms', { 'retry-after-ms': '2500' }, 3],
      ['its x-ratelimit-reset-requests', { 'x-ratelimit-reset-requests': '7s' }, 7],
      ['no hint at all (1 s)', {}, 1],
    ];
    for (const [label, headers, seconds] of rateLimits) {
      it(`answers an upstream 429 with ${label} as 429 with retry after ${seconds} s`, async () => {
        const limited = { error: { status: 429, headers } };
        target.upstream.script(limited, limited);
        const completed = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hi')] });
        expect(completed.ok ? 200 : completed.error.status).toBe(429);
        expect(errorOf(completed)?.retryAfter).toBe(seconds);
        const streamed = await streamOf(client, agentId, 'Hi again');
        expect(errorOf(streamed)).toMatchObject({ status: 429, retryAfter: seconds });
        await expectConsistentAgent();
      });
    }

    it('sends a 429 that comes after the stream started in-band, with retry after', async () => {
      // The first step streams part of the reply and asks for another step, which is rate limited.
      target.upstream.script(sendMessage('First part.', { requestHeartbeat: true }), {
        error: { status: 429, headers: { 'retry-after': '4' } },
      });
      const streamed = await streamOf(client, agentId, 'Tell me');
      if (!streamed.ok) throw new Error(`refused before the stream: ${streamed.error.message}`);
      expect(streamed.chunks.length).toBeGreaterThan(0);
      expect(streamed.error).toMatchObject({ status: 429, retryAfter: 4 });
      target.upstream.script(sendMessage('Back again.'));
      const next = await client.complete({ model: 'mock-model', user: agentId, messages: [user('Hello?')] });
      if (!next.ok) throw new Error(`the turn after the fault failed: ${next.error.message}`);
    });

    describe('with the upstream down (a refused connection)', () => {
      let down: ConformanceTarget;
      let downClient: ProtocolClient;
      let refusedPort: string;
      beforeAll(async () => {
        const url = await refusedUpstreamUrl();
        refusedPort = new URL(url).port;
        down = await start({ timeoutMs: FAULT_SUITE_TIMEOUT_MS, upstreamUrl: url });
        downClient = await down.client(down.apiKey);
      });
      afterAll(async () => {
        await downClient?.close();
        await down?.close();
      });

      it('answers 502 that names the request id and never the upstream address, plain and streaming', async () => {
        const downAgent = await new RestSetup(down.baseUrl, down.apiKey).createAgent({ name: 'down' });
        const hidden = [refusedPort, '127.0.0.1', 'ECONNREFUSED', 'localhost'];
        const completed = await downClient.complete({
          model: 'mock-model',
          user: downAgent,
          messages: [user('Hi')],
        });
        expect(completed.ok ? 200 : completed.error.status).toBe(502);
        expectHygienicError(errorOf(completed), hidden);
        const streamed = await streamOf(downClient, downAgent, 'Hi again');
        expect(errorOf(streamed)?.status).toBe(502);
        expectHygienicError(errorOf(streamed), hidden);
        expect(down.upstream.requests).toHaveLength(0);
      });
    });
  });
}
