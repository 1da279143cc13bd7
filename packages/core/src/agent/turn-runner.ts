import { ContextManager, type ContextWindowState, type FitInput } from '../context/context-manager.ts';
import type { StoredMessage, Usage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { LlmProvider } from '../llm/provider.ts';
import { ArchivalMemory } from '../memory/archival-memory.ts';
import { RecallMemory } from '../memory/recall-memory.ts';
import type { Store, TurnStep } from '../store/store.ts';
import { type AgentTool, BASE_AGENT_TOOLS } from './base-tools.ts';
import { ReplyWriter } from './reply-writer.ts';
import { executeToolCalls, toolResultLimit, truncateResult } from './tool-execution.ts';
import { addUsage, assistantMessage, normaliseToolCallIds, withTokenCount } from './turn-messages.ts';
import { accountedGenerate, buildStepRequest, pendingCall, toolsForStep } from './turn-request.ts';
import type { TurnEvent, TurnInput } from './turn-types.ts';
import { type CallProgress, callUpstream, type UpstreamCall } from './upstream-call.ts';

export interface TurnRunnerOptions {
  store: Store;
  provider: LlmProvider;
  events: EventBus;
  /** Upstream calls per turn before the loop stops (MemGPT's heartbeat chain limit). */
  maxSteps: number;
  tools?: ReadonlyMap<string, AgentTool>;
  /** Defaults to archival memory without embeddings. */
  archival?: ArchivalMemory;
}

/** Everything one running turn keeps between its steps. */
interface TurnState {
  input: TurnInput;
  memory: TurnInput['agent']['memory'];
  window: ContextWindowState;
  context: ContextManager;
  reply: ReplyWriter;
}

/**
 * The messages of a step as this turn's window sees them, without storing anything: what an
 * ephemeral turn does instead of committing. Seqs continue the window's, so the window keeps its
 * order; summaries and pending calls are not kept.
 */
function keepInTurn(step: TurnStep, window: ContextWindowState): StoredMessage[] {
  let seq = window.messages.at(-1)?.seq ?? 0;
  return step.messages.map((message) => ({ ...withTokenCount(message), seq: ++seq }));
}

/** Runs the MemGPT loop of one turn. The caller holds the agent's lock. */
export class TurnRunner {
  private readonly tools: ReadonlyMap<string, AgentTool>;
  private readonly archival: ArchivalMemory;
  private readonly recall: RecallMemory;

  constructor(private readonly options: TurnRunnerOptions) {
    this.tools = options.tools ?? BASE_AGENT_TOOLS;
    this.archival = options.archival ?? new ArchivalMemory({ store: options.store, provider: options.provider });
    this.recall = new RecallMemory(options.store);
  }

  async *run(input: TurnInput): AsyncGenerator<TurnEvent> {
    const { agent, clientTools } = input;
    const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    // An ephemeral turn keeps its messages in this turn's window only; nothing reaches the store.
    const write = async (step: TurnStep) => {
      if (input.ephemeral) return keepInTurn(step, window);
      const { metadata } = input;
      return this.commit(
        metadata ? { ...step, messages: step.messages.map((message) => ({ ...message, metadata })) } : step,
      );
    };
    const context = new ContextManager({
      store: this.options.store,
      commit: write,
      generate: accountedGenerate(this.options.provider, input, usage),
    });
    const window = await context.load(agent.id);
    const turn: TurnState = {
      input,
      memory: agent.memory.map((block) => ({ ...block })),
      window,
      context,
      reply: new ReplyWriter(),
    };
    const resultLimit = toolResultLimit(agent.contextWindow);
    // A client's tool result is capped like the agent's own: no single result may flood the window.
    const newMessages = input.newMessages.map((message) =>
      message.role === 'tool' ? { ...message, content: truncateResult(message.content ?? '', resultLimit) } : message,
    );
    window.messages.push(
      ...(await write({
        agentId: agent.id,
        messages: newMessages,
        resolvePendingToolCallIds: input.resolvedToolCallIds,
      })),
    );

    // The model asked for, reported on every chunk and completion alike (upstreams may add a date suffix).
    const model = input.model;
    for (let step = 0; step < this.options.maxSteps; step++) {
      const { result, streamedSends } = yield* this.callWithRoom(turn, step);
      addUsage(usage, result.usage);

      const toolCalls = normaliseToolCallIds(result.toolCalls);
      if (toolCalls.length === 0) {
        // A plain answer counts as send_message (models and servers without tool support).
        const text = result.content ?? '';
        if (!input.streaming || text) yield { type: 'content', delta: turn.reply.begin() + text };
        turn.reply.write(text);
        window.messages.push(
          ...(await write({ agentId: agent.id, messages: [assistantMessage(agent.id, text, null)] })),
        );
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }

      const outcome = await executeToolCalls({
        calls: toolCalls,
        tools: this.tools,
        clientToolNames: new Set(clientTools?.definitions.map((tool) => tool.function.name)),
        memory: turn.memory,
        agentId: agent.id,
        streamedSends,
        archival: this.archival,
        recall: this.recall,
        maxResultCharacters: resultLimit,
        readOnly: input.ephemeral,
        signal: input.signal,
      });
      for (const text of outcome.sentMessages) {
        if (text.streamed) continue;
        const delta = turn.reply.begin() + text.message;
        turn.reply.write(text.message);
        if (delta) yield { type: 'content', delta };
      }
      const style = clientTools?.style ?? 'tool';
      window.messages.push(
        ...(await write({
          agentId: agent.id,
          messages: [assistantMessage(agent.id, result.content, toolCalls), ...outcome.toolMessages],
          memory: outcome.memoryChanges,
          passages: outcome.newPassages,
          addPendingToolCalls: outcome.pending.map((call) => pendingCall(agent.id, call, style)),
        })),
      );
      if (outcome.pending.length > 0) {
        yield { type: 'client_tool_calls', calls: outcome.pending, style };
        yield { type: 'end', finishReason: style === 'function' ? 'function_call' : 'tool_calls', model, usage };
        return;
      }
      if (!outcome.continueLoop) {
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }
    }
    yield { type: 'end', finishReason: turn.reply.text() === null ? 'length' : 'stop', model, usage };
  }

  /**
   * One upstream call with the prompt fitted to the context window first. An upstream that still
   * finds it too long (its tokenizer is not ours) gets one retry after a forced summarisation.
   */
  private async *callWithRoom(turn: TurnState, step: number): AsyncGenerator<TurnEvent, UpstreamCall> {
    const tools = toolsForStep(turn.input, this.tools, step);
    const fit: FitInput = {
      agent: turn.input.agent,
      model: turn.input.model,
      memory: turn.memory,
      instructions: turn.input.turnInstructions,
      tools,
    };
    await turn.context.fit(turn.window, fit);
    const progress: CallProgress = { relayed: false };
    const call = () =>
      callUpstream(
        this.options.provider,
        turn.input,
        buildStepRequest(turn.input, { memory: turn.memory, ...turn.window }, tools, step),
        turn.reply,
        progress,
      );
    try {
      return yield* call();
    } catch (error) {
      const overflow = error instanceof MemgateError && error.detailCode === 'context_length_exceeded';
      if (!overflow || progress.relayed) throw error;
      const { summarised } = await turn.context.fit(turn.window, { ...fit, force: true });
      if (!summarised) throw error;
      return yield* call();
    }
  }

  private async commit(step: TurnStep): Promise<StoredMessage[]> {
    const changesWindow = step.contextStartSeq !== undefined || step.summary !== undefined;
    if (
      step.messages.length === 0 &&
      !step.resolvePendingToolCallIds?.length &&
      !step.passages?.length &&
      !changesWindow
    ) {
      return [];
    }
    const stored = await this.options.store.commitStep({ ...step, messages: step.messages.map(withTokenCount) });
    for (const message of stored) {
      await this.options.events.publish({ type: 'message.created', agentId: step.agentId, message });
    }
    return stored;
  }
}
