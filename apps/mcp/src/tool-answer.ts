import { MemgateError } from '@memgate/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool's answer: JSON (pretty, for a model to read) or text. */
export function answer(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] };
}

/**
 * A core error as a failed tool result (the MCP way: the model reads it and may correct its call),
 * with the same status and code every protocol reports.
 */
export function failure(error: unknown): CallToolResult {
  const normalised = MemgateError.fromUnknown(error);
  const code = normalised.detailCode ?? normalised.code.toLowerCase();
  return {
    content: [{ type: 'text', text: `Error ${normalised.status} (${code}): ${normalised.message}` }],
    isError: true,
  };
}

/** Runs a tool's work, turning any error into a failed result. */
export async function run(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return answer(await work());
  } catch (error) {
    return failure(error);
  }
}
