import { randomUUID } from 'node:crypto';
import type { NewMessage, StoredMessage, ToolCall, Usage } from '../domain/types.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { LlmProvider, LlmRequest, LlmResult } from '../llm/provider.ts';
import type { Store, TurnStep } from '../store/store.ts';
import { type AgentTool, BASE_AGENT_TOOLS, sendMessageDefinition } from './base-tools.ts';
import { toLlmMessage } from './context-messages.ts';
import { ReplyWriter, SendMessageStream } from './reply-writer.ts';
import { compileSystemPrompt } from './system-prompt.ts';
import { executeToolCalls } from './tool-execution.ts';
import type { TurnEvent, TurnInput } from './turn-types.ts';

export interface TurnRunnerOptions {
  store: Store;
  provider: LlmProvider;
  events: EventBus;
  /** Upstream calls per turn before the loop stops (MemGPT's heartbeat chain limit). */
  maxSteps: number;
  tools?: ReadonlyMap<string, AgentTool>;
}

/** Runs the MemGPT loop of one turn. The caller holds the agent's lock. */
export class TurnRunner {
  private readonly tools: ReadonlyMap<string, AgentTool>;

  constructor(private readonly options: TurnRunnerOptions) {
    this.tools = options.tools ?? BASE_AGENT_TOOLS;
  }

  async *run(input: TurnInput): AsyncGenerator<TurnEvent> {
    const { agent, clientTools } = input;
    const memory = agent.memory.map((block) => ({ ...block }));
    const context = await this.options.store.listContextMessages(agent.id);
    context.push(
      ...(await this.commit({
        agentId: agent.id,
        messages: input.newMessages,
        resolvePendingToolCallIds: input.resolvedToolCallIds,
      })),
    );

    const reply = new ReplyWriter();
    const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    // The model asked for, reported on every chunk and completion alike (upstreams may add a date suffix).
    const model = input.model;
    for (let step = 0; step < this.options.maxSteps; step++) {
      const request = this.buildRequest(input, memory, context, step);
      const { result, streamedSends } = yield* this.callUpstream(input, request, reply);
      usage.prompt_tokens += result.usage.prompt_tokens;
      usage.completion_tokens += result.usage.completion_tokens;
      usage.total_tokens += result.usage.total_tokens;

      const toolCalls = normaliseToolCallIds(result.toolCalls);
      if (toolCalls.length === 0) {
        // A plain answer counts as send_message (models and servers without tool support).
        const text = result.content ?? '';
        if (!input.streaming || text) yield { type: 'content', delta: reply.begin() + text };
        reply.write(text);
        context.push(...(await this.commit({ agentId: agent.id, messages: [assistantMessage(agent.id, text, null)] })));
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }

      const outcome = await executeToolCalls({
        calls: toolCalls,
        tools: this.tools,
        clientToolNames: new Set(clientTools?.definitions.map((tool) => tool.function.name)),
        memory,
        agentId: agent.id,
        streamedSends,
      });
      for (const text of outcome.sentMessages) {
        if (text.streamed) continue;
        const delta = reply.begin() + text.message;
        reply.write(text.message);
        if (delta) yield { type: 'content', delta };
      }
      context.push(
        ...(await this.commit({
          agentId: agent.id,
          messages: [assistantMessage(agent.id, result.content, toolCalls), ...outcome.toolMessages],
          memory: outcome.memoryChanges,
          addPendingToolCalls: outcome.pending.map((call) => ({
            agentId: agent.id,
            toolCallId: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
            style: clientTools?.style ?? 'tool',
            createdAt: new Date().toISOString(),
          })),
        })),
      );
      if (outcome.pending.length > 0) {
        const style = clientTools?.style ?? 'tool';
        yield { type: 'client_tool_calls', calls: outcome.pending, style };
        yield { type: 'end', finishReason: style === 'function' ? 'function_call' : 'tool_calls', model, usage };
        return;
      }
      if (!outcome.continueLoop) {
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }
    }
    yield { type: 'end', finishReason: reply.text() === null ? 'length' : 'stop', model, usage };
  }

  private buildRequest(input: TurnInput, memory: TurnInput['agent']['memory'], context: StoredMessage[], step: number) {
    const { clientTools } = input;
    const agentTools = [sendMessageDefinition, ...[...this.tools.values()].map((tool) => tool.definition)];
    const firstStep = step === 0;
    const tools =
      clientTools && firstStep && clientTools.onlyClientToolsFirst
        ? clientTools.definitions
        : [...agentTools, ...(clientTools?.definitions ?? [])];
    const request: LlmRequest = {
      model: input.model,
      messages: [
        { role: 'system', content: compileSystemPrompt(input.agent, memory) },
        ...input.turnInstructions,
        ...context.map(toLlmMessage),
      ],
      tools,
      sampling: input.sampling,
    };
    if (clientTools) {
      if (firstStep && clientTools.firstStepChoice) request.toolChoice = clientTools.firstStepChoice;
      if (clientTools.parallelToolCalls !== undefined) request.parallelToolCalls = clientTools.parallelToolCalls;
    }
    return request;
  }

  /** One upstream call; while streaming, relays send_message text as it is generated. */
  private async *callUpstream(input: TurnInput, request: LlmRequest, reply: ReplyWriter) {
    const started = performance.now();
    input.timing.upstreamCalls++;
    try {
      if (!input.streaming) {
        return { result: await this.options.provider.generate(request, { signal: input.signal }), streamedSends: NONE };
      }
      const sends = new Map<number, SendMessageStream>();
      let result: LlmResult | undefined;
      for await (const event of this.options.provider.stream(request, { signal: input.signal })) {
        if (event.type === 'done') result = event.result;
        else if (event.type === 'tool_call') {
          let send = sends.get(event.index);
          if (!send && event.name === sendMessageDefinition.function.name) {
            send = new SendMessageStream(reply);
            sends.set(event.index, send);
          }
          const delta = send?.push(event.argumentsDelta);
          if (delta) yield { type: 'content', delta } satisfies TurnEvent;
        }
      }
      if (!result) throw new Error('Upstream stream ended without a result.');
      const streamedSends = new Set([...sends].filter(([, send]) => send.hasText).map(([index]) => index));
      return { result, streamedSends };
    } finally {
      input.timing.upstreamMs += performance.now() - started;
    }
  }

  private async commit(step: TurnStep): Promise<StoredMessage[]> {
    if (step.messages.length === 0 && !step.resolvePendingToolCallIds?.length) return [];
    const stored = await this.options.store.commitStep(step);
    for (const message of stored) {
      await this.options.events.publish({ type: 'message.created', agentId: step.agentId, message });
    }
    return stored;
  }
}

const NONE: ReadonlySet<number> = new Set();

/** Upstreams may omit or repeat tool call ids; every stored call needs its own. */
function normaliseToolCallIds(calls: ToolCall[]): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((call) => {
    if (call.id && !seen.has(call.id)) {
      seen.add(call.id);
      return call;
    }
    const fixed = { ...call, id: `call_${randomUUID().replaceAll('-', '')}` };
    seen.add(fixed.id);
    return fixed;
  });
}

function assistantMessage(agentId: string, content: string | null, toolCalls: ToolCall[] | null): NewMessage {
  return {
    id: `message-${randomUUID()}`,
    agentId,
    role: 'assistant',
    content,
    toolCalls,
    toolCallId: null,
    name: null,
    createdAt: new Date().toISOString(),
  };
}
