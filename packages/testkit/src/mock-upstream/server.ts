import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ChatHandlerContext, handleChat, parseChatRequest } from './chat-handler.ts';
import { DEFAULT_EMBEDDING_DIMENSIONS, embeddingsBody, parseEmbeddingRequest } from './embeddings.ts';
import { parseJson, readBody, sendError, sendJson } from './http-helpers.ts';
import { echoResponder } from './responders.ts';
import type {
  EmbeddingRequestBody,
  MockUpstream,
  MockUpstreamOptions,
  RecordedRequest,
  Responder,
  ScriptedResponse,
} from './types.ts';

/**
 * Starts a mock OpenAI-compatible upstream on 127.0.0.1 (random port): chat completions
 * (streaming or not) answered from a script or a responder, models, and deterministic embeddings.
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const models = options.models ?? ['mock-model', 'gpt-4o-mini'];
  const dimensions = options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const requests: RecordedRequest[] = [];
  const embeddingRequests: RecordedRequest<EmbeddingRequestBody>[] = [];
  const abortedRequests: RecordedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const abortWaiters: Array<(request: RecordedRequest) => void> = [];
  const sockets = new Set<Socket>();
  let defaultResponder: Responder = options.defaultResponder ?? echoResponder;
  let abortsHandedOut = 0;
  let active = 0;
  let closing = false;

  const chatContext: ChatHandlerContext = {
    async accept(recorded) {
      requests.push(recorded);
      active++;
      return queue.shift() ?? (await defaultResponder(recorded));
    },
    aborted(recorded) {
      // Connections we destroy ourselves on close() are not client aborts.
      if (closing) return;
      abortedRequests.push(recorded);
      const waiter = abortWaiters.shift();
      if (waiter) {
        abortsHandedOut++;
        waiter(recorded);
      }
    },
    settled() {
      active--;
    },
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(response, 401, 'Incorrect API key provided.');
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock-upstream' }));
      sendJson(response, 200, { object: 'list', data });
      return;
    }
    if (request.method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (models.includes(id)) sendJson(response, 200, { id, object: 'model', created: 0, owned_by: 'mock-upstream' });
      else sendError(response, 404, `The model '${id}' does not exist`);
      return;
    }
    if (request.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/embeddings')) {
      sendError(response, 404, `Unknown route ${request.method} ${path}`);
      return;
    }
    const parsed = parseJson(await readBody(request));
    if (path === '/v1/embeddings') {
      const body = parseEmbeddingRequest(parsed);
      if (!body) return sendError(response, 400, "'input' must be a string, an array of strings or token arrays");
      embeddingRequests.push({ path, body, headers: request.headers, receivedAt: Date.now() });
      return sendJson(response, 200, embeddingsBody(body, dimensions));
    }
    const body = parseChatRequest(parsed);
    if (!body) return sendError(response, 400, "'messages' must be an array of messages with a 'role'");
    await handleChat(body, request, response, chatContext);
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // Reading the body fails when the client left early: nothing left to answer.
      if (!response.headersSent && !response.destroyed) sendError(response, 500, String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    abortedRequests,
    script: (...responses) => void queue.push(...responses),
    setDefault: (responder) => {
      defaultResponder = responder;
    },
    waitForAbort(timeoutMs = 5000) {
      const pending = abortedRequests[abortsHandedOut];
      if (pending) {
        abortsHandedOut++;
        return Promise.resolve(pending);
      }
      return new Promise((resolve, reject) => {
        const waiter = (request: RecordedRequest): void => {
          clearTimeout(timer);
          resolve(request);
        };
        const timer = setTimeout(() => {
          abortWaiters.splice(abortWaiters.indexOf(waiter), 1);
          reject(new Error(`mock upstream: no chat request was aborted within ${timeoutMs} ms`));
        }, timeoutMs);
        abortWaiters.push(waiter);
      });
    },
    openConnections: () => sockets.size,
    activeRequests: () => active,
    reset() {
      requests.length = 0;
      embeddingRequests.length = 0;
      abortedRequests.length = 0;
      queue.length = 0;
      abortsHandedOut = 0;
      defaultResponder = options.defaultResponder ?? echoResponder;
    },
    async close() {
      closing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
