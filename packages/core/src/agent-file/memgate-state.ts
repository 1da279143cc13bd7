import { z } from 'zod';
import type { AgentFileDocument } from './agent-file-schema.ts';

/** The key of an Agent File's `metadata` under which memgate keeps what Letta has no field for. */
export const MEMGATE_METADATA_KEY = 'memgate';

const agentStateSchema = z.looseObject({
  summary: z
    .looseObject({ text: z.string(), message_count: z.number().int().nonnegative(), updated_at: z.string() })
    .nullish(),
  /** How many of the agent's messages (its whole history, not only the exported ones) precede the window. */
  window_start: z.number().int().nonnegative().nullish(),
  passages: z
    .array(
      z.looseObject({ content: z.string(), embedding_model: z.string().nullish(), created_at: z.string().nullish() }),
    )
    .nullish(),
  /** The agent's settings (model roles, per-turn limits), in the REST names. */
  settings: z
    .looseObject({
      summary_model: z.string().nullish(),
      embedding_model: z.string().nullish(),
      fallback_models: z.array(z.string()).nullish(),
      max_steps_per_turn: z.number().int().positive().nullish(),
      max_tokens_per_turn: z.number().int().positive().nullish(),
    })
    .nullish(),
  conversations: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().nullish(),
        metadata: z.record(z.string(), z.string()).nullish(),
        created_at: z.string().nullish(),
        updated_at: z.string().nullish(),
      }),
    )
    .nullish(),
});

const memgateStateSchema = z.looseObject({
  version: z.literal(1),
  /** By the agent's id in the file. */
  agents: z.record(z.string(), agentStateSchema),
});

/** memgate-only state of one exported agent: summary, window start, archival passages, conversations. */
export type MemgateAgentState = z.output<typeof agentStateSchema>;
/** `metadata.memgate` of an Agent File memgate wrote. */
export type MemgateState = z.output<typeof memgateStateSchema>;

/**
 * Reads `metadata.memgate` from a file memgate exported. Letta types `metadata` as a string map,
 * so memgate writes its state there as a JSON string (an object is read too). A file without it,
 * or with something else under that key, has none: it is then reported, not trusted.
 */
export function readMemgateState(document: AgentFileDocument): { state: MemgateState | null; unreadable: boolean } {
  const raw = document.metadata?.[MEMGATE_METADATA_KEY];
  if (raw === undefined || raw === null) return { state: null, unreadable: false };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { state: null, unreadable: true };
    }
  }
  const parsed = memgateStateSchema.safeParse(value);
  return parsed.success ? { state: parsed.data, unreadable: false } : { state: null, unreadable: true };
}

/** `metadata.memgate` as written: a JSON string, since Letta reads `metadata` as `Dict[str, str]`. */
export function writeMemgateState(state: MemgateState): string {
  return JSON.stringify(state);
}
