import type { GenerateCall } from '../context/summariser.ts';
import type { ContextSummary, MemoryBlock, StoredMessage, ToolCall, Usage } from '../domain/types.ts';
import { callWithFallbacks } from '../llm/fallback-chain.ts';
import { modelChain } from '../llm/fallback-reason.ts';
import type { LlmProvider, LlmRequest, LlmToolDefinition } from '../llm/provider.ts';
import type { Telemetry } from '../telemetry/telemetry.ts';
import { type AgentTool, agentToolDefinitions } from './base-tools.ts';
import { toLlmMessage } from './context-messages.ts';
import { compileSystemPrompt } from './system-prompt.ts';
import { addUsage } from './turn-messages.ts';
import type { TurnInput } from './turn-types.ts';
import { endUpstreamCall, identifiedRequest, startUpstreamCall } from './upstream-call.ts';

/** The tools offered on a step: only the client's on a first step that requires one of them. */
export function toolsForStep(
  input: TurnInput,
  tools: ReadonlyMap<string, AgentTool>,
  step: number,
): LlmToolDefinition[] {
  const { clientTools } = input;
  if (clientTools && step === 0 && clientTools.onlyClientToolsFirst) return clientTools.definitions;
  return [...agentToolDefinitions(tools, input.replyFormat?.sendMessage), ...(clientTools?.definitions ?? [])];
}

/** The upstream request of one step: system prompt (memory, summary), turn instructions, window. */
export function buildStepRequest(
  input: TurnInput,
  context: { memory: MemoryBlock[]; summary: ContextSummary | null; messages: StoredMessage[] },
  tools: LlmToolDefinition[],
  step: number,
): LlmRequest {
  const request: LlmRequest = {
    model: input.model,
    messages: [
      { role: 'system', content: compileSystemPrompt(input.agent, context.memory, context.summary) },
      ...input.turnInstructions,
      ...context.messages.map(toLlmMessage),
    ],
    tools,
    sampling: input.sampling,
  };
  const { clientTools } = input;
  if (clientTools) {
    if (step === 0 && clientTools.firstStepChoice) request.toolChoice = clientTools.firstStepChoice;
    if (clientTools.parallelToolCalls !== undefined) request.parallelToolCalls = clientTools.parallelToolCalls;
  }
  return request;
}

/** What summary calls need besides the turn: the provider, and where fallbacks are reported. */
export interface SummaryCalls {
  provider: LlmProvider;
  telemetry?: Telemetry | undefined;
}

/**
 * Upstream calls made for the turn besides its steps (summaries): timed, cancellable, in its usage;
 * on the summary model, then each of the agent's fallback models while one fails for a reason to
 * fall back (each attempt a usage record and a span of its own).
 */
export function accountedGenerate(calls: SummaryCalls, input: TurnInput, usage: Usage): GenerateCall {
  const { provider } = calls;
  const scope = {
    provider,
    telemetry: calls.telemetry,
    requestId: input.trace.requestId,
    agentId: input.agent.id,
    purpose: 'summary' as const,
    signal: input.signal,
  };
  return (asked, parent) =>
    callWithFallbacks(modelChain(asked.model, input.agent.settings.fallbackModels), scope, async (model, attempt) => {
      const started = performance.now();
      const startedAt = Date.now();
      const request = identifiedRequest(input, model === asked.model ? asked : { ...asked, model });
      input.timing.upstreamCalls++;
      const attributes = { model, streaming: false, purpose: 'summary' as const, attempt };
      const { span, options } = startUpstreamCall(input, { ...attributes, messages: request.messages }, parent);
      const record = { model, purpose: 'summary' as const, startedAt };
      try {
        const result = await provider.generate(request, options);
        endUpstreamCall(span, result);
        addUsage(usage, result.usage);
        input.usage?.add({ ...record, latencyMs: performance.now() - started, usage: result.usage });
        return result;
      } catch (error) {
        endUpstreamCall(span, undefined, error);
        input.usage?.add({ ...record, latencyMs: performance.now() - started, error });
        throw error;
      } finally {
        input.timing.upstreamMs += performance.now() - started;
      }
    });
}

/** The pending-call record of a client tool call. */
export function pendingCall(agentId: string, call: ToolCall, style: 'tool' | 'function') {
  return {
    agentId,
    toolCallId: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
    style,
    createdAt: new Date().toISOString(),
  };
}
