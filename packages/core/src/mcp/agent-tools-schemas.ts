import { z } from 'zod';

/** Most attachments one agent may have. */
export const MAX_AGENT_MCP_TOOLS = 256;

const attachmentSchema = z
  .object({
    server: z.string().min(1).max(200),
    tool: z.string().min(1).max(200).optional(),
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((entry) => (entry.tool === undefined) !== (entry.all === undefined), {
    message: 'Give either "tool" (one tool of the server) or "all": true (all of its allowed tools).',
  });

/** `PUT /v1/agents/{id}/tools`: the agent's attachments, replacing them all. */
export const agentToolsBodySchema = z
  .object({ tools: z.array(attachmentSchema).max(MAX_AGENT_MCP_TOOLS) })
  .strict()
  .meta({ id: 'AgentToolsUpdate' });

const attachmentResourceSchema = z
  .object({
    server_id: z.string(),
    server_name: z.string().nullable().meta({
      description: 'Null when the server was deleted: the attachment stays, listed as missing, and offers nothing.',
    }),
    tool: z.string().nullable().meta({ description: "Null: all of the server's allowed tools." }),
    all: z.boolean(),
    missing: z.boolean(),
  })
  .meta({ id: 'AgentToolAttachment' });

/** `GET /v1/agents/{id}/tools`: the attachments, and the tools they give the model now. */
export const agentToolsViewSchema = z
  .object({
    object: z.literal('agent.tools'),
    agent_id: z.string(),
    attachments: z.array(attachmentResourceSchema),
    tools: z
      .array(
        z.object({
          name: z.string().meta({ description: 'The name the model sees: `server__tool`.' }),
          server_id: z.string(),
          tool: z.string(),
          description: z.string().nullable(),
          requires_approval: z.boolean(),
        }),
      )
      .meta({ description: 'The tools a turn offers the model now.' }),
    warnings: z.array(z.object({ server_id: z.string(), tool: z.string().nullable(), message: z.string() })).meta({
      description: 'Why an attachment gives no tool now (server down or deleted, tool gone, not allowed, unusable).',
    }),
  })
  .meta({ id: 'AgentTools' });

export type AgentToolsView = z.infer<typeof agentToolsViewSchema>;
