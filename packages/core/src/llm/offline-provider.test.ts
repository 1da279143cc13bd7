import { describe, expect, it } from 'vitest';
import { summaryRequestMessages } from '../context/summary-prompt.ts';
import type { ToolCall } from '../domain/types.ts';
import { OFFLINE_MODEL, OfflineProvider } from './offline-provider.ts';
import type { LlmMessage, LlmRequest, LlmResult, LlmStreamEvent, LlmToolDefinition } from './provider.ts';

const tool = (name: string): LlmToolDefinition => ({ type: 'function', function: { name } });
const BASE_TOOLS = ['send_message', 'core_memory_append', 'core_memory_replace'].map(tool);

/** Renders memory the way the agent's system prompt does. */
const systemWith = (human: string): LlmMessage => ({
  role: 'system',
  content: `Instructions.\n\n### Core memory\n<persona>\nName: Sam, the assistant\n</persona>\n<human>\n${human}\n</human>`,
});

function request(messages: LlmMessage[], tools: LlmToolDefinition[] = BASE_TOOLS): LlmRequest {
  return { model: 'whatever', messages, tools, sampling: {} };
}

function onlyCall(result: LlmResult): { call: ToolCall; args: Record<string, unknown> } {
  expect(result.toolCalls).toHaveLength(1);
  const call = result.toolCalls[0]!;
  return { call, args: JSON.parse(call.function.arguments) as Record<string, unknown> };
}

async function collect(events: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const collected: LlmStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe('OfflineProvider', () => {
  const provider = new OfflineProvider();

  it('describes itself as the offline model', () => {
    expect(provider.offline).toBe(true);
    expect(provider.models).toEqual([OFFLINE_MODEL]);
  });

  it('stores a name in core memory, acknowledges it, then recalls it', async () => {
    const user: LlmMessage = { role: 'user', content: 'Hi! My name is Alice.' };
    const first = await provider.generate(request([systemWith(''), user]));
    expect(first.model).toBe(OFFLINE_MODEL);
    expect(first.finishReason).toBe('tool_calls');
    const memory = onlyCall(first);
    expect(memory.call.function.name).toBe('core_memory_append');
    expect(memory.args).toEqual({ label: 'human', content: 'Name: Alice', request_heartbeat: true });

    const toolResult: LlmMessage = {
      role: 'tool',
      tool_call_id: memory.call.id,
      content: JSON.stringify({ status: 'OK', message: null }),
    };
    const assistant: LlmMessage = { role: 'assistant', content: null, tool_calls: first.toolCalls };
    const second = await provider.generate(request([systemWith('Name: Alice'), user, assistant, toolResult]));
    const reply = onlyCall(second);
    expect(reply.call.function.name).toBe('send_message');
    expect(reply.args).toEqual({ message: "Nice to meet you, Alice! I'll remember that." });

    const question: LlmMessage = { role: 'user', content: 'What is my name?' };
    const recall = onlyCall(await provider.generate(request([systemWith('Name: Alice'), question])));
    expect(recall.args).toEqual({ message: 'Your name is Alice.' });
  });

  it('replaces a name it already knows', async () => {
    const result = await provider.generate(
      request([systemWith('Name: Alice\nLikes tea'), { role: 'user', content: "I'm Bob" }]),
    );
    const { call, args } = onlyCall(result);
    expect(call.function.name).toBe('core_memory_replace');
    expect(args).toEqual({
      label: 'human',
      old_content: 'Name: Alice',
      new_content: 'Name: Bob',
      request_heartbeat: true,
    });
  });

  it('admits not knowing a name, and ignores "Name:" lines outside the human block', async () => {
    const result = await provider.generate(request([systemWith(''), { role: 'user', content: "what's my name" }]));
    expect(onlyCall(result).args).toEqual({ message: "I don't know your name yet." });
  });

  it('does not take "I am fine" for a name', async () => {
    for (const content of ['I am fine, thanks', "I'm Going home now", 'i am alice']) {
      const result = await provider.generate(request([systemWith(''), { role: 'user', content }]));
      expect(onlyCall(result).args).toEqual({ message: `Echo: ${content}` });
    }
  });

  it('reports a failed memory call instead of claiming success', async () => {
    const first = await provider.generate(request([systemWith(''), { role: 'user', content: 'my name is carol' }]));
    expect(onlyCall(first).args['content']).toBe('Name: Carol');
    const failed: LlmMessage = {
      role: 'tool',
      tool_call_id: first.toolCalls[0]!.id,
      content: JSON.stringify({ status: 'Failed', message: 'Block human is full.' }),
    };
    const assistant: LlmMessage = { role: 'assistant', content: null, tool_calls: first.toolCalls };
    const second = await provider.generate(request([systemWith(''), assistant, failed]));
    expect(onlyCall(second).args['message']).toBe('Sorry, I could not save that: Block human is full.');
  });

  it('echoes, acknowledges client tool results, and answers in plain content without send_message', async () => {
    const echo = await provider.generate(request([{ role: 'user', content: 'hello there' }]));
    expect(onlyCall(echo).args).toEqual({ message: 'Echo: hello there' });

    const clientCall: ToolCall = {
      id: 'call_client',
      type: 'function',
      function: { name: 'get_weather', arguments: '{}' },
    };
    const toolTurn = await provider.generate(
      request([
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [clientCall] },
        { role: 'tool', tool_call_id: 'call_client', content: 'sunny' },
      ]),
    );
    expect(onlyCall(toolTurn).args).toEqual({ message: 'Tool result received: sunny' });

    const plain = await provider.generate(request([{ role: 'user', content: 'no tools' }], []));
    expect(plain).toMatchObject({ content: 'Echo: no tools', toolCalls: [], finishReason: 'stop' });
  });

  it('counts tokens deterministically', async () => {
    const result = await provider.generate(request([{ role: 'user', content: '12345678' }], []));
    // Prompt: 8 characters → 2 tokens; completion "Echo: 12345678" (14) → 4 tokens.
    expect(result.usage).toEqual({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
    const empty = await provider.generate(request([], []));
    expect(empty.usage.prompt_tokens).toBe(1);
  });

  it('streams send_message arguments in small pieces that reassemble to the final JSON', async () => {
    const text = 'a fairly long message that needs several pieces';
    const events = await collect(provider.stream(request([{ role: 'user', content: text }])));
    const deltas = events.filter((event) => event.type === 'tool_call');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas[0]).toMatchObject({ index: 0, name: 'send_message' });
    expect(deltas.every((delta) => delta.argumentsDelta.length <= 8)).toBe(true);
    const joined = deltas.map((delta) => delta.argumentsDelta).join('');
    expect(JSON.parse(joined)).toEqual({ message: `Echo: ${text}` });
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done') {
      expect(done.result.toolCalls[0]?.function.arguments).toBe(joined);
      expect(done.result.toolCalls[0]?.id).toBe(deltas[0]?.id);
    }
  });

  it('streams plain content in pieces when there is no send_message tool', async () => {
    const events = await collect(provider.stream(request([{ role: 'user', content: 'stream me please' }], [])));
    const content = events.flatMap((event) => (event.type === 'content' ? [event.delta] : []));
    expect(content.length).toBeGreaterThan(1);
    expect(content.join('')).toBe('Echo: stream me please');
  });

  it('refuses an already-aborted signal with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const call = provider.generate(request([{ role: 'user', content: 'x' }]), { signal: controller.signal });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await expect(collect(provider.stream(request([]), { signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('OfflineProvider summaries', () => {
  const provider = new OfflineProvider();
  const summaryRequest = (previous: string | null, lines: string[]) => ({
    model: 'memgate-offline',
    messages: summaryRequestMessages(previous, lines, 100),
    sampling: {},
  });

  it('answers a summary request with a deterministic digest, in plain text', async () => {
    const request = summaryRequest(null, [
      '[2025-01-01 10:00] user: I moved to Porto last spring and I love the tiles',
      '[2025-01-01 10:00] assistant said: Porto is lovely!',
      '[2025-01-01 10:00] tool send_message result: {"status":"OK"}',
    ]);
    const first = await provider.generate(request);
    expect(first.toolCalls).toEqual([]);
    expect(first.content).toBe(
      '- The user said: I moved to Porto last spring and I love the tiles\n- The assistant replied: Porto is lovely!',
    );
    expect((await provider.generate(request)).content).toBe(first.content);
  });

  it('folds the previous summary in and stays bounded', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `[2025-01-01 10:00] user: fact number ${index}`);
    const result = await provider.generate(summaryRequest('- The user said: hello', lines));
    const summary = result.content ?? '';
    expect(summary.split('\n')).toHaveLength(12);
    expect(summary).toContain('fact number 29');
  });

  it('answers a message with images in text, saying it cannot see them', async () => {
    const result = await new OfflineProvider().generate(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://a.example/cat.png' } },
          ],
        },
      ]),
    );
    const { args } = onlyCall(result);
    expect(args['message']).toBe('Echo: What is this? (You sent an image; the offline demo model cannot see images.)');
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
  });
});
