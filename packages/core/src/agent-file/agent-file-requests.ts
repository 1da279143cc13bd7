import { z } from 'zod';
import { parseOrThrow } from '../errors/validation.ts';
import type { AgentFileMessages } from './agent-file-export.ts';

/** A query flag as REST sends it (`true`/`false`) or GraphQL and WS do (a boolean). */
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((value) => value === true || value === 'true');

/** The query of an Agent File export: which messages it holds. */
export const agentFileExportQuerySchema = z.strictObject({
  messages: z.enum(['all', 'window', 'none']).default('all'),
});

/** The query of an Agent File import: `dry_run` plans and reports without storing anything. */
export const agentFileImportQuerySchema = z.strictObject({ dry_run: flag.default(false) });

/** An export's options from its query, with the same 422 on every protocol. */
export function parseAgentFileExportQuery(query: unknown): { messages: AgentFileMessages } {
  return parseOrThrow(agentFileExportQuerySchema, query ?? {}, 'query');
}

/** An import's options from its query, with the same 422 on every protocol. */
export function parseAgentFileImportQuery(query: unknown): { dryRun: boolean } {
  return { dryRun: parseOrThrow(agentFileImportQuerySchema, query ?? {}, 'query').dry_run };
}
