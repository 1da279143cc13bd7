import { ContextManager, type ContextWindowState, type FitInput } from '../context/context-manager.ts';
import type { Agent, MemoryBlock, StoredMessage, Usage } from '../domain/types.ts';
import { MemgateError } from '../errors/memgate-error.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { StopReason } from '../limits/limit-types.ts';
import { callWithFallbacks, reportFallback } from '../llm/fallback-chain.ts';
import { fallbackReason, modelChain } from '../llm/fallback-reason.ts';
import type { LlmProvider, LlmRequest } from '../llm/provider.ts';
import { ArchivalMemory } from '../memory/archival-memory.ts';
import { RecallMemory } from '../memory/recall-memory.ts';
import { agentsOfBlock, publishBlockUpdate } from '../services/block-service.ts';
import type { Store, TurnStep } from '../store/store.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { withIdentityHeaders, withSafetyIdentifier } from '../usage/upstream-identity.ts';
import { UsageLog } from '../usage/usage-log.ts';
import { type AgentTool, agentToolDefinitions, BASE_AGENT_TOOLS } from './base-tools.ts';
import { CommitGate } from './commit-gate.ts';
import { HeldSteps } from './held-steps.ts';
import { isMemoryConflict, reapplyMemoryEdits } from './memory-reapply.ts';
import { plainTextReply, repairInstruction } from './reply-format.ts';
import { ReplyWriter } from './reply-writer.ts';
import { executeToolCalls, parseArguments, runSafely, toolResultLimit, truncateResult } from './tool-execution.ts';
import { toolFailure } from './tool-helpers.ts';
import { addUsage, assistantMessage, normaliseToolCallIds, systemAlert, withTokenCount } from './turn-messages.ts';
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
  /** Where calls that fall back to another model are reported (a log line, a counter). */
  telemetry?: Telemetry;
}

/** Tries of a step whose memory edits keep meeting newer writes from other conversations. */
const MAX_MEMORY_ATTEMPTS = 5;

/** Everything one running turn keeps between its steps. */
interface TurnState {
  input: TurnInput;
  memory: TurnInput['agent']['memory'];
  window: ContextWindowState;
  context: ContextManager;
  reply: ReplyWriter;
  /** A structured turn's steps, stored only once it has a valid reply (null: a text turn). */
  held: HeldSteps | null;
  /** Stores a step (with the request's metadata), or in an ephemeral turn keeps it in this turn only. */
  write: (step: TurnStep) => Promise<StoredMessage[]>;
  /** The first commit, overlapping the first upstream call. */
  gate: CommitGate;
  /** The models a step may call, in order: the turn's, then the agent's fallbacks. */
  models: string[];
  /** Where the next step starts in `models`: a turn that fell back stays on the model that answered. */
  modelIndex: number;
  /** Archival memory as this agent embeds it (its `embedding_model`, else the server's). */
  archival: ArchivalMemory;
  /** The agent's tools in this turn: the runner's own, plus its attached MCP tools. */
  tools: ReadonlyMap<string, AgentTool>;
}

/**
 * The messages of a step as this turn's window sees them, without storing anything: what an
 * ephemeral turn does instead of committing. Seqs continue the window's, so the window keeps its
 * order; summaries and pending calls are not kept.
 */
function keepInTurn(step: TurnStep, window: ContextWindowState, conversationId: string): StoredMessage[] {
  let seq = window.messages.at(-1)?.seq ?? 0;
  return step.messages.map((message) => ({ ...withTokenCount(message), conversationId, seq: ++seq }));
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

  async *run(clientInput: TurnInput): AsyncGenerator<TurnEvent> {
    const { agent } = clientInput;
    const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    const gate = new CommitGate(clientInput.signal);
    const owner = {
      userId: agent.userId,
      keyId: clientInput.keyId ?? null,
      agentId: agent.id,
      conversationId: clientInput.conversationId,
      turnId: clientInput.trace.turnId,
    };
    const { admission } = clientInput;
    const usageLog = new UsageLog(
      owner,
      this.options.provider,
      admission && ((record) => admission.recordCall(record)),
    );
    // The turn's upstream calls stop when the client leaves or when the first commit fails.
    const input: TurnInput = clientInput.ephemeral
      ? { ...clientInput, usage: usageLog }
      : { ...clientInput, signal: gate.signal, usage: usageLog };
    const withMetadata = (step: TurnStep): TurnStep => {
      const { metadata } = input;
      return metadata ? { ...step, messages: step.messages.map((message) => ({ ...message, metadata })) } : step;
    };
    // An ephemeral turn keeps its messages in this turn's window only; nothing reaches the store.
    // Every other write waits for the commit before it, so the history keeps the turn's order.
    const write = async (step: TurnStep) => {
      if (input.ephemeral) return keepInTurn(step, window, input.conversationId);
      await gate.durable();
      return this.commit(withMetadata(step), input, memory);
    };
    const context = new ContextManager({
      store: this.options.store,
      commit: write,
      generate: accountedGenerate({ provider: this.options.provider, telemetry: this.options.telemetry }, input, usage),
    });
    const window = input.window ?? (await context.load(input.conversationId));
    const memory = agent.memory.map((block) => ({ ...block }));
    const turn: TurnState = {
      input,
      memory,
      window,
      context,
      reply: new ReplyWriter(),
      held: input.replyFormat ? new HeldSteps(input.replyFormat, input.conversationId) : null,
      write,
      gate,
      models: modelChain(input.model, agent.settings.fallbackModels),
      modelIndex: 0,
      archival: this.archival.withModel(agent.settings.embeddingModel),
      tools: input.mcpTools?.size ? new Map([...this.tools, ...input.mcpTools]) : this.tools,
    };
    const resultLimit = toolResultLimit(agent.contextWindow);
    // Calls the client approved run now: their results, not the approval, are what is stored.
    if (input.approvedCalls?.length) await this.runApproved(turn, resultLimit);
    // A client's tool result is capped like the agent's own: no single result may flood the window.
    const newMessages = input.newMessages.map((message) =>
      withTokenCount(
        message.role === 'tool' ? { ...message, content: truncateResult(message.content ?? '', resultLimit) } : message,
      ),
    );
    const first = withMetadata({
      agentId: agent.id,
      messages: newMessages,
      resolvePendingToolCallIds: input.resolvedToolCallIds,
    });
    // The new messages join the prompt at once, as this turn sees them; their commit runs beside
    // the first upstream call, and the gate holds back the reply until it is durable.
    const provisional = keepInTurn(first, window, input.conversationId);
    window.messages.push(...provisional);
    if (!input.ephemeral) gate.begin(this.commit(first, input, memory), window, provisional);

    try {
      yield* this.steps(turn, usage);
    } finally {
      // The caller releases the agent's lock when the turn ends: not before its first commit has.
      await gate.settled();
      gate.dispose();
      input.trace.step?.end({});
      input.trace.step = null;
      // What no step carried: the calls of a turn that failed, or that stored nothing (`store: false`).
      await usageLog.settle(this.options.store);
    }
  }

  /** The loop: one upstream call per step, then its tools, until the agent has answered. */
  private async *steps(turn: TurnState, usage: Usage): AsyncGenerator<TurnEvent> {
    const { input, window, write } = turn;
    const { agent, clientTools } = input;
    const resultLimit = toolResultLimit(agent.contextWindow);
    // The model asked for, reported on every chunk and completion alike (upstreams may add a date suffix).
    const model = input.model;
    const maxSteps = Math.min(agent.settings.maxStepsPerTurn ?? this.options.maxSteps, this.options.maxSteps);
    for (let step = 0; step < maxSteps; step++) {
      // Before each further call: a per-turn limit or a budget reached ends the turn here, where
      // every stored tool call has its result.
      const stop = step > 0 ? stopBeforeCall(input, usage) : null;
      if (stop) {
        yield { type: 'end', finishReason: 'length', model, usage, stopReason: stop };
        return;
      }
      // A block shared with other agents may have changed since the last step: read it again.
      if (step > 0 && turn.memory.some((block) => (block.agentCount ?? 1) > 1)) await this.refreshMemory(turn);
      input.trace.step?.end({});
      input.trace.step = input.trace.span.child('step', { index: step, agentId: agent.id });
      input.trace.steps = step + 1;
      const { result, streamedSends } = yield* this.callWithRoom(turn, step);
      addUsage(usage, result.usage);

      const toolCalls = normaliseToolCallIds(result.toolCalls);
      if (toolCalls.length === 0 && result.refusal) {
        yield { type: 'refusal', delta: result.refusal };
        await this.record(turn, { agentId: agent.id, messages: [assistantMessage(agent.id, result.refusal, null)] });
        await this.release(turn);
        yield { type: 'end', finishReason: refusalFinish(result.finishReason), model, usage };
        return;
      }
      if (toolCalls.length === 0 && turn.held) {
        const reply = yield* this.plainStructuredReply(turn, result.content ?? '');
        if (!reply) continue;
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }
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
        tools: turn.tools,
        clientToolNames: new Set(clientTools?.definitions.map((tool) => tool.function.name)),
        replyFormat: input.replyFormat,
        memory: turn.memory,
        agentId: agent.id,
        conversationId: input.conversationId,
        streamedSends,
        archival: turn.archival,
        recall: this.recall,
        maxResultCharacters: resultLimit,
        readOnly: input.ephemeral,
        signal: input.signal,
        ...(input.usage && { usage: input.usage }),
        span: input.trace.step ?? input.trace.span,
      });
      // A structured reply is stored before it is relayed: it is the turn's last word.
      if (!turn.held) yield* this.relaySends(turn, outcome.sentMessages);
      const style = clientTools?.style ?? 'tool';
      await this.record(turn, {
        agentId: agent.id,
        messages: [assistantMessage(agent.id, result.content, toolCalls), ...outcome.toolMessages],
        memory: outcome.memoryChanges,
        passages: outcome.newPassages,
        addPendingToolCalls: outcome.pending.map((call) => pendingCall(agent.id, call, style)),
      });
      if (turn.held) {
        const replied = outcome.sentMessages.length > 0;
        if (replied || outcome.pending.length > 0) await this.release(turn);
        yield* this.relaySends(turn, outcome.sentMessages);
        if (replied && outcome.pending.length === 0) {
          yield { type: 'end', finishReason: 'stop', model, usage };
          return;
        }
        // Throws once the repair step has failed too.
        for (const problem of outcome.rejectedReplies) turn.held.rejected(problem);
      }
      if (outcome.pending.length > 0) {
        yield { type: 'client_tool_calls', calls: outcome.pending, style };
        yield { type: 'end', finishReason: style === 'function' ? 'function_call' : 'tool_calls', model, usage };
        return;
      }
      // A structured turn goes on until it has replied: its answer cannot be empty.
      if (!outcome.continueLoop && !turn.held) {
        yield { type: 'end', finishReason: 'stop', model, usage };
        return;
      }
    }
    if (turn.held) {
      throw new MemgateError(
        'UPSTREAM_ERROR',
        `The agent sent no reply matching response_format within ${maxSteps} steps.`,
        { param: 'response_format', detailCode: 'invalid_structured_output' },
      );
    }
    const stopReason: StopReason = {
      code: 'max_steps_per_turn',
      message:
        maxSteps < this.options.maxSteps
          ? `The turn made the agent's max_steps_per_turn (${maxSteps}) upstream calls and stopped.`
          : `The turn made the server's most upstream calls per turn (MEMGATE_MAX_STEPS, ${maxSteps}) and stopped.`,
    };
    yield { type: 'end', finishReason: 'length', model, usage, stopReason };
  }

  /**
   * One upstream call with the prompt fitted to the context window first, on the turn's model or,
   * while a call fails before any byte reached the client for a reason to fall back (429, 5xx,
   * timeout, no connection, an open breaker), on the agent's next fallback model. An upstream that
   * still finds the prompt too long (its tokenizer is not ours) moves the turn to the first fallback
   * with a larger window than the agent's, else gets one retry after a forced summarisation.
   */
  private async *callWithRoom(turn: TurnState, step: number): AsyncGenerator<TurnEvent, UpstreamCall> {
    const { input } = turn;
    const tools = toolsForStep(input, turn.tools, step);
    const fit: FitInput = {
      agent: input.agent,
      model: input.agent.settings.summaryModel ?? input.agent.model,
      memory: turn.memory,
      instructions: turn.held ? [...input.turnInstructions, ...turn.held.llmMessages()] : input.turnInstructions,
      tools,
      span: input.trace.step ?? input.trace.span,
      // A summary moves the window by seq: it needs the new messages' stored seqs.
      beforeChange: () => turn.gate.durable(),
    };
    await turn.context.fit(turn.window, fit);
    const progress: CallProgress & { attempt: number } = { relayed: false, attempt: 0 };
    const scope = this.fallbackScope(input, 'step');
    let summarised = false;
    for (;;) {
      const model = turn.models[turn.modelIndex]!;
      const request = buildStepRequest(input, promptContext(turn), tools, step);
      progress.attempt++;
      const call = callUpstream(this.options.provider, input, { ...request, model }, turn.reply, progress);
      try {
        return yield* this.gated(turn, call);
      } catch (error) {
        // After a byte reached the client, or once it left, the error is the turn's.
        if (progress.relayed || input.signal?.aborted) throw error;
        const next = turn.models[turn.modelIndex + 1];
        if (error instanceof MemgateError && error.detailCode === 'context_length_exceeded') {
          const larger = this.largerWindow(turn);
          if (larger !== null) {
            reportFallback(scope, model, turn.models[larger]!, 'context_length_exceeded');
            turn.modelIndex = larger;
            continue;
          }
          if (summarised) throw error;
          summarised = (await turn.context.fit(turn.window, { ...fit, force: true })).summarised;
          if (!summarised) throw error;
          continue;
        }
        const reason = fallbackReason(error);
        if (reason === null || next === undefined) throw error;
        reportFallback(scope, model, next, reason);
        turn.modelIndex++;
      }
    }
  }

  /** The first model after the current one whose window is larger than the agent's (the prompt was fitted to that). */
  private largerWindow(turn: TurnState): number | null {
    const { provider } = this.options;
    for (let index = turn.modelIndex + 1; index < turn.models.length; index++) {
      const window = provider.capabilities?.(turn.models[index]!)?.contextWindow ?? null;
      if (window !== null && window > turn.input.agent.contextWindow) return index;
    }
    return null;
  }

  private fallbackScope(input: Pick<TurnInput, 'agent' | 'trace' | 'signal'>, purpose: 'step' | 'summary') {
    return {
      provider: this.options.provider,
      telemetry: this.options.telemetry,
      requestId: input.trace.requestId,
      agentId: input.agent.id,
      purpose,
      signal: input.signal,
    };
  }

  /**
   * Relays an upstream call's events only once the turn's first commit is durable, and returns its
   * result only then; if the commit failed (which aborted the call), fails with the commit's error.
   */
  private async *gated<T>(turn: TurnState, call: AsyncGenerator<TurnEvent, T>): AsyncGenerator<TurnEvent, T> {
    let next: IteratorResult<TurnEvent, T> | undefined;
    try {
      for (next = await call.next(); !next.done; next = await call.next()) {
        await turn.gate.durable();
        yield next.value;
      }
      await turn.gate.durable();
      return next.value;
    } catch (error) {
      throw await turn.gate.reported(error);
    } finally {
      // A consumer that stops early (the client left) ends the call too.
      if (!next?.done) await call.return(undefined as T);
    }
  }

  /**
   * Runs the MCP calls the client approved, in order, each result (a failure included: the tool may
   * be gone, its server down) written into the call's tool message, capped like any result.
   */
  private async runApproved(turn: TurnState, resultLimit: number): Promise<void> {
    const { input } = turn;
    for (const { call, message } of input.approvedCalls ?? []) {
      const tool = turn.tools.get(call.name);
      const args = parseArguments(call.arguments);
      const context = {
        agentId: input.agent.id,
        conversationId: input.conversationId,
        memory: turn.memory,
        changedLabels: new Set<string>(),
        archival: turn.archival,
        recall: this.recall,
        newPassages: [],
        maxResultCharacters: resultLimit,
        readOnly: input.ephemeral,
        ...(input.signal && { signal: input.signal }),
      };
      const span = input.trace.span.child('tool', {
        name: call.name,
        callId: call.toolCallId,
        arguments: call.arguments,
      });
      const outcome = !tool
        ? toolFailure(`The tool ${call.name} is no longer available to this agent; it was not run.`)
        : !args
          ? toolFailure(`The arguments of ${call.name} are not a valid JSON object.`)
          : await runSafely(tool, args, context).catch((error: unknown) => {
              span.end({ failed: true }, error);
              throw error;
            });
      span.end({ failed: outcome.failed, output: outcome.result });
      message.content = truncateResult(outcome.result, resultLimit);
    }
  }

  /** Emits the sends of a step as reply text (those not already relayed while streaming). */
  private *relaySends(turn: TurnState, sends: { message: string; streamed: boolean }[]): Generator<TurnEvent> {
    for (const text of sends) {
      if (text.streamed) continue;
      const delta = turn.reply.begin() + text.message;
      turn.reply.write(text.message);
      if (delta) yield { type: 'content', delta };
    }
  }

  /**
   * A structured turn's plain-text answer: the reply if it is conforming JSON (returns true, stored
   * and relayed), else held with a repair request (returns false, the loop goes on).
   */
  private async *plainStructuredReply(turn: TurnState, text: string): AsyncGenerator<TurnEvent, boolean> {
    const held = turn.held!;
    const agentId = turn.input.agent.id;
    const reply = plainTextReply(held.format, text);
    if ('problem' in reply) {
      held.hold({
        agentId,
        messages: [
          assistantMessage(agentId, text, null),
          systemAlert(agentId, repairInstruction(held.format, reply.problem)),
        ],
      });
      held.rejected(reply.problem);
      return false;
    }
    await this.record(turn, { agentId, messages: [assistantMessage(agentId, reply.json, null)] });
    await this.release(turn);
    yield* this.relaySends(turn, [{ message: reply.json, streamed: false }]);
    return true;
  }

  /** Stores a step at once, or holds it back in a structured turn. */
  private async record(turn: TurnState, step: TurnStep): Promise<void> {
    if (turn.held) turn.held.hold(step);
    else turn.window.messages.push(...(await turn.write(step)));
  }

  /** Stores a structured turn's held steps, as one: it has its reply (or is waiting on the client). */
  private async release(turn: TurnState): Promise<void> {
    const merged = turn.held?.merged(turn.input.agent.id);
    if (merged) await turn.write(merged);
  }

  /**
   * Stores a step in the turn's conversation. Its memory edits are written over the block versions
   * they were made from; when another conversation wrote a block since, the step's memory tool
   * calls are run again on the latest memory (their results may change, a failure included, which
   * the agent reads) and the step is stored with those. `memory` is the turn's working memory,
   * kept in step with what was stored.
   */
  private async commit(step: TurnStep, input: TurnInput, memory: MemoryBlock[]): Promise<StoredMessage[]> {
    const changesWindow = step.contextStartSeq !== undefined || step.summary !== undefined;
    if (
      step.messages.length === 0 &&
      !step.resolvePendingToolCallIds?.length &&
      !step.passages?.length &&
      !step.memory?.length &&
      !changesWindow
    ) {
      return [];
    }
    const parent = input.trace.step ?? input.trace.span;
    const span = parent.child('store.commit', { agentId: step.agentId, messages: step.messages.length });
    let stored: StoredMessage[];
    // The calls that led to this step are stored with it: no write of their own on a turn's way.
    const usage = input.usage?.take();
    let current: TurnStep = {
      ...step,
      conversationId: input.conversationId,
      messages: step.messages.map(withTokenCount),
      ...(usage && { usage }),
    };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          stored = await this.options.store.commitStep(current);
          break;
        } catch (error) {
          if (!isMemoryConflict(error) || attempt >= MAX_MEMORY_ATTEMPTS) throw error;
          current = await this.reapplyMemory(current, input, memory);
        }
      }
      span.end({});
    } catch (error) {
      input.usage?.giveBack(usage);
      span.end({}, error);
      throw error;
    }
    const last = stored.at(-1);
    if (last) input.timing.lastMessageId = last.id;
    for (const change of current.memory ?? []) {
      const block = memory.find((candidate) => candidate.label === change.label);
      if (!block) continue;
      if (change.version !== undefined) block.version = change.version + 1;
      await this.publishBlock(block, input);
    }
    await this.publishMessages(step.agentId, input.conversationId, stored);
    return stored;
  }

  /** Tells the agent's subscribers, on every protocol and instance, of the messages a step stored. */
  private async publishMessages(agentId: string, conversationId: string, stored: StoredMessage[]): Promise<void> {
    for (const message of stored) {
      await this.options.events.publish({ type: 'message.created', agentId, conversationId, message });
    }
  }

  /**
   * Fits one conversation's window to the agent's context window now, summarising what no longer
   * fits (an agent whose window was made smaller). The caller holds the conversation's lock.
   * Returns whether it summarised.
   */
  async compact(
    agent: Agent,
    conversationId: string,
    call: { signal?: AbortSignal | undefined; keyId?: string | undefined } = {},
  ): Promise<boolean> {
    const { signal } = call;
    // The summary calls are recorded as the key's whose change of the window asked for them; they
    // are made outside any turn.
    const owner = { userId: agent.userId, keyId: call.keyId ?? null, agentId: agent.id, conversationId, turnId: null };
    const usageLog = new UsageLog(owner, this.options.provider);
    const commit = async (step: TurnStep) => {
      const usage = usageLog.take();
      let stored: StoredMessage[];
      try {
        stored = await this.options.store.commitStep({
          ...step,
          conversationId,
          messages: step.messages.map(withTokenCount),
          ...(usage && { usage }),
        });
      } catch (error) {
        usageLog.giveBack(usage);
        throw error;
      }
      await this.publishMessages(agent.id, conversationId, stored);
      return stored;
    };
    const identity = { userId: agent.userId, agentId: agent.id };
    const scope = {
      provider: this.options.provider,
      telemetry: this.options.telemetry,
      requestId: null,
      agentId: agent.id,
      purpose: 'summary' as const,
      signal,
    };
    // The summary model, then the agent's fallbacks, as in a turn.
    const generate = (asked: LlmRequest) =>
      callWithFallbacks(modelChain(asked.model, agent.settings.fallbackModels), scope, async (model) => {
        const request = model === asked.model ? asked : { ...asked, model };
        const started = performance.now();
        const record = { model, purpose: 'summary' as const, startedAt: Date.now() };
        try {
          const options = withIdentityHeaders({ ...(signal && { signal }) }, identity);
          const result = await this.options.provider.generate(withSafetyIdentifier(request, identity), options);
          usageLog.add({ ...record, latencyMs: performance.now() - started, usage: result.usage });
          return result;
        } catch (error) {
          usageLog.add({ ...record, latencyMs: performance.now() - started, error });
          throw error;
        }
      });
    const context = new ContextManager({ store: this.options.store, commit, generate });
    try {
      const window = await context.load(conversationId);
      const { summarised } = await context.fit(window, {
        agent,
        model: agent.settings.summaryModel ?? agent.model,
        memory: agent.memory,
        instructions: [],
        tools: agentToolDefinitions(this.tools),
      });
      return summarised;
    } finally {
      await usageLog.settle(this.options.store);
    }
  }

  /** Tells every agent the block is attached to (one query more for a shared block) that it changed. */
  private async publishBlock(block: MemoryBlock, input: TurnInput): Promise<void> {
    const { store, events } = this.options;
    const agentIds = await agentsOfBlock(store, input.agent.userId, input.agent.id, block);
    await publishBlockUpdate(events, block, agentIds, 'agent', input.agent.id);
  }

  /** The turn's memory as stored now: what another agent sharing a block wrote is seen from this step on. */
  private async refreshMemory(turn: TurnState): Promise<void> {
    const agent = await this.options.store.getAgent(turn.input.agent.userId, turn.input.agent.id);
    if (agent) turn.memory.splice(0, turn.memory.length, ...agent.memory.map((block) => ({ ...block })));
  }

  /** The step with its memory tool calls run again on the agent's latest memory (see `commit`). */
  private async reapplyMemory(step: TurnStep, input: TurnInput, memory: MemoryBlock[]): Promise<TurnStep> {
    const agent = await this.options.store.getAgent(input.agent.userId, input.agent.id);
    if (!agent)
      throw new MemgateError('NOT_FOUND', `Agent ${input.agent.id} not found.`, { detailCode: 'agent_not_found' });
    const { step: reapplied, memory: latest } = await reapplyMemoryEdits(step, agent.memory, {
      // Only memory-editing tools are run again: the runner's own (MCP tools never are).
      tools: this.tools,
      archival: this.archival.withModel(agent.settings.embeddingModel),
      recall: this.recall,
      maxResultCharacters: toolResultLimit(input.agent.contextWindow),
      signal: input.signal,
    });
    // The turn goes on from the latest memory, its own edits re-applied.
    memory.splice(0, memory.length, ...latest);
    return reapplied;
  }
}

/** What the next step's prompt is built from: the stored window, then any held-back steps. */
function promptContext(turn: TurnState) {
  const { summary, messages } = turn.window;
  const held = turn.held?.messages() ?? [];
  return { memory: turn.memory, summary, messages: held.length > 0 ? [...messages, ...held] : messages };
}

/** Why the turn must make no further upstream call: its token limit, or a budget now spent. */
function stopBeforeCall(input: TurnInput, usage: Usage): StopReason | null {
  const maxTokens = input.agent.settings.maxTokensPerTurn;
  if (maxTokens !== null && usage.total_tokens >= maxTokens) {
    return {
      code: 'max_tokens_per_turn',
      message: `The turn used ${usage.total_tokens} tokens, reaching the agent's max_tokens_per_turn (${maxTokens}), and stopped.`,
    };
  }
  return input.admission?.budgetStop() ?? null;
}

/** The upstream's finish reason for a refusal, where it is one clients know ('stop' otherwise). */
function refusalFinish(reason: string): 'stop' | 'content_filter' | 'length' {
  return reason === 'content_filter' || reason === 'length' ? reason : 'stop';
}
