import { z } from 'zod';
import { MemgateError } from '../errors/memgate-error.ts';
import { fieldError, parseOrThrow } from '../errors/validation.ts';

/** `MEMGATE_MAX_IMPORT_BYTES` when unset: the largest Agent File an import reads (50 MiB). */
export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;

// The schema follows Letta's `letta/schemas/agent_file.py` (AgentFileSchema and the entity schemas
// it lists) but reads only what memgate uses or must warn about. Letta's models carry many optional
// fields that change between releases, so every object is loose and most fields nullish: a file
// Letta wrote is refused only when memgate could not make sense of it.

const textPartSchema = z.looseObject({ type: z.string().nullish(), text: z.string().nullish() });

const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string().nullish() }),
});

const toolReturnSchema = z.looseObject({
  tool_call_id: z.string().nullish(),
  status: z.string().nullish(),
  func_response: z.string().nullish(),
});

const messageSchema = z.looseObject({
  id: z.string().min(1),
  role: z.string().min(1),
  content: z.union([z.string(), z.array(textPartSchema)]).nullish(),
  name: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  tool_call_id: z.string().nullish(),
  tool_returns: z.array(toolReturnSchema).nullish(),
  created_at: z.string().nullish(),
});

const createBlockSchema = z.looseObject({
  label: z.string(),
  value: z.string(),
  limit: z.number().int().nonnegative().nullish(),
  description: z.string().nullish(),
  read_only: z.boolean().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const blockSchema = createBlockSchema.extend({ id: z.string().min(1) });

const toolSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  tool_type: z.string().nullish(),
  source_type: z.string().nullish(),
  json_schema: z.record(z.string(), z.unknown()).nullish(),
});

const llmConfigSchema = z.looseObject({
  model: z.string().nullish(),
  context_window: z.number().int().positive().nullish(),
  model_endpoint_type: z.string().nullish(),
});

/** Letta keeps variables as a name → value map; older files as a list of `{key, value}`. */
const variablesSchema = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish();

const toolRuleSchema = z.looseObject({ tool_name: z.string().nullish(), type: z.string().nullish() });

const agentSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  agent_type: z.string().nullish(),
  description: z.string().nullish(),
  system: z.string().nullish(),
  llm_config: llmConfigSchema.nullish(),
  model: z.string().nullish(),
  context_window_limit: z.number().int().positive().nullish(),
  memory_blocks: z.array(createBlockSchema).nullish(),
  block_ids: z.array(z.string()).nullish(),
  tool_ids: z.array(z.string()).nullish(),
  tools: z.array(z.string()).nullish(),
  tool_rules: z.array(toolRuleSchema).nullish(),
  source_ids: z.array(z.string()).nullish(),
  folder_ids: z.array(z.string()).nullish(),
  group_ids: z.array(z.string()).nullish(),
  files_agents: z.array(z.looseObject({ file_name: z.string().nullish() })).nullish(),
  tags: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  tool_exec_environment_variables: variablesSchema,
  secrets: variablesSchema,
  enable_sleeptime: z.boolean().nullish(),
  messages: z.array(messageSchema).nullish(),
  in_context_message_ids: z.array(z.string()).nullish(),
});

const namedSchema = z.looseObject({ id: z.string().nullish(), name: z.string().nullish() });

/**
 * Letta's AgentFileSchema (v2, multi-entity) as memgate reads it. Only `agents` is required: Letta
 * writes every section, but hand-made and older files leave some out.
 */
export const agentFileSchema = z.looseObject({
  agents: z.array(agentSchema).min(1, 'An Agent File holds at least one agent.'),
  groups: z
    .array(namedSchema.extend({ manager_config: z.looseObject({ manager_type: z.string().nullish() }).nullish() }))
    .nullish(),
  blocks: z.array(blockSchema).nullish(),
  files: z.array(namedSchema.extend({ file_name: z.string().nullish() })).nullish(),
  sources: z.array(namedSchema).nullish(),
  tools: z.array(toolSchema).nullish(),
  mcp_servers: z.array(namedSchema.extend({ server_name: z.string().nullish() })).nullish(),
  // Letta's metadata is a string map; memgate keeps its own state under `memgate` as a JSON string.
  metadata: z.record(z.string(), z.unknown()).nullish(),
  created_at: z.string().nullish(),
});

/** An Agent File as read: Letta's fields memgate knows, every other field kept as it came. */
export type AgentFileDocument = z.output<typeof agentFileSchema>;
/** One agent of a file, its messages and in-context ids included. */
export type AgentFileAgent = AgentFileDocument['agents'][number];
/** A message as Letta's `MessageSchema` writes it. */
export type AgentFileMessage = NonNullable<AgentFileAgent['messages']>[number];
/** A block of the file's `blocks`, which agents name in `block_ids`. */
export type AgentFileBlock = NonNullable<AgentFileDocument['blocks']>[number];
/** A tool of the file's `tools`, which agents name in `tool_ids`; memgate never runs its code. */
export type AgentFileTool = NonNullable<AgentFileDocument['tools']>[number];

/** Options of `parseAgentFile`. */
export interface ParseAgentFileOptions {
  /** The largest file read, in UTF-8 bytes; PAYLOAD_TOO_LARGE past it. Default `DEFAULT_MAX_IMPORT_BYTES`. */
  maxBytes?: number;
}

/**
 * Reads an Agent File (.af): a JSON document, or a JSON string holding one (double-encoded, as
 * several published samples are). Refuses with a 422 naming the place: invalid JSON, no `agents`,
 * an agent's `block_ids`/`tool_ids` naming an entity the file lacks. Reading never runs or fetches anything.
 */
export function parseAgentFile(text: string, options: ParseAgentFileOptions = {}): AgentFileDocument {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new MemgateError('PAYLOAD_TOO_LARGE', `The Agent File is larger than ${maxBytes} bytes.`, {
      detailCode: 'agent_file_too_large',
    });
  }
  return readAgentFileDocument(parseJson(text, 'The Agent File is not valid JSON'));
}

/**
 * `parseAgentFile` for a body a server already parsed as JSON (whose size its body limit bounded):
 * the document, or a string holding it, checked the same way.
 */
export function readAgentFileDocument(value: unknown): AgentFileDocument {
  const document =
    typeof value === 'string' ? parseJson(value, 'The Agent File holds a string that is not JSON') : value;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw fieldError(['body'], 'An Agent File is a JSON object with an `agents` list.', 'invalid_agent_file');
  }
  const parsed = parseOrThrow(agentFileSchema, document);
  checkReferences(parsed);
  return parsed;
}

function parseJson(text: string, problem: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fieldError(['body'], `${problem}: ${(error as Error).message}`, 'invalid_agent_file');
  }
}

/** Every id an agent names must be in the file, so that an import never attaches to something else. */
function checkReferences(document: AgentFileDocument): void {
  const blockIds = uniqueIds(document.blocks ?? [], ['body', 'blocks']);
  const toolIds = uniqueIds(document.tools ?? [], ['body', 'tools']);
  uniqueIds(document.agents, ['body', 'agents']);
  document.agents.forEach((agent, agentIndex) => {
    const at = (field: string, index: number) => ['body', 'agents', agentIndex, field, index];
    agent.block_ids?.forEach((id, index) => {
      if (!blockIds.has(id)) throw dangling(at('block_ids', index), `block ${id}`);
    });
    agent.tool_ids?.forEach((id, index) => {
      if (!toolIds.has(id)) throw dangling(at('tool_ids', index), `tool ${id}`);
    });
    // In-context ids the file has no message for are not refused: Letta's own exports list every
    // in-context id but only the latest messages. The import keeps the window it can (a warning).
    uniqueIds(agent.messages ?? [], ['body', 'agents', agentIndex, 'messages']);
  });
}

/** The entities' ids; a repeated one is a 422, since a reference to it would be ambiguous. */
function uniqueIds(entities: { id: string }[], loc: (string | number)[]): Set<string> {
  const ids = new Set<string>();
  entities.forEach((entity, index) => {
    if (ids.has(entity.id)) {
      throw fieldError([...loc, index, 'id'], `The Agent File repeats the id ${entity.id}.`, 'invalid_agent_file');
    }
    ids.add(entity.id);
  });
  return ids;
}

function dangling(loc: (string | number)[], what: string): MemgateError {
  return fieldError(loc, `The Agent File names ${what}, which it does not contain.`, 'invalid_agent_file');
}
