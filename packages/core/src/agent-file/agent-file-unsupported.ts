import type { AgentFileAgent, AgentFileDocument } from './agent-file-schema.ts';
import { isMemgateTool, LETTA_MEMORY_TOOLS } from './agent-file-tools.ts';
import type { ImportNotes } from './import-notes.ts';

/** The sections of Letta's AgentFileSchema; anything else at the top of a file is reported. */
const KNOWN_SECTIONS = new Set([
  'agents',
  'groups',
  'blocks',
  'files',
  'sources',
  'tools',
  'mcp_servers',
  'metadata',
  'created_at',
]);

/**
 * Names everything in the file memgate cannot run, so that nothing is dropped silently: tools that
 * are not memgate's built-in ones (their code is never run), MCP servers (never connected to),
 * groups and their managers, files and sources, and sections memgate does not know.
 */
export function reportUnsupportedEntities(document: AgentFileDocument, notes: ImportNotes): void {
  for (const tool of document.tools ?? []) {
    const name = tool.name ?? tool.id;
    if (isMemgateTool(name)) continue;
    const kind = [tool.tool_type, tool.source_type].filter(Boolean).join(', ');
    notes.warn(
      LETTA_MEMORY_TOOLS.has(name)
        ? `Tool "${name}" (${kind}) was not imported: memgate's agents edit memory with its own memory tools.`
        : `Tool "${name}"${kind ? ` (${kind})` : ''} was not imported: memgate runs only its built-in tools and never runs a file's code.`,
    );
  }
  for (const server of document.mcp_servers ?? []) {
    notes.warn(
      `MCP server "${server.server_name ?? server.name ?? server.id}" was not imported: an import never connects to a server it names.`,
    );
  }
  for (const group of document.groups ?? []) {
    const manager = group.manager_config?.manager_type;
    notes.warn(
      `Group ${group.id ?? '(no id)'}${manager ? ` (${manager} manager)` : ''} was not imported: memgate runs each agent on its own; shared blocks stay shared.`,
    );
  }
  for (const file of document.files ?? []) {
    notes.warn(`File "${file.file_name ?? file.name ?? file.id}" was not imported: memgate has no file sources.`);
  }
  for (const source of document.sources ?? []) {
    notes.warn(`Source "${source.name ?? source.id}" was not imported: memgate has no file sources.`);
  }
  for (const [key, value] of Object.entries(document)) {
    if (KNOWN_SECTIONS.has(key) || isEmpty(value)) continue;
    notes.warn(`Section "${key}" of the file is not part of the Agent File format memgate reads; it was not imported.`);
  }
}

/** Names the per-agent settings memgate cannot honour: variables and secrets (names only), tool rules, sources. */
export function reportUnsupportedSettings(agent: AgentFileAgent, notes: ImportNotes): void {
  const name = `Agent ${agent.id}`;
  for (const variable of variableNames(agent.tool_exec_environment_variables)) {
    notes.warn(`${name}: tool environment variable "${variable}" was not imported (values are never imported).`);
  }
  for (const secret of variableNames(agent.secrets)) {
    notes.warn(`${name}: secret "${secret}" was not imported (values are never imported).`);
  }
  for (const rule of agent.tool_rules ?? []) {
    notes.warn(
      `${name}: tool rule "${rule.type ?? 'unknown'}" on "${rule.tool_name ?? '?'}" is not supported; it was ignored.`,
    );
  }
  for (const toolName of agent.tools ?? []) {
    if (!isMemgateTool(toolName)) notes.warn(`${name}: tool "${toolName}" was not imported.`);
  }
  const sources = [...(agent.source_ids ?? []), ...(agent.folder_ids ?? [])];
  if (sources.length > 0) notes.warn(`${name}: its sources ${sources.join(', ')} were not attached.`);
  for (const file of agent.files_agents ?? []) {
    notes.warn(`${name}: open file "${file.file_name ?? '?'}" was not imported.`);
  }
  if (agent.enable_sleeptime) notes.warn(`${name}: sleep-time agents are not run by memgate; the setting was ignored.`);
  if (agent.description) notes.warn(`${name}: its description was not imported (memgate agents have none).`);
}

/** The names of Letta's variables: a name → value map, or a list of `{key}` entries. Never the values. */
function variableNames(variables: AgentFileAgent['secrets']): string[] {
  if (!variables) return [];
  if (!Array.isArray(variables)) return Object.keys(variables);
  return variables.flatMap((entry) => {
    if (entry && typeof entry === 'object' && 'key' in entry && typeof entry.key === 'string') return [entry.key];
    return ['(unnamed)'];
  });
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
