import { isReservedToolName } from '../agent/base-tools.ts';
import type { ClientTools } from '../agent/turn-types.ts';
import { fieldError } from '../errors/validation.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';
import type { ChatCompletionRequest } from '../schemas/chat-request.ts';

type FunctionDefinition = NonNullable<ChatCompletionRequest['functions']>[number];

function definitionOf(fn: FunctionDefinition): LlmToolDefinition {
  const definition: LlmToolDefinition = { type: 'function', function: { name: fn.name } };
  if (fn.description !== undefined) definition.function.description = fn.description;
  if (fn.parameters !== undefined) definition.function.parameters = fn.parameters;
  if (fn.strict !== undefined) definition.function.strict = fn.strict;
  return definition;
}

/** The client's tools for this turn, or null when none are offered (or `none` was chosen). */
export function clientToolsOf(request: ChatCompletionRequest): ClientTools | null {
  const legacy = request.functions !== undefined;
  // Custom tools were refused by assertSupported; only function tools reach here.
  const functions = legacy
    ? request.functions
    : request.tools?.flatMap((tool) => (tool.type === 'function' ? [tool.function] : []));
  if (!functions?.length) return null;
  const field = legacy ? 'functions' : 'tools';
  const names = new Set<string>();
  functions.forEach((fn, index) => {
    const loc = legacy ? ['body', field, index, 'name'] : ['body', field, index, 'function', 'name'];
    if (isReservedToolName(fn.name)) {
      throw fieldError(loc, `The tool name "${fn.name}" is reserved for the agent's own tools.`);
    }
    if (names.has(fn.name)) throw fieldError(loc, `Duplicate tool name "${fn.name}".`);
    names.add(fn.name);
  });

  const choice = legacy ? request.function_call : request.tool_choice;
  if (choice === 'none') return null;
  const tools: ClientTools = {
    definitions: functions.map(definitionOf),
    style: legacy ? 'function' : 'tool',
    onlyClientToolsFirst: choice === 'required',
  };
  if (choice === 'required') tools.firstStepChoice = 'required';
  else if (typeof choice === 'object') {
    const name = namedChoice(choice);
    if (!names.has(name)) {
      throw fieldError(['body', legacy ? 'function_call' : 'tool_choice'], `No tool named "${name}" was offered.`);
    }
    tools.firstStepChoice = { type: 'function', function: { name } };
  }
  if (request.parallel_tool_calls !== undefined) tools.parallelToolCalls = request.parallel_tool_calls;
  return tools;
}

/** The tool a named choice forces (`{type: "function", function: {name}}`, or legacy `{name}`). */
function namedChoice(choice: object): string {
  if ('function' in choice) return (choice as { function: { name: string } }).function.name;
  return (choice as { name: string }).name;
}
