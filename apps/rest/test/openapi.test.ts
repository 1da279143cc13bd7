import { readFileSync } from 'node:fs';
import { chatCompletionSchema, errorBodySchema } from '@memgate/core';
import { sendMessage } from '@memgate/testkit';
import { validate } from '@readme/openapi-parser';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from './generated/openapi.d.ts';
import { generateOpenApiTypes, OPENAPI_TYPES_PATH } from './openapi-types.ts';
import { type RestHarness, startRestHarness } from './rest-harness.ts';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
  components: { securitySchemes: Record<string, unknown> };
}

// Every route of apps/rest/src (routes/*.ts, rest-app.ts, openapi/docs-routes.ts) but /docs, a page.
const ROUTES = [
  'post /v1/chat/completions',
  'get /v1/models',
  'get /v1/models/{model}',
  'post /v1/agents',
  'get /v1/agents',
  'get /v1/agents/{agentId}',
  'delete /v1/agents/{agentId}',
  'patch /v1/agents/{agentId}',
  'get /v1/agents/{agentId}/export',
  'post /v1/agents/import',
  'post /v1/blocks',
  'get /v1/blocks',
  'get /v1/blocks/{blockId}',
  'patch /v1/blocks/{blockId}',
  'delete /v1/blocks/{blockId}',
  'get /v1/blocks/{blockId}/history',
  'put /v1/agents/{agentId}/blocks/{blockId}',
  'delete /v1/agents/{agentId}/blocks/{blockId}',
  'get /v1/agents/{agentId}/messages',
  'get /v1/agents/{agentId}/memory',
  'put /v1/agents/{agentId}/memory/{label}',
  'get /v1/agents/{agentId}/archival',
  'post /v1/agents/{agentId}/archival',
  'get /v1/agents/{agentId}/archival/search',
  'delete /v1/agents/{agentId}/archival/{passageId}',
  'get /v1/agents/{agentId}/context',
  'post /v1/agents/{agentId}/conversations',
  'get /v1/agents/{agentId}/conversations',
  'get /v1/agents/{agentId}/conversations/{conversationId}',
  'patch /v1/agents/{agentId}/conversations/{conversationId}',
  'delete /v1/agents/{agentId}/conversations/{conversationId}',
  'get /v1/agents/{agentId}/conversations/{conversationId}/messages',
  'post /v1/agents/{agentId}/conversations/{conversationId}/fork',
  'post /v1/agents/{agentId}/conversations/{conversationId}/rewind',
  'post /v1/agents/{agentId}/conversations/{conversationId}/restore',
  'post /v1/responses',
  'get /v1/responses/{responseId}',
  'delete /v1/responses/{responseId}',
  'get /v1/responses/{responseId}/input_items',
  'post /v1/responses/{responseId}/cancel',
  'post /v1/conversations',
  'get /v1/conversations/{conversationId}',
  'post /v1/conversations/{conversationId}',
  'delete /v1/conversations/{conversationId}',
  'get /v1/conversations/{conversationId}/items',
  'post /v1/conversations/{conversationId}/items',
  'get /v1/conversations/{conversationId}/items/{itemId}',
  'delete /v1/conversations/{conversationId}/items/{itemId}',
  'post /v1/admin/users',
  'get /v1/admin/users',
  'post /v1/admin/users/{userId}/api-keys',
  'get /v1/admin/users/{userId}/api-keys',
  'delete /v1/admin/users/{userId}',
  'delete /v1/admin/api-keys/{keyId}',
  'get /v1/usage',
  'post /v1/mcp-servers',
  'get /v1/mcp-servers',
  'get /v1/mcp-servers/{serverId}',
  'patch /v1/mcp-servers/{serverId}',
  'delete /v1/mcp-servers/{serverId}',
  'get /v1/mcp-servers/{serverId}/tools',
  'get /v1/agents/{agentId}/tools',
  'put /v1/agents/{agentId}/tools',
  'get /v1/admin/usage',
  'get /v1/limits',
  'get /v1/admin/users/{userId}/limits',
  'put /v1/admin/users/{userId}/limits',
  'delete /v1/admin/users/{userId}/limits',
  'get /v1/admin/api-keys/{keyId}/limits',
  'put /v1/admin/api-keys/{keyId}/limits',
  'delete /v1/admin/api-keys/{keyId}/limits',
  'get /healthz',
  'get /readyz',
  'get /openapi.json',
].sort();

describe('the OpenAPI document', () => {
  let harness: RestHarness;
  let document: Document;

  beforeAll(async () => {
    harness = await startRestHarness();
    const response = await fetch(`${harness.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });
  afterAll(() => harness.close());

  it('is valid OpenAPI 3.1', async () => {
    expect(document.openapi).toBe('3.1.0');
    // The parser dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('covers every REST route, with the error shape and the security schemes', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(operations.sort()).toEqual(ROUTES);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['AdminToken', 'ApiKey']);
    expect(document.paths['/v1/admin/users']?.['get']?.security).toEqual([{ AdminToken: [] }]);
    expect(document.paths['/healthz']?.['get']?.security).toEqual([]);
    const chat = document.paths['/v1/chat/completions']?.['post']?.responses ?? {};
    expect(Object.keys(chat)).toEqual(expect.arrayContaining(['200', '401', '422', '429', '502']));
    expect(chat['422']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
    expect(chat['200']).toMatchObject({
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/ChatCompletion' } },
        'text/event-stream': { schema: { $ref: '#/components/schemas/ChatCompletionChunk' } },
      },
    });
  });

  it('matches the checked-in client types (pnpm --filter @memgate/rest gen:openapi-types)', async () => {
    expect(await generateOpenApiTypes()).toBe(readFileSync(OPENAPI_TYPES_PATH, 'utf8'));
  });

  it('drives a turn and a memory edit through a client generated from it (openapi-fetch)', async () => {
    // JSON responses: the chat route also documents its `text/event-stream` form.
    const client = createClient<paths, 'application/json'>({
      baseUrl: harness.baseUrl,
      headers: { authorization: `Bearer ${harness.apiKey}` },
    });
    const created = await client.POST('/v1/agents', { body: { name: 'typed' } });
    expect(created.response.status).toBe(201);
    const agentId = created.data?.id ?? '';

    harness.upstream.script(sendMessage('Typed hello.'));
    const turn = await client.POST('/v1/chat/completions', {
      body: { model: agentId, messages: [{ role: 'user', content: 'Hello' }] },
    });
    expect(turn.error).toBeUndefined();
    expect(turn.data?.choices[0]?.message.content).toBe('Typed hello.');
    // What the server sent is what the document promises.
    expect(chatCompletionSchema.strict().safeParse(turn.data).success).toBe(true);

    const edited = await client.PUT('/v1/agents/{agentId}/memory/{label}', {
      params: { path: { agentId, label: 'human' } },
      body: { value: 'Prefers typed clients.' },
    });
    expect(edited.data).toMatchObject({ label: 'human', value: 'Prefers typed clients.' });
    const memory = await client.GET('/v1/agents/{agentId}/memory', { params: { path: { agentId } } });
    expect(memory.data?.blocks.find((block) => block.label === 'human')?.value).toBe('Prefers typed clients.');

    const missing = await client.PUT('/v1/agents/{agentId}/memory/{label}', {
      params: { path: { agentId, label: 'nope' } },
      body: { value: 'x' },
    });
    expect(missing.response.status).toBe(404);
    expect(errorBodySchema.safeParse(missing.error).success).toBe(true);
    expect(missing.error?.error.type).toBe('not_found_error');
  });

  it('serves the API reference at /docs from its own files, nothing from another host', async () => {
    const page = await fetch(`${harness.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(references.length).toBe(4);
    for (const reference of references) {
      expect(reference.startsWith('/docs/assets/')).toBe(true);
      const asset = await fetch(`${harness.baseUrl}${reference}`);
      expect(asset.status, reference).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, reference).toBeGreaterThan(100);
    }
    const init = await (await fetch(`${harness.baseUrl}/docs/assets/init.js`)).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    expect((await fetch(`${harness.baseUrl}/docs/assets/index.html`)).status).toBe(404);
  });
});
