import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fieldError } from '../errors/validation.ts';
import type { LlmToolDefinition } from '../llm/provider.ts';
import type { ChatCompletionRequest } from '../schemas/chat-request.ts';
import { SEND_MESSAGE } from './base-tools.ts';

/** What a structured reply is checked against: any JSON object, or the client's JSON Schema. */
export interface ReplyFormat {
  type: 'json_object' | 'json_schema';
  /** The schema's name, for error messages (json_schema only). */
  name: string | null;
  /** The send_message offered on every step of the turn: its `message` is the schema. */
  sendMessage: LlmToolDefinition;
  /** Validates a reply value; returns what is wrong with it, or null when it conforms. */
  check(value: unknown): string | null;
}

const SCHEMA_LOC = ['body', 'response_format', 'json_schema', 'schema'];
const ANY_OBJECT = { type: 'object' };

/** One compiler per JSON Schema dialect; `strict: false` lets schemas carry OpenAI's extra keywords. */
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function compilerFor(schema: Record<string, unknown>): Ajv | Ajv2020 {
  const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  if (dialect.includes('2020-12')) {
    if (!draft2020) draft2020 = new Ajv2020({ strict: false, allErrors: true });
    return draft2020;
  }
  if (!draft07) draft07 = new Ajv({ strict: false, allErrors: true });
  return draft07;
}

/** The typed send_message of a structured turn: the model fills `message` with the reply itself. */
function typedSendMessage(schema: Record<string, unknown>, description: string, strict: boolean): LlmToolDefinition {
  return {
    type: 'function',
    function: {
      name: SEND_MESSAGE,
      description:
        'Sends your reply to the user. This is the only way the user sees anything you say. In this turn the reply ' +
        `must be JSON: ${description} Call it once, when the reply is complete.`,
      parameters: {
        type: 'object',
        properties: { message: schema },
        required: ['message'],
        additionalProperties: false,
      },
      ...(strict ? { strict: true } : {}),
    },
  };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/**
 * The reply format a request asks for, with its schema compiled; null for text. A schema that is
 * not valid JSON Schema is the client's error: 422 at the field, before anything is stored.
 */
export function replyFormatOf(request: ChatCompletionRequest): ReplyFormat | null {
  const format = request.response_format;
  if (!format || format.type === 'text') return null;
  if (format.type === 'json_object') {
    return {
      type: 'json_object',
      name: null,
      sendMessage: typedSendMessage(ANY_OBJECT, 'one JSON object.', false),
      check: (value) => (isObject(value) ? null : 'the reply is not a JSON object'),
    };
  }
  const { name, description, schema, strict } = format.json_schema;
  // Without a schema OpenAI's rule is only "valid JSON"; an object keeps clients' parsers working.
  const effective = schema ?? ANY_OBJECT;
  let validate: ValidateFunction;
  const compiler = compilerFor(effective);
  try {
    validate = compiler.compile(effective);
  } catch (error) {
    throw fieldError(
      SCHEMA_LOC,
      `Invalid JSON Schema for response_format "${name}": ${error instanceof Error ? error.message : String(error)}`,
      'invalid_json_schema',
    );
  } finally {
    // Ajv caches every schema it compiled (and claims its $id): a shared compiler must forget it.
    compiler.removeSchema(effective);
  }
  const purpose = description ? ` (${description})` : '';
  return {
    type: 'json_schema',
    name,
    sendMessage: typedSendMessage(effective, `it must match the JSON Schema "${name}"${purpose}.`, strict === true),
    check: (value) => (validate(value) ? null : describeErrors(validate.errors)),
  };
}

/**
 * The reply a structured send_message carries, as JSON text, or what is wrong with it. Models
 * without schema-constrained decoding often send the JSON as a string: that is accepted when the
 * string itself does not conform but the JSON it holds does.
 */
export function structuredReply(format: ReplyFormat, value: unknown): { json: string } | { problem: string } {
  const problem = format.check(value);
  if (problem === null) return { json: JSON.stringify(value) };
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    if (parsed.ok && format.check(parsed.value) === null) return { json: JSON.stringify(parsed.value) };
  }
  return { problem };
}

/** The message that tells the model what failed, so it can resend (the one repair step). */
export function repairInstruction(format: ReplyFormat, problem: string): string {
  const target = format.name ? `the JSON Schema "${format.name}"` : 'the required format (one JSON object)';
  return (
    `Your reply was not delivered: it does not match ${target}: ${problem}. ` +
    `Call ${SEND_MESSAGE} again with a corrected "message".`
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Parses a plain-text answer (a model that replied without send_message) as the structured reply. */
export function plainTextReply(format: ReplyFormat, text: string): { json: string } | { problem: string } {
  const parsed = parseJson(text.trim());
  if (!parsed.ok) return { problem: 'the reply is not valid JSON' };
  return structuredReply(format, parsed.value);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
