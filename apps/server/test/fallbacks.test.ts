import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  type ChatRequestBody,
  type MockUpstream,
  refusedUpstreamUrl,
  type ScriptedResponse,
  sendMessage,
  startMockUpstream,
} from '@memgate/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { newcomerEnv, type ServerProcess, startServerProcess } from './server-process.ts';

/**
 * Three providers: `alpha` (small window), `beta` (large window, and an embedding model), and
 * `gamma`, whose address refuses every connection.
 */
function providersFile(alphaUrl: string, betaUrl: string, gammaUrl: string): string {
  return `
providers:
  - name: alpha
    base_url: ${alphaUrl}
    api_key_env: ALPHA_API_KEY
    models:
      - { id: alpha-small, context_window: 8000, supports_tools: true }
      - { id: alpha-tiny, context_window: 4000, supports_tools: true }
  - name: beta
    base_url: ${betaUrl}
    api_key_env: BETA_API_KEY
    models:
      - { id: beta-large, context_window: 64000, supports_tools: true }
      - { id: beta-embed, context_window: 8192, supports_tools: false }
  - name: gamma
    base_url: ${gammaUrl}
    api_key_env: GAMMA_API_KEY
    models:
      - { id: gamma-1, context_window: 8000, supports_tools: true }
`;
}

/** A usage row as the store keeps it, read straight from the SQLite file. */
interface UsageRow {
  model: string;
  provider: string;
  purpose: string;
  outcome: string;
}

/** The fields these tests read from memgate's JSON answers. */
interface Body {
  id: string;
  model: string;
  choices: { message: { content: string } }[];
  error: { code: string; message: string };
  data: Record<string, unknown>[];
  embedding_model: string | null;
  [field: string]: unknown;
}

const overflow: ScriptedResponse = {
  error: {
    status: 400,
    body: {
      error: {
        message: "This model's maximum context length is 8000 tokens. However, your messages resulted in 9000 tokens.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    },
  },
};

const isSummary = (body: ChatRequestBody) => !body.tools?.length;

/** The text content of an SSE chat stream, and any in-band error. */
function readStream(text: string): { content: string; error: unknown; done: boolean; models: Set<string> } {
  let content = '';
  let error: unknown = null;
  const models = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as {
      model?: string;
      error?: unknown;
      choices?: { delta?: { content?: string } }[];
    };
    if (chunk.error) error = chunk.error;
    if (chunk.model) models.add(chunk.model);
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return { content, error, done: text.includes('data: [DONE]'), models };
}

interface Setup {
  parent: string;
  alpha: MockUpstream;
  beta: MockUpstream;
  server: ServerProcess;
  key: string;
}

async function startSetup(prefix: string, extra: Record<string, string>): Promise<Setup> {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  const [alpha, beta] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  const file = join(parent, 'providers.yaml');
  writeFileSync(file, providersFile(alpha.url, beta.url, await refusedUpstreamUrl()));
  const server = await startServerProcess(
    newcomerEnv(join(parent, 'data'), {
      MEMGATE_PROVIDERS_FILE: file,
      ALPHA_API_KEY: 'sk-alpha',
      BETA_API_KEY: 'sk-beta',
      GAMMA_API_KEY: 'sk-gamma',
      MEMGATE_EMBEDDING_MODEL: '',
      LOG_LEVEL: 'info',
      ...extra,
    }),
  );
  const key = server.printedKey ?? '';
  expect(key).toMatch(/^mg-/);
  return { parent, alpha, beta, server, key };
}

async function stopSetup(setup: Setup | undefined): Promise<void> {
  if (!setup) return;
  await setup.server.stop('SIGKILL');
  await Promise.all([setup.alpha.close(), setup.beta.close()]);
  rmSync(setup.parent, { recursive: true, force: true });
}

function client(setup: () => Setup) {
  const call = async (method: string, path: string, body?: unknown) => {
    const { server, key } = setup();
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Body };
  };
  const createAgent = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/v1/agents', body);
    expect(created.status, created.text).toBe(201);
    return created.body;
  };
  const chat = (agentId: string, content: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/chat/completions', { model: agentId, messages: [{ role: 'user', content }], ...extra });
  const usageRows = (agentId: string): UsageRow[] => {
    const db = new DatabaseSync(join(setup().parent, 'data', 'memgate.sqlite'), { readOnly: true });
    try {
      return db
        .prepare('SELECT model, provider, purpose, outcome FROM usage_records WHERE agent_id = ? ORDER BY at, rowid')
        .all(agentId) as unknown as UsageRow[];
    } finally {
      db.close();
    }
  };
  const logLines = (message: string) =>
    setup()
      .server.output()
      .split('\n')
      .filter((line) => line.includes(`"msg":"${message}"`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { call, createAgent, chat, usageRows, logLines };
}

describe('fallback models: a call that fails before any byte reached the client moves to the next model', () => {
  let setup: Setup;
  const { call, createAgent, chat, usageRows, logLines } = client(() => setup);

  beforeAll(async () => {
    setup = await startSetup('memgate-fallbacks-', {
      MEMGATE_PROVIDER_FAILURE_THRESHOLD: '100',
      MEMGATE_LLM_TIMEOUT_MS: '1500',
    });
  }, 30_000);
  afterAll(() => stopSetup(setup));
  beforeEach(() => {
    setup.alpha.reset();
    setup.beta.reset();
  });

  it('a 503 from the primary: the non-streaming reply comes from the fallback; usage and logs show both attempts', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ error: { status: 503 } });
    setup.beta.script(sendMessage('From beta.'));
    const reply = await chat(agent.id, 'hello');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.choices[0]?.message.content).toBe('From beta.');
    // The reply names what the client asked for; the model that answered is in usage and logs.
    expect(reply.body.model).toBe('alpha/alpha-small');
    expect(setup.alpha.requests.map((request) => request.body.model)).toEqual(['alpha-small']);
    expect(setup.beta.requests.map((request) => request.body.model)).toEqual(['beta-large']);
    expect(usageRows(agent.id)).toEqual([
      { model: 'alpha/alpha-small', provider: 'alpha', purpose: 'step', outcome: 'upstream_error' },
      { model: 'beta/beta-large', provider: 'beta', purpose: 'step', outcome: 'ok' },
    ]);
    await expect.poll(() => logLines('upstream fallback').length).toBeGreaterThanOrEqual(1);
    expect(logLines('upstream fallback').at(-1)).toMatchObject({
      level: 40,
      agentId: agent.id,
      purpose: 'step',
      fromModel: 'alpha/alpha-small',
      toModel: 'beta/beta-large',
      fromProvider: 'alpha',
      toProvider: 'beta',
      reason: 'server_error',
      requestId: expect.any(String),
    });
    // The stored history holds the one answer.
    const messages = await call('GET', `/v1/agents/${agent.id}/messages`);
    const texts = JSON.stringify(messages.body);
    expect(texts).toContain('From beta.');
  });

  it('a 429 from the primary while streaming: the stream carries the fallback answer', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ error: { status: 429, headers: { 'retry-after': '0' } } });
    setup.beta.script(sendMessage('Streamed by beta.'));
    const reply = await chat(agent.id, 'hello', { stream: true });
    expect(reply.status).toBe(200);
    const stream = readStream(reply.text);
    expect(stream).toMatchObject({ content: 'Streamed by beta.', error: null, done: true });
    expect([...stream.models]).toEqual(['alpha/alpha-small']);
    expect(usageRows(agent.id).map((row) => [row.model, row.outcome])).toEqual([
      ['alpha/alpha-small', 'rate_limited'],
      ['beta/beta-large', 'ok'],
    ]);
  });

  it('a refused connection (gamma) falls back too, and a chain of two failures reaches the third model', async () => {
    const agent = await createAgent({
      model: 'gamma/gamma-1',
      fallback_models: ['alpha/alpha-small', 'beta/beta-large'],
    });
    setup.alpha.script({ error: { status: 500 } });
    setup.beta.script(sendMessage('Third time lucky.'));
    const reply = await chat(agent.id, 'hello');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.choices[0]?.message.content).toBe('Third time lucky.');
    expect(usageRows(agent.id).map((row) => [row.model, row.outcome])).toEqual([
      ['gamma/gamma-1', 'upstream_error'],
      ['alpha/alpha-small', 'upstream_error'],
      ['beta/beta-large', 'ok'],
    ]);
    const reasons = logLines('upstream fallback')
      .filter((line) => line['agentId'] === agent.id)
      .map((line) => line['reason']);
    expect(reasons).toEqual(['connection_error', 'server_error']);
  });

  it('a primary that does not answer within MEMGATE_LLM_TIMEOUT_MS: the stream carries the fallback answer', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ hang: true });
    setup.beta.script(sendMessage('Beta was quicker.'));
    const reply = await chat(agent.id, 'hello', { stream: true });
    expect(readStream(reply.text)).toMatchObject({ content: 'Beta was quicker.', error: null, done: true });
    expect(usageRows(agent.id).map((row) => [row.model, row.outcome])).toEqual([
      ['alpha/alpha-small', 'timeout'],
      ['beta/beta-large', 'ok'],
    ]);
    await setup.alpha.waitForAbort();
  });

  it('a 400 is not a reason to fall back: the client gets it and the fallback is never called', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ error: { status: 400 } });
    const reply = await chat(agent.id, 'hello');
    expect(reply.status).toBe(502);
    expect(setup.beta.requests).toHaveLength(0);
  });

  it('GraphQL turns fall back the same way', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ error: { status: 502 } });
    setup.beta.script(sendMessage('Beta over GraphQL.'));
    const response = await call('POST', '/graphql', {
      query:
        'mutation ($input: ChatCompletionInput!) { createChatCompletion(input: $input) { model choices { message { content } } } }',
      variables: { input: { agentId: agent.id, messages: [{ role: 'user', content: 'hi' }] } },
    });
    const body = JSON.parse(response.text) as {
      data?: { createChatCompletion: { model: string; choices: { message: { content: string } }[] } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.createChatCompletion.choices[0]?.message.content).toBe('Beta over GraphQL.');
    expect(setup.beta.requests).toHaveLength(1);
  });

  it('WebSocket chat channel turns fall back the same way', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script({ error: { status: 503 } });
    setup.beta.script(sendMessage('Beta over the socket.'));
    const socket = new WebSocket(`${setup.server.url.replace('http', 'ws')}/v1/chat/ws`, {
      headers: { authorization: `Bearer ${setup.key}` },
    });
    let content = '';
    const done = new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown> & {
          chunk?: { choices?: { delta?: { content?: string } }[] };
        };
        content += frame.chunk?.choices?.[0]?.delta?.content ?? '';
        if (frame['type'] === 'chat.completion.done' || frame['type'] === 'error') resolve(frame);
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const request = { model: agent.id, stream: true, messages: [{ role: 'user', content: 'hi' }] };
    socket.send(JSON.stringify({ type: 'chat.completion.create', request_id: 'r1', request }));
    const last = await done;
    expect(last, JSON.stringify(last)).toMatchObject({ type: 'chat.completion.done', request_id: 'r1' });
    socket.close();
    expect(content).toBe('Beta over the socket.');
    expect(usageRows(agent.id).map((row) => [row.model, row.outcome])).toEqual([
      ['alpha/alpha-small', 'upstream_error'],
      ['beta/beta-large', 'ok'],
    ]);
  });

  it('after the first byte, never: the primary dies mid-stream, the error is in-band, the fallback is not called', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    setup.alpha.script(
      sendMessage('This reply starts streaming and then the upstream goes away without finishing it at all.', {
        fault: 'close',
        chunkSize: 4,
      }),
    );
    const reply = await chat(agent.id, 'hello', { stream: true });
    expect(reply.status).toBe(200);
    const stream = readStream(reply.text);
    expect(stream.content.length).toBeGreaterThan(0);
    expect(stream.error).toMatchObject({ code: expect.any(String) });
    expect(setup.beta.requests).toHaveLength(0);
    expect(usageRows(agent.id).map((row) => row.model)).toEqual(['alpha/alpha-small']);
    // History stays consistent: the user message is stored, no half answer, and the next turn works.
    const messages = await call('GET', `/v1/agents/${agent.id}/messages`);
    const stored = messages.body.data as { role: string; content: string | null }[];
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['hello']);
    expect(stored.filter((message) => message.role === 'assistant')).toEqual([]);
    setup.alpha.script(sendMessage('Back again.'));
    const next = await chat(agent.id, 'again');
    expect(next.body.choices[0]?.message.content).toBe('Back again.');
  });

  it('context_length_exceeded moves to the fallback with a larger window, without summarising', async () => {
    const agent = await createAgent({
      model: 'alpha/alpha-small',
      fallback_models: ['alpha/alpha-tiny', 'beta/beta-large'],
    });
    for (const text of ['one', 'two']) {
      setup.alpha.script(sendMessage(`ok ${text}`));
      expect((await chat(agent.id, text)).status).toBe(200);
    }
    setup.alpha.reset();
    setup.alpha.script(overflow);
    setup.beta.script(sendMessage('Plenty of room here.'));
    const reply = await chat(agent.id, 'a long one');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.choices[0]?.message.content).toBe('Plenty of room here.');
    // alpha-tiny (4000 < the agent's 8000) is skipped; no summary call anywhere.
    expect(setup.alpha.requests.map((request) => request.body.model)).toEqual(['alpha-small']);
    expect(setup.beta.requests.map((request) => request.body.model)).toEqual(['beta-large']);
    expect([...setup.alpha.requests, ...setup.beta.requests].filter((request) => isSummary(request.body))).toEqual([]);
    expect(usageRows(agent.id).slice(-2)).toMatchObject([
      { model: 'alpha/alpha-small', outcome: 'context_length_exceeded' },
      { model: 'beta/beta-large', outcome: 'ok' },
    ]);
    expect(logLines('upstream fallback').at(-1)).toMatchObject({ reason: 'context_length_exceeded' });
  });

  it('context_length_exceeded with no larger fallback summarises as before, with the summary_model', async () => {
    const agent = await createAgent({
      model: 'alpha/alpha-small',
      summary_model: 'beta/beta-large',
      fallback_models: ['alpha/alpha-tiny'],
    });
    for (const text of ['one', 'two', 'three']) {
      setup.alpha.script(sendMessage(`ok ${text}`));
      expect((await chat(agent.id, text)).status).toBe(200);
    }
    setup.alpha.reset();
    setup.alpha.script(overflow, sendMessage('After the summary.'));
    setup.beta.setDefault(() => ({ content: 'The user counted to three.' }));
    const reply = await chat(agent.id, 'four');
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.choices[0]?.message.content).toBe('After the summary.');
    // Both step calls on alpha-small (tiny's window is smaller), the summary on beta's summary model.
    expect(setup.alpha.requests.map((request) => request.body.model)).toEqual(['alpha-small', 'alpha-small']);
    expect(setup.beta.requests.map((request) => [request.body.model, isSummary(request.body)])).toEqual([
      ['beta-large', true],
    ]);
    const summary = usageRows(agent.id).filter((row) => row.purpose === 'summary');
    expect(summary).toEqual([{ model: 'beta/beta-large', provider: 'beta', purpose: 'summary', outcome: 'ok' }]);
  });

  it('a summary call falls back like a step: its summary model fails with a 503, the next model writes it', async () => {
    const agent = await createAgent({
      model: 'alpha/alpha-small',
      summary_model: 'gamma/gamma-1',
      fallback_models: ['beta/beta-large'],
    });
    for (const text of ['one', 'two', 'three']) {
      setup.alpha.script(sendMessage(`ok ${text}`));
      expect((await chat(agent.id, text)).status).toBe(200);
    }
    setup.alpha.reset();
    // beta-large has the larger window, so the overflow itself moves the step there; make it overflow too.
    setup.alpha.script(overflow);
    setup.beta.script(overflow, { content: 'Summary by beta.' }, sendMessage('Done.'));
    const reply = await chat(agent.id, 'four');
    expect(reply.status, reply.text).toBe(200);
    const rows = usageRows(agent.id).slice(-5);
    expect(rows.map((row) => [row.model, row.purpose, row.outcome])).toEqual([
      ['alpha/alpha-small', 'step', 'context_length_exceeded'],
      ['beta/beta-large', 'step', 'context_length_exceeded'],
      ['gamma/gamma-1', 'summary', 'upstream_error'],
      ['beta/beta-large', 'summary', 'ok'],
      ['beta/beta-large', 'step', 'ok'],
    ]);
  });

  it('embedding_model embeds the agent’s passages (the server has no MEMGATE_EMBEDDING_MODEL)', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', embedding_model: 'beta/beta-embed' });
    const plain = await createAgent({ model: 'alpha/alpha-small' });
    const inserted = await call('POST', `/v1/agents/${agent.id}/archival`, { content: 'The cat is called Tom.' });
    expect(inserted.status, inserted.text).toBeLessThan(300);
    expect(inserted.body.embedding_model).toBe('beta/beta-embed');
    expect(setup.beta.embeddingRequests.map((request) => request.body.model)).toEqual(['beta-embed']);
    const found = await call('GET', `/v1/agents/${agent.id}/archival/search?q=${encodeURIComponent('cat name')}`);
    expect(found.status, found.text).toBe(200);
    expect(found.body['search_mode']).toBe('hybrid');
    expect(setup.beta.embeddingRequests).toHaveLength(2);
    expect(usageRows(agent.id).map((row) => [row.model, row.purpose])).toEqual([
      ['beta/beta-embed', 'embedding'],
      ['beta/beta-embed', 'embedding'],
    ]);
    // An agent without the role, on a server without embeddings: text only, no embeddings call.
    const other = await call('POST', `/v1/agents/${plain.id}/archival`, { content: 'No vectors here.' });
    expect(other.body.embedding_model).toBeNull();
    expect(setup.beta.embeddingRequests).toHaveLength(2);
  });
  it('embedding_model embeds in turns (archival_memory_insert) and when an Agent File is imported', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-small', embedding_model: 'beta/beta-embed' });
    setup.alpha.script(
      {
        toolCalls: [
          { name: 'archival_memory_insert', arguments: { content: 'Ada likes tea.', request_heartbeat: true } },
        ],
      },
      sendMessage('Noted.'),
    );
    const reply = await chat(agent.id, 'remember that I like tea');
    expect(reply.status, reply.text).toBe(200);
    expect(setup.beta.embeddingRequests.map((request) => request.body.model)).toEqual(['beta-embed']);
    const passages = await call('GET', `/v1/agents/${agent.id}/archival`);
    expect(passages.body.data).toMatchObject([{ content: 'Ada likes tea.', embedding_model: 'beta/beta-embed' }]);

    const exported = await call('GET', `/v1/agents/${agent.id}/export`);
    expect(exported.status).toBe(200);
    setup.beta.reset();
    const imported = await call('POST', '/v1/agents/import', JSON.parse(exported.text));
    expect(imported.status, imported.text).toBeLessThan(300);
    expect(setup.beta.embeddingRequests.map((request) => request.body.input)).toEqual([['Ada likes tea.']]);
    expect(setup.beta.embeddingRequests.map((request) => request.body.model)).toEqual(['beta-embed']);
    const [importedId] = imported.body['agent_ids'] as string[];
    const copied = await call('GET', `/v1/agents/${importedId}/archival`);
    expect(copied.body.data).toMatchObject([{ content: 'Ada likes tea.', embedding_model: 'beta/beta-embed' }]);
  });
});

describe('circuit breaker: repeated failures put a provider in cooldown, a trial call after it closes it', () => {
  let setup: Setup;
  const { createAgent, chat, usageRows } = client(() => setup);

  beforeAll(async () => {
    setup = await startSetup('memgate-breaker-', {
      MEMGATE_PROVIDER_FAILURE_THRESHOLD: '2',
      MEMGATE_PROVIDER_COOLDOWN_MS: '1500',
    });
  }, 30_000);
  afterAll(() => stopSetup(setup));

  const readyz = async () => {
    const response = await fetch(`${setup.server.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const circuitGauge = async (provider: string) => {
    const text = await (await fetch(`${setup.server.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((each) => each.startsWith(`memgate_provider_circuit_state{provider="${provider}"}`));
    return line === undefined ? null : Number(line.split(' ').at(-1));
  };

  it('opens after N failures, fails fast (fallbacks skip it), then a trial after the cooldown closes it', async () => {
    const solo = await createAgent({ model: 'alpha/alpha-small' });
    const chained = await createAgent({ model: 'alpha/alpha-small', fallback_models: ['beta/beta-large'] });
    expect((await readyz()).body['circuits']).toMatchObject({
      alpha: { state: 'closed', consecutive_failures: 0, retry_at: null },
      beta: { state: 'closed' },
      gamma: { state: 'closed' },
    });

    setup.alpha.script({ error: { status: 503 } }, { error: { status: 500 } });
    expect((await chat(solo.id, 'one')).status).toBe(502);
    expect((await readyz()).body['circuits']).toMatchObject({ alpha: { state: 'closed', consecutive_failures: 1 } });
    expect((await chat(solo.id, 'two')).status).toBe(502);
    expect(setup.alpha.requests).toHaveLength(2);

    const open = await readyz();
    expect(open.status).toBe(200); // beta and gamma are still closed
    expect(open.body['circuits']).toMatchObject({
      alpha: { state: 'open', consecutive_failures: 2, retry_at: expect.any(String) },
    });
    expect(await circuitGauge('alpha')).toBe(2);
    expect(await circuitGauge('beta')).toBe(0);

    // Open: the call fails fast with a 503 and never reaches alpha.
    const fast = await chat(solo.id, 'three');
    expect(fast.status, fast.text).toBe(503);
    expect(fast.body.error.code).toBe('circuit_open');
    expect(setup.alpha.requests).toHaveLength(2);
    // With a fallback, the chain skips straight to beta.
    setup.beta.script(sendMessage('Beta while alpha cools down.'));
    const skipped = await chat(chained.id, 'four');
    expect(skipped.body.choices[0]?.message.content).toBe('Beta while alpha cools down.');
    expect(setup.alpha.requests).toHaveLength(2);
    expect(usageRows(chained.id).map((row) => [row.model, row.outcome])).toEqual([
      ['alpha/alpha-small', 'circuit_open'],
      ['beta/beta-large', 'ok'],
    ]);
    const metrics = await (await fetch(`${setup.server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /memgate_upstream_fallbacks_total\{from_provider="alpha",to_provider="beta",reason="circuit_open"\} 1/,
    );

    // After the cooldown: half-open, one trial call; its success closes the breaker.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await readyz()).body['circuits']).toMatchObject({ alpha: { state: 'half_open' } });
    expect(await circuitGauge('alpha')).toBe(1);
    setup.alpha.script(sendMessage('Alpha is back.'));
    const trial = await chat(solo.id, 'five');
    expect(trial.body.choices[0]?.message.content).toBe('Alpha is back.');
    expect((await readyz()).body['circuits']).toMatchObject({
      alpha: { state: 'closed', consecutive_failures: 0, retry_at: null },
    });
    expect(await circuitGauge('alpha')).toBe(0);
  });

  it('a failed trial opens it again at once; every provider open makes /readyz unavailable', async () => {
    const agents = await Promise.all(
      ['alpha/alpha-small', 'beta/beta-large', 'gamma/gamma-1'].map((model) => createAgent({ model })),
    );
    for (const upstream of [setup.alpha, setup.beta]) {
      upstream.script({ error: { status: 503 } }, { error: { status: 503 } }, { error: { status: 503 } });
    }
    for (const agent of agents) {
      for (let attempt = 0; attempt < 2; attempt++) expect((await chat(agent.id, 'x')).status).toBe(502);
    }
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('circuit breaker') });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await readyz()).status).toBe(200);
    // The trial fails: open again at once, without waiting for N failures.
    expect((await chat(agents[0]!.id, 'trial')).status).toBe(502);
    expect((await readyz()).body['circuits']).toMatchObject({ alpha: { state: 'open', consecutive_failures: 3 } });
  });
});
