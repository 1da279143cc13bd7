import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { newcomerEnv, runToExit, SERVER_ENTRY, type ServerProcess, startServerProcess } from './server-process.ts';

const ALPHA_KEY = 'sk-alpha-key-0123';
const BETA_KEY = 'sk-beta-key-4567';
const DEFAULT_KEY = 'sk-default-key-89';

/** Two file providers, each a mock upstream that refuses any other key; `alpha` sends a gateway header. */
function providersFile(alphaUrl: string, betaUrl: string): string {
  return `
providers:
  - name: alpha
    base_url: ${alphaUrl}
    api_key_env: ALPHA_API_KEY
    headers:
      X-Portkey-Config: cfg-alpha
    models:
      - { id: alpha-large, context_window: 64000, supports_tools: true, supports_vision: true, input_price: 1.5, output_price: 6 }
  - name: beta
    base_url: ${betaUrl}
    api_key_env: BETA_API_KEY
    models:
      - { id: beta-small, context_window: 16384, supports_tools: false }
`;
}

/** The fields these tests read from memgate's JSON answers. */
interface Body {
  id: string;
  model: string;
  context_window: number;
  data: Record<string, unknown>[];
  error: { param: string; code: string; message: string };
  [field: string]: unknown;
}

describe('a providers file: several upstreams addressed as provider/model, beside MEMGATE_LLM_* as default', () => {
  const parent = mkdtempSync(join(tmpdir(), 'memgate-providers-'));
  let alpha: MockUpstream;
  let beta: MockUpstream;
  let fallback: MockUpstream;
  let server: ServerProcess;
  let key: string;

  beforeAll(async () => {
    [alpha, beta, fallback] = await Promise.all([
      startMockUpstream({ apiKey: ALPHA_KEY }),
      startMockUpstream({ apiKey: BETA_KEY }),
      startMockUpstream({ apiKey: DEFAULT_KEY }),
    ]);
    const file = join(parent, 'providers.yaml');
    writeFileSync(file, providersFile(alpha.url, beta.url));
    server = await startServerProcess(
      newcomerEnv(join(parent, 'data'), {
        MEMGATE_PROVIDERS_FILE: file,
        ALPHA_API_KEY: ALPHA_KEY,
        BETA_API_KEY: BETA_KEY,
        MEMGATE_LLM_BASE_URL: fallback.url,
        MEMGATE_LLM_API_KEY: DEFAULT_KEY,
        MEMGATE_LLM_MODEL: 'mock-model',
      }),
    );
    key = server.printedKey ?? '';
    expect(key).toMatch(/^mg-/);
  }, 30_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await Promise.all([alpha?.close(), beta?.close(), fallback?.close()]);
    rmSync(parent, { recursive: true, force: true });
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  const createAgent = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/v1/agents', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };

  const chat = (body: Record<string, unknown>) =>
    call('POST', '/v1/chat/completions', { messages: [{ role: 'user', content: 'hello there' }], ...body });

  const reset = () => {
    for (const upstream of [alpha, beta, fallback]) upstream.reset();
  };

  it('routes each agent to its provider, with its key, its headers and the bare model id', async () => {
    const onAlpha = await createAgent({ model: 'alpha/alpha-large' });
    const onBeta = await createAgent({ model: 'beta/beta-small' });
    const onDefault = await createAgent({});
    expect(onAlpha.context_window).toBe(64_000);
    expect(onBeta.context_window).toBe(16_384);
    expect(onDefault.model).toBe('mock-model');
    reset();

    for (const agent of [onAlpha, onBeta, onDefault]) {
      const reply = await chat({ model: agent.id });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    const seen = (upstream: MockUpstream) =>
      upstream.requests.map((request) => ({
        model: request.body.model,
        authorization: request.headers.authorization,
        portkey: request.headers['x-portkey-config'],
      }));
    expect(seen(alpha)).toEqual([{ model: 'alpha-large', authorization: `Bearer ${ALPHA_KEY}`, portkey: 'cfg-alpha' }]);
    expect(seen(beta)).toEqual([{ model: 'beta-small', authorization: `Bearer ${BETA_KEY}`, portkey: undefined }]);
    expect(seen(fallback)).toEqual([
      { model: 'mock-model', authorization: `Bearer ${DEFAULT_KEY}`, portkey: undefined },
    ]);
  });

  it('a request naming another provider/model runs that turn there, streaming too', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-large' });
    reset();
    const reply = await chat({ user: agent.id, model: 'beta/beta-small' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        user: agent.id,
        model: 'mock-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('data: [DONE]');
    expect(alpha.requests).toHaveLength(0);
    expect(beta.requests.map((request) => request.body.model)).toEqual(['beta-small']);
    expect(fallback.requests.map((request) => request.body.model)).toEqual(['mock-model']);
  });

  it('GET /v1/models lists every provider model with its capabilities, after the agents', async () => {
    const agent = await createAgent({ name: 'listed' });
    const { status, body } = await call('GET', '/v1/models');
    expect(status).toBe(200);
    const ids = (body.data as { id: string }[]).map((entry) => entry.id);
    expect(ids.indexOf(agent.id)).toBeLessThan(ids.indexOf('mock-model'));
    const upstream = (body.data as { owned_by: string }[]).filter((entry) => entry.owned_by === 'upstream');
    expect(upstream).toEqual([
      {
        id: 'mock-model',
        object: 'model',
        created: 0,
        owned_by: 'upstream',
        name: 'mock-model',
        provider: 'default',
        context_window: null,
        supports_tools: null,
        supports_vision: null,
        input_price: null,
        output_price: null,
      },
      {
        id: 'alpha/alpha-large',
        object: 'model',
        created: 0,
        owned_by: 'upstream',
        name: 'alpha/alpha-large',
        provider: 'alpha',
        context_window: 64_000,
        supports_tools: true,
        supports_vision: true,
        input_price: 1.5,
        output_price: 6,
      },
      {
        id: 'beta/beta-small',
        object: 'model',
        created: 0,
        owned_by: 'upstream',
        name: 'beta/beta-small',
        provider: 'beta',
        context_window: 16_384,
        supports_tools: false,
        supports_vision: false,
        input_price: null,
        output_price: null,
      },
    ]);
    const one = await call('GET', '/v1/models/beta%2Fbeta-small');
    expect(one.body).toMatchObject({ id: 'beta/beta-small', provider: 'beta', context_window: 16_384 });
    expect((await call('GET', '/v1/models/alpha/alpha-large')).body).toMatchObject({ provider: 'alpha' });
    expect((await call('GET', '/v1/models/alpha/nope')).status).toBe(404);
  });

  it('an unknown provider or model is a 422 naming model at creation and PATCH; nothing changes', async () => {
    const before = (await call('GET', '/v1/agents')).body.data.length;
    for (const model of ['gamma/gamma-1', 'alpha/beta-small', 'beta/alpha-large']) {
      const created = await call('POST', '/v1/agents', { model });
      expect(created.status, model).toBe(422);
      expect(created.body.error).toMatchObject({ param: 'model', code: 'model_not_found' });
    }
    expect((await call('GET', '/v1/agents')).body.data).toHaveLength(before);
    const agent = await createAgent({ model: 'alpha/alpha-large' });
    const patched = await call('PATCH', `/v1/agents/${agent.id}`, { model: 'alpha/alpha-small', name: 'renamed' });
    expect(patched.status).toBe(422);
    expect(patched.body.error.message).toContain('alpha-small');
    expect((await call('GET', `/v1/agents/${agent.id}`)).body).toMatchObject({ model: 'alpha/alpha-large' });
    // Known ones pass: another provider's model, and `default/…` for the default upstream.
    expect((await call('PATCH', `/v1/agents/${agent.id}`, { model: 'default/mock-model' })).status).toBe(200);
    // Model roles name models too: the same 422, naming the field.
    const roles = [
      [{ summary_model: 'gamma/gamma-1' }, 'summary_model'],
      [{ embedding_model: 'alpha/nope' }, 'embedding_model'],
      [{ fallback_models: ['beta/beta-small', 'gamma/gamma-1'] }, 'fallback_models'],
    ] as const;
    for (const [body, param] of roles) {
      const refused = await call('PATCH', `/v1/agents/${agent.id}`, body);
      expect(refused.status, param).toBe(422);
      expect(refused.body.error.param).toContain(param);
      expect((await call('POST', '/v1/agents', body)).status, param).toBe(422);
    }
    const accepted = await call('PATCH', `/v1/agents/${agent.id}`, { fallback_models: ['beta/beta-small'] });
    expect(accepted.body).toMatchObject({ fallback_models: ['beta/beta-small'] });
  });

  it('an unknown provider/model in a chat request is a 422 before anything is stored or sent', async () => {
    const agent = await createAgent({ model: 'beta/beta-small' });
    const conversations = async () => (await call('GET', `/v1/agents/${agent.id}/conversations`)).body.data;
    const before = await conversations();
    reset();
    for (const model of ['gamma/gamma-1', 'beta/beta-large']) {
      const reply = await chat({ user: agent.id, model });
      expect(reply.status, model).toBe(422);
      expect(reply.body.error).toMatchObject({ param: 'model', code: 'model_not_found' });
    }
    expect((await call('GET', `/v1/agents/${agent.id}/messages`)).body.data).toHaveLength(0);
    expect(await conversations()).toEqual(before);
    expect([...alpha.requests, ...beta.requests, ...fallback.requests]).toHaveLength(0);
  });

  it('the Responses API refuses an unknown provider/model before forking a conversation for it', async () => {
    const agent = await createAgent({ model: 'alpha/alpha-large' });
    const first = await call('POST', '/v1/responses', { model: agent.id, input: 'My name is Ada.' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await call('POST', '/v1/responses', { previous_response_id: first.body.id, input: 'Hi again.' });
    expect(second.status).toBe(200);
    const conversations = async () => (await call('GET', `/v1/agents/${agent.id}/conversations`)).body.data;
    const before = await conversations();
    reset();
    // Continuing from the first response (not the last) would fork the conversation.
    const refused = await call('POST', '/v1/responses', {
      previous_response_id: first.body.id,
      model: 'alpha/alpha-huge',
      input: 'Who am I?',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ param: 'model', code: 'model_not_found' });
    expect(await conversations()).toEqual(before);
    expect(alpha.requests).toHaveLength(0);
    const forked = await call('POST', '/v1/responses', {
      previous_response_id: first.body.id,
      model: 'beta/beta-small',
      input: 'Who am I?',
    });
    expect(forked.status, JSON.stringify(forked.body)).toBe(200);
    expect(await conversations()).toHaveLength(before.length + 1);
    expect(beta.requests.map((request) => request.body.model)).toEqual(['beta-small']);
  });

  it('GraphQL and the WebSocket channel refuse an unknown provider/model the same way', async () => {
    const agent = await createAgent({ model: 'beta/beta-small' });
    reset();
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { errors?: { extensions: Record<string, unknown> }[] };
    };
    const created = await graphql('mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }', {
      input: { model: 'gamma/gamma-1' },
    });
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const turn = await graphql(
      'mutation ($input: ChatCompletionInput!) { createChatCompletion(input: $input) { id } }',
      { input: { agentId: agent.id, model: 'beta/beta-huge', messages: [{ role: 'user', content: 'hi' }] } },
    );
    expect(turn.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/chat/ws`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const frames: Record<string, unknown>[] = [];
    const error = new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown>;
        frames.push(frame);
        if (frame['type'] === 'error') resolve(frame);
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const request = { user: agent.id, model: 'gamma/gamma-1', messages: [{ role: 'user', content: 'hi' }] };
    socket.send(JSON.stringify({ type: 'chat.completion.create', request_id: 'r1', request }));
    expect(await error).toMatchObject({
      request_id: 'r1',
      error: { status: 422, param: 'model', code: 'model_not_found' },
    });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    expect((await call('GET', '/v1/agents')).body.data.map((each) => each['model'])).not.toContain('gamma/gamma-1');
    expect((await call('GET', `/v1/agents/${agent.id}/messages`)).body.data).toHaveLength(0);
    expect([...alpha.requests, ...beta.requests, ...fallback.requests]).toHaveLength(0);
  });

  it('a failed call is logged with the host of the provider it went to', async () => {
    const onBeta = await createAgent({ model: 'beta/beta-small' });
    const onDefault = await createAgent({});
    beta.script({ error: { status: 500 } });
    fallback.script({ error: { status: 503 } });
    expect((await chat({ model: onBeta.id })).status).toBe(502);
    expect((await chat({ model: onDefault.id })).status).toBe(502);
    const failures = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"upstream call failed"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    await expect.poll(() => failures().length).toBeGreaterThanOrEqual(2);
    expect(failures().map((line) => [line['model'], line['upstreamHost']])).toEqual([
      ['beta/beta-small', new URL(beta.url).host],
      ['mock-model', new URL(fallback.url).host],
    ]);
  });

  it('/readyz keeps its shape and adds each provider by name', async () => {
    const response = await fetch(`${server.url}/readyz`);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      status: 'ready',
      llm: 'openai-compatible',
      upstream: { reachable: true },
      providers: { default: { reachable: true }, alpha: { reachable: true }, beta: { reachable: true } },
    });
    expect(JSON.stringify(body)).not.toMatch(/sk-|127\.0\.0\.1/);
  });
});

describe('a providers file without MEMGATE_LLM_BASE_URL: no default provider, not the offline model', () => {
  const parent = mkdtempSync(join(tmpdir(), 'memgate-providers-only-'));
  let alpha: MockUpstream;
  let beta: MockUpstream;
  let server: ServerProcess;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await Promise.all([alpha?.close(), beta?.close()]);
    rmSync(parent, { recursive: true, force: true });
  });

  it("new agents take the file's first model; a bare model name is a 422; /readyz lists the file providers", async () => {
    [alpha, beta] = await Promise.all([
      startMockUpstream({ apiKey: ALPHA_KEY }),
      startMockUpstream({ apiKey: BETA_KEY }),
    ]);
    const file = join(parent, 'providers.yml');
    writeFileSync(file, providersFile(alpha.url, beta.url));
    const env = { MEMGATE_PROVIDERS_FILE: file, ALPHA_API_KEY: ALPHA_KEY, BETA_API_KEY: BETA_KEY };
    server = await startServerProcess(newcomerEnv(join(parent, 'data'), env));
    const headers = { authorization: `Bearer ${server.printedKey}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Body };
    };
    const agent = await post('/v1/agents', {});
    expect(agent.body).toMatchObject({ model: 'alpha/alpha-large', context_window: 64_000 });
    expect((await post('/v1/agents', { model: 'gpt-4o-mini' })).status).toBe(422);
    const reply = await post('/v1/chat/completions', {
      model: agent.body.id,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(alpha.requests.map((request) => request.body.model)).toEqual(['alpha-large']);
    const models = (await (await fetch(`${server.url}/v1/models`, { headers })).json()) as Body;
    expect(models.data.filter((entry) => entry['owned_by'] === 'upstream').map((entry) => entry['id'])).toEqual([
      'alpha/alpha-large',
      'beta/beta-small',
    ]);
    const readyz = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
    expect(readyz).toMatchObject({ llm: 'openai-compatible', upstream: { reachable: true } });
    expect(Object.keys(readyz['providers'] as object)).toEqual(['alpha', 'beta']);
  }, 30_000);
});

describe('a bad providers file stops the server with one line and exit code 2', () => {
  const parent = mkdtempSync(join(tmpdir(), 'memgate-providers-bad-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it.each([
    ['an unset api_key_env', {}, /providers\[1\]\.api_key_env to name a set variable \(BETA_API_KEY is not set\)$/],
    [
      'a bad field',
      { ALPHA_API_KEY: 'a', BETA_API_KEY: 'b', BAD: '1' },
      /providers\[0\]\.models\[0\]\.context_window: /,
    ],
  ])(
    '%s',
    async (name, keys, line) => {
      const file = join(parent, `${name.replaceAll(' ', '-')}.yaml`);
      const text = providersFile('http://127.0.0.1:9/v1', 'http://127.0.0.1:9/v1');
      writeFileSync(file, 'BAD' in keys ? text.replace('context_window: 64000', 'context_window: -1') : text);
      const env = newcomerEnv(join(parent, name), { MEMGATE_PROVIDERS_FILE: file, ALPHA_API_KEY: 'a', ...keys });
      const result = await runToExit(SERVER_ENTRY, [], env);
      expect(result.code, result.stderr).toBe(2);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^memgate: invalid configuration: MEMGATE_PROVIDERS_FILE="[^"]+": expected /);
      expect(lines[0]).toMatch(line);
      expect(result.stdout).toBe('');
    },
    30_000,
  );
});
