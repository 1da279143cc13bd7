import { type AgentFileImportOutcome, fieldError, type Memgate } from '@memgate/core';
import type { GraphqlContext } from '../graphql-context.ts';
import { linkedAbort } from '../streams/linked-abort.ts';
import { agentFields } from './agent-output.ts';
import { modelFields } from './console-output.ts';

type Root = unknown;

interface ExportArgs {
  id: string;
  messages?: boolean | null;
  windowOnly?: boolean | null;
}

/** REST's `?messages=` of an export from the GraphQL flags: all (default), window or none. */
function exportQuery(args: ExportArgs): { messages: 'all' | 'window' | 'none' } {
  if (args.messages === false && args.windowOnly) {
    throw fieldError(['query', 'windowOnly'], 'windowOnly keeps the window of the history: not with messages false.');
  }
  if (args.messages === false) return { messages: 'none' };
  return { messages: args.windowOnly ? 'window' : 'all' };
}

/** The GraphQL `AgentImport`; an Agent File always holds at least one agent (the core checks it). */
function importFields(outcome: AgentFileImportOutcome) {
  const agents = outcome.agents.map(agentFields);
  return { agent: agents[0], agents, agentIds: outcome.agent_ids, warnings: outcome.warnings, dryRun: outcome.dry_run };
}

/**
 * The model list and Letta Agent Files, as REST serves them (agent-routes.ts, agent-file-routes.ts).
 * An import reads the file as REST reads its body: the JSON text, held to MEMGATE_MAX_IMPORT_BYTES.
 */
export function createAgentFileResolvers(memgate: Memgate) {
  const { agentFiles } = memgate;
  const runImport = async (file: unknown, dryRun: boolean, context: GraphqlContext) => {
    const abort = linkedAbort(context.signal);
    try {
      const query = { dry_run: dryRun };
      const outcome = await agentFiles.importAgents(
        context.principal,
        JSON.stringify(file),
        query,
        abort.controller.signal,
      );
      return importFields(outcome);
    } finally {
      abort.unlink();
    }
  };
  return {
    Query: {
      models: async (_root: Root, _args: unknown, context: GraphqlContext) =>
        (await memgate.models(context.principal)).data.map(modelFields),
      exportAgent: async (_root: Root, args: ExportArgs, context: GraphqlContext) => {
        context.request.agentId = args.id;
        return agentFiles.export(context.principal, args.id, exportQuery(args));
      },
      agentImportPlan: (_root: Root, args: { file: unknown }, context: GraphqlContext) =>
        runImport(args.file, true, context),
    },
    Mutation: {
      importAgent: (_root: Root, args: { file: unknown }, context: GraphqlContext) =>
        runImport(args.file, false, context),
    },
  };
}
