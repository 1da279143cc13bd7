import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ContentClock, SendMessageText, type StreamTiming, sseData } from './sse-timing.ts';

/** Where a streamed turn can be sent: the upstream itself, and memgate's four streaming protocols. */
export const STREAM_PROTOCOLS = ['upstream', 'rest-sse', 'graphql-sse', 'graphql-ws', 'ws-channel'] as const;
export type StreamProtocol = (typeof STREAM_PROTOCOLS)[number];

/** One streamed turn on one protocol, timed at the client. */
export type StreamTurn = (agentId: string, content: string) => Promise<StreamTiming>;

const STREAM = /* GraphQL */ `
  subscription Stream($input: ChatCompletionInput!) {
    chatCompletionStream(input: $input) { id choices { index finishReason delta { role content } } }
  }
`;
type StreamResult = { chatCompletionStream?: { choices: { delta: { content?: string | null } }[] } };
type ChunkBody = { choices?: { delta?: { content?: string | null } }[] };

/** Real clients of every protocol, the WebSocket ones connected once and reused for every turn. */
export interface StreamClients {
  turns: Record<StreamProtocol, StreamTurn>;
  close(): Promise<void>;
}

export async function connectStreamClients(options: {
  upstreamUrl: string;
  memgateUrl: string;
  apiKey: string;
}): Promise<StreamClients> {
  const authorization = `Bearer ${options.apiKey}`;
  const json = { 'content-type': 'application/json' };
  const chatBody = (agentId: string, content: string) =>
    JSON.stringify({ model: 'mock-model', user: agentId, stream: true, messages: [{ role: 'user', content }] });

  const upstream: StreamTurn = async (agentId, content) => {
    const clock = new ContentClock();
    const text = new SendMessageText();
    const response = await fetch(`${options.upstreamUrl}/chat/completions`, {
      method: 'POST',
      headers: json,
      body: chatBody(agentId, content),
    });
    for await (const data of sseData(response)) {
      if (data === '[DONE]') break;
      const chunk = JSON.parse(data) as {
        choices?: { delta?: { tool_calls?: { function?: { arguments?: string } }[] } }[];
      };
      clock.content(text.push(chunk.choices?.[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? ''));
    }
    return clock.timing();
  };

  const restSse: StreamTurn = async (agentId, content) => {
    const clock = new ContentClock();
    const response = await fetch(`${options.memgateUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...json, authorization },
      body: chatBody(agentId, content),
    });
    for await (const data of sseData(response)) {
      if (data === '[DONE]') break;
      clock.content((JSON.parse(data) as ChunkBody).choices?.[0]?.delta?.content);
    }
    return clock.timing();
  };

  const graphqlInput = (agentId: string, content: string) => ({
    input: { agentId, model: 'mock-model', messages: [{ role: 'user', content }] },
  });
  const graphqlSse: StreamTurn = async (agentId, content) => {
    const clock = new ContentClock();
    const response = await fetch(`${options.memgateUrl}/graphql`, {
      method: 'POST',
      headers: { ...json, accept: 'text/event-stream', authorization },
      body: JSON.stringify({ query: STREAM, variables: graphqlInput(agentId, content) }),
    });
    for await (const data of sseData(response)) {
      const result = JSON.parse(data) as { data?: StreamResult };
      clock.content(result.data?.chatCompletionStream?.choices[0]?.delta.content);
    }
    return clock.timing();
  };

  const wsBase = options.memgateUrl.replace(/^http/, 'ws');
  const graphqlClient = createClient({
    url: `${wsBase}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
  });
  const graphqlWs: StreamTurn = (agentId, content) =>
    new Promise((resolve, reject) => {
      const clock = new ContentClock();
      graphqlClient.subscribe<StreamResult>(
        { query: STREAM, variables: graphqlInput(agentId, content) },
        {
          next: (result) => clock.content(result.data?.chatCompletionStream?.choices[0]?.delta.content),
          error: (error) => reject(new Error(`graphql-ws: ${JSON.stringify(error)}`)),
          complete: () => resolve(clock.timing()),
        },
      );
    });

  const channel = await openChannel(`${wsBase}/v1/chat/ws`, authorization);
  let requests = 0;
  const wsChannel: StreamTurn = (agentId, content) =>
    new Promise((resolve, reject) => {
      const clock = new ContentClock();
      const requestId = `bench-${requests++}`;
      const onFrame = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString()) as { type: string; request_id?: string; chunk?: ChunkBody };
        if (frame.request_id !== requestId) return;
        if (frame.type === 'chat.completion.chunk') clock.content(frame.chunk?.choices?.[0]?.delta?.content);
        else {
          channel.off('message', onFrame);
          if (frame.type === 'chat.completion.done') resolve(clock.timing());
          else reject(new Error(`ws channel: ${data.toString()}`));
        }
      };
      channel.on('message', onFrame);
      const request = { model: 'mock-model', user: agentId, messages: [{ role: 'user', content }] };
      channel.send(JSON.stringify({ type: 'chat.completion.create', request_id: requestId, request }));
    });

  return {
    turns: {
      upstream,
      'rest-sse': restSse,
      'graphql-sse': graphqlSse,
      'graphql-ws': graphqlWs,
      'ws-channel': wsChannel,
    },
    async close() {
      await graphqlClient.dispose();
      channel.close();
    },
  };
}

/** Opens the chat channel with the key on the upgrade and waits for `session.created`. */
async function openChannel(url: string, authorization: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers: { authorization } });
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}
