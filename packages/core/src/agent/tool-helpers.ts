import type { MemoryBlock, NewPassage } from '../domain/types.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';
import type { ArchivalMemory } from '../memory/archival-memory.ts';
import type { RecallMemory } from '../memory/recall-memory.ts';
import type { UsageLog } from '../usage/usage-log.ts';

/** What running an agent tool produced, as the agent will read it. */
export interface ToolOutcome {
  /** Text returned to the agent as the tool message. */
  result: string;
  failed: boolean;
}

/** The agent-side state a tool may read and change during one step. */
export interface ToolContext {
  agentId: string;
  /** The conversation of the running turn. */
  conversationId: string;
  /** The agent's core memory; tools mutate values here, the loop persists what changed. */
  memory: MemoryBlock[];
  changedLabels: Set<string>;
  archival: ArchivalMemory;
  recall: RecallMemory;
  /** Passages the step inserts; committed atomically with the step's messages. */
  newPassages: NewPassage[];
  /** The longest result the agent will see; search tools size their pages to fit it. */
  maxResultCharacters: number;
  /** True in an ephemeral turn (`store: false`): tools that write memory refuse, and say why. */
  readOnly: boolean;
  signal?: AbortSignal;
  /** The turn's usage records: the tools' embedding calls are recorded there. */
  usage?: UsageLog;
}

export interface AgentTool {
  definition: LlmToolDefinition;
  /**
   * A tool whose only effect is on core memory, through `context.memory`: run again on the latest
   * memory when another conversation wrote a block since the turn read it (memory-reapply.ts).
   */
  editsMemory?: true;
  /**
   * Not run by the turn: the call goes to the client as a client tool call, which approves or
   * declines it with its result (`{"approve": true}`); an approved call runs on the next request.
   */
  requiresApproval?: true;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> | ToolOutcome;
}

export const heartbeatParameter = {
  type: 'boolean',
  description: 'Request an immediate heartbeat after the call: set it to true to keep working (chain tools).',
};

export const pageParameter = {
  type: 'integer',
  description: 'Page of results to show, 1 for the first (the default). Only use on a follow-up query.',
};

/** A function tool definition. */
export function fn(name: string, description: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'function' as const,
    function: {
      name,
      description,
      parameters: { type: 'object', properties, required },
    },
  };
}

/** What a memory-writing tool answers in an ephemeral turn: the agent reads why nothing changed. */
export function readOnlyMemory(): ToolOutcome {
  return toolFailure(
    'Memory is read-only in this turn (the request has store: false): nothing was saved. Answer without saving.',
  );
}

/** A success the agent reads: `{ status: 'OK', message, ...extra }`. */
export function ok(message: string, extra: Record<string, unknown> = {}): ToolOutcome {
  return { result: JSON.stringify({ status: 'OK', message, ...extra }), failed: false };
}

/** A failure the agent sees and can correct; nothing was changed. */
export function toolFailure(message: string): ToolOutcome {
  return { result: JSON.stringify({ status: 'Failed', message }), failed: true };
}

export function stringArgument(args: Record<string, unknown>, name: string): string | ToolOutcome {
  const value = args[name];
  if (typeof value !== 'string') return toolFailure(`Argument "${name}" must be a string.`);
  return value;
}

/** The optional 1-based `page` argument (numbers sent as strings are accepted). */
export function pageArgument(args: Record<string, unknown>): number | ToolOutcome {
  const value = args['page'];
  if (value === undefined || value === null) return 1;
  const page = typeof value === 'string' ? Number(value) : value;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 0) {
    return toolFailure('Argument "page" must be a whole number, 1 for the first page.');
  }
  return page;
}

/** `text` cut to `maxCharacters`, saying how long it was. */
export function clipText(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text;
  return `${text.slice(0, Math.max(0, maxCharacters))}… [${text.length - maxCharacters} more characters]`;
}
