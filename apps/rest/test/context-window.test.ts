import {
  type ChatRequestBody,
  countPromptTokens,
  echoResponder,
  messageText,
  type RecordedRequest,
  type ScriptedResponse,
  sendMessage,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './rest-api.ts';
import { readSse } from './rest-client.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

const WINDOW = 4000;

/** The upstream's refusal of a prompt over its window, as OpenAI words it. */
function overflow(tokens: number): ScriptedResponse {
  return {
    error: {
      status: 400,
      body: {
        error: {
          message: `This model's maximum context length is ${WINDOW} tokens. However, your messages resulted in ${tokens} tokens.`,
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    },
  };
}

const isSummaryRequest = (body: ChatRequestBody) => !body.tools?.length;

/** A deterministic summary: which turns the folded messages came from. */
function summaryOf(body: ChatRequestBody): ScriptedResponse {
  const input = messageText(body.messages.at(-1));
  const turns = [...input.matchAll(/Turn (\d+)/g)].map((match) => Number(match[1]));
  const previous = /^Previous summary:\n(.*)$/m.exec(input)?.[1] ?? '';
  const first = /from turn (\d+)/.exec(previous)?.[1] ?? String(Math.min(...turns));
  return { content: `The user chatted from turn ${first} to turn ${Math.max(...turns)}, one topic per turn.` };
}

/** Ordinary prose of about 90 words, different for every turn. */
function userText(turn: number): string {
  const topics = ['gardening', 'sailing', 'astronomy', 'baking', 'chess', 'hiking', 'pottery', 'jazz'];
  const topic = topics[turn % topics.length];
  const special = turn === 1 ? ' My grandmother grew up in Zanzibar, by the way.' : '';
  return (
    `Turn ${turn}: today I want to talk about ${topic}.${special} ` +
    `I have been reading about ${topic} for a while and I keep wondering how people get started with it, ` +
    'what mistakes beginners make, which books are worth the money, and how much time a week it takes ' +
    `before you see progress. Last week I spent three evenings on ${topic} and I enjoyed it more than I expected, ` +
    'so I would like your honest opinion and maybe a small plan for the next month.'
  );
}

/** Every tool message of a request follows the assistant message that made its call. */
function toolResultsFollowTheirCalls(body: ChatRequestBody): boolean {
  const open = new Set<string>();
  for (const message of body.messages) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) open.add(call.id);
    if (message.role === 'tool' && !open.has(String(message.tool_call_id))) return false;
  }
  return true;
}

describe('context window management against an upstream that enforces its window', () => {
  let harness: RestHarness;
  let call: ReturnType<typeof api>;
  let agentId: string;
  const chat = (content: string) =>
    call('POST', '/v1/chat/completions', { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] });

  beforeAll(async () => {
    harness = await startRestHarness();
    call = api(harness.baseUrl, harness.apiKey);
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.upstream.reset();
    agentId = (await call('POST', '/v1/agents', { context_window: WINDOW })).body['id'] as string;
  });

  /** Answers like a real upstream with a 4,000-token window: refuses any longer prompt. */
  function enforceWindow(record: { refused: number; largest: number }) {
    harness.upstream.setDefault((request: RecordedRequest) => {
      const tokens = countPromptTokens(request.body);
      record.largest = Math.max(record.largest, tokens);
      if (tokens > WINDOW) {
        record.refused++;
        return overflow(tokens);
      }
      return isSummaryRequest(request.body) ? summaryOf(request.body) : echoResponder(request);
    });
  }

  it('answers 200 turns on a 4,000-token window, and conversation_search still finds the first', async () => {
    const record = { refused: 0, largest: 0 };
    enforceWindow(record);
    for (let turn = 1; turn <= 200; turn++) {
      const result = await chat(userText(turn));
      expect(result.status, `turn ${turn}: ${JSON.stringify(result.body['error'])}`).toBe(200);
      const reply = (result.body['choices'] as { message: { content: string } }[])[0]?.message.content;
      expect(reply).toBe(`Echo: ${userText(turn)}`);
    }

    const requests = harness.upstream.requests;
    const summaries = requests.filter((request) => isSummaryRequest(request.body));
    const history = (await call('GET', `/v1/agents/${agentId}/messages?limit=1000`)).body.data as unknown[];
    // The test can fail: the history is many windows long, and prompts came close to the limit.
    expect(history.length).toBeGreaterThanOrEqual(600);
    expect(countPromptTokens({ messages: history as ChatRequestBody['messages'] })).toBeGreaterThan(10 * WINDOW);
    expect(record.largest).toBeGreaterThan(WINDOW * 0.6);
    expect(summaries.length).toBeGreaterThan(5);
    // Summarised ahead of time: the upstream never had to refuse (the retry path is tested below).
    expect(record.refused).toBe(0);
    for (const request of requests) expect(toolResultsFollowTheirCalls(request.body)).toBe(true);

    // The memory-pressure alert reached the agent, and never twice within one window.
    const alerts = (request: RecordedRequest) =>
      request.body.messages.filter((message) => messageText(message).startsWith('[memory pressure]')).length;
    expect(requests.some((request) => alerts(request) === 1)).toBe(true);
    expect(Math.max(...requests.map(alerts))).toBe(1);

    // The recursive summary is in the system prompt, and the window no longer holds turn 1.
    const last = requests.filter((request) => !isSummaryRequest(request.body)).at(-1)!;
    expect(messageText(last.body.messages[0])).toMatch(/### Summary of earlier conversation\n\(\d+ older messages/);
    expect(last.body.messages.some((message) => messageText(message).includes('Zanzibar'))).toBe(false);

    // The next step that is not a summary searches (a summary may come first: the window is full).
    let searched = false;
    harness.upstream.setDefault((request: RecordedRequest) => {
      if (isSummaryRequest(request.body)) return summaryOf(request.body);
      if (searched) return echoResponder(request);
      searched = true;
      const query = { query: 'grandmother Zanzibar', request_heartbeat: true };
      return { toolCalls: [{ name: 'conversation_search', arguments: query }] };
    });
    const search = await chat('Where did my grandmother grow up?');
    expect(search.status).toBe(200);
    const afterSearch = harness.upstream.requests.findLast((request) => !isSummaryRequest(request.body));
    const results = afterSearch?.body.messages.findLast((message) => message.role === 'tool');
    const found = JSON.parse(messageText(results)) as { message: string; results: { content: string }[] };
    expect(found.message).toMatch(/^Showing \d+ of \d+ results \(page 1\/\d+\)$/);
    expect(found.results[0]?.content).toContain('Turn 1: today I want to talk about');
    expect(found.results[0]?.content).toContain('Zanzibar');

    const context = (await call('GET', `/v1/agents/${agentId}/context`)).body;
    expect(context['summarised_messages']).toBeGreaterThan(500);
    expect((context['tokens'] as { total: number }).total).toBeLessThan(WINDOW);
  }, 120_000);

  it('summarises and retries once when the upstream counts more tokens than memgate does', async () => {
    for (let turn = 1; turn <= 6; turn++) await chat(userText(turn));
    harness.upstream.reset();
    harness.upstream.script(overflow(4321));
    harness.upstream.setDefault((request) =>
      isSummaryRequest(request.body) ? summaryOf(request.body) : echoResponder(request),
    );
    const result = await chat('One more thing.');
    expect(result.status).toBe(200);
    expect((result.body['choices'] as { message: { content: string } }[])[0]?.message.content).toBe(
      'Echo: One more thing.',
    );

    const [refused, summary, retried] = harness.upstream.requests;
    expect(isSummaryRequest(summary!.body)).toBe(true);
    expect(retried!.body.messages.length).toBeLessThan(refused!.body.messages.length);
    const context = (await call('GET', `/v1/agents/${agentId}/context`)).body;
    expect(context['summary']).toMatch(/^The user chatted from turn 1 to turn \d+/);
    expect(context['summarised_messages']).toBeGreaterThan(0);
  });

  it('summarises and retries a streaming turn too, before anything was streamed', async () => {
    for (let turn = 1; turn <= 6; turn++) await chat(userText(turn));
    harness.upstream.reset();
    harness.upstream.script(overflow(4321));
    harness.upstream.setDefault((request) =>
      isSummaryRequest(request.body) ? summaryOf(request.body) : echoResponder(request),
    );
    const response = await fetch(`${harness.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'mock-model',
        user: agentId,
        stream: true,
        messages: [{ role: 'user', content: 'Stream it' }],
      }),
    });
    expect(response.status).toBe(200);
    const { events, done } = await readSse(response);
    expect(done).toBe(true);
    const text = (events as { choices: { delta: { content?: string } }[] }[])
      .map((event) => event.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Echo: Stream it');
    expect(harness.upstream.requests.filter((request) => isSummaryRequest(request.body))).toHaveLength(1);
  });

  it('lets the overflow reach the client (502) when there is nothing left to summarise, or it happens again', async () => {
    harness.upstream.script(overflow(9000));
    const fresh = await chat('Hello');
    expect(fresh.status).toBe(502);
    expect(fresh.body['error']).toMatchObject({ code: 'context_length_exceeded' });

    for (let turn = 1; turn <= 4; turn++) harness.upstream.script(sendMessage(`ok ${turn}`));
    for (let turn = 1; turn <= 4; turn++) await chat(userText(turn));
    harness.upstream.script(overflow(9000), { content: 'summary' }, overflow(9000));
    const twice = await chat('And again');
    expect(twice.status).toBe(502);
    expect(twice.body['error']).toMatchObject({ code: 'context_length_exceeded' });
  });

  it('reports the prompt size by section', async () => {
    const empty = (await call('GET', `/v1/agents/${agentId}/context`)).body;
    const tokens = empty['tokens'] as Record<string, number>;
    expect(empty).toMatchObject({
      object: 'agent.context',
      agent_id: agentId,
      context_window: WINDOW,
      messages_in_context: 0,
      summarised_messages: 0,
      summary: null,
      thresholds: { memory_pressure: 3000, summarise: 3600 },
    });
    expect(tokens['system']).toBeGreaterThan(100);
    expect(tokens['memory']).toBeGreaterThan(10);
    expect(tokens['tools']).toBeGreaterThan(300);
    expect(tokens['summary']).toBe(0);
    expect(tokens['messages']).toBe(0);
    expect(tokens['total']).toBe(tokens['system']! + tokens['memory']! + tokens['tools']!);

    harness.upstream.setDefault(echoResponder);
    await chat('A message that takes some tokens in the context window.');
    const after = (await call('GET', `/v1/agents/${agentId}/context`)).body;
    expect(after['messages_in_context']).toBe(3);
    expect((after['tokens'] as Record<string, number>)['messages']).toBeGreaterThan(20);
    expect((await call('GET', '/v1/agents/agent-unknown/context')).status).toBe(404);
  });
});
