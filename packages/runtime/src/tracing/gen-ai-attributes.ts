/*
 * The GenAI semantic-convention attribute names memgate sets. They are still "incubating" in
 * @opentelemetry/semantic-conventions, whose guidance is to copy such names rather than import the
 * incubating entry point (it may change in a minor release).
 */
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** Deprecated for `gen_ai.provider.name`, still read by many backends: both are set. */
export const GEN_AI_SYSTEM = 'gen_ai.system';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** Content: set only with MEMGATE_TRACE_CONTENT=1. */
export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';

/** memgate's own attributes. */
export const MEMGATE_REQUEST_ID = 'memgate.request.id';
export const MEMGATE_PROTOCOL = 'memgate.protocol';
export const MEMGATE_USER_ID = 'memgate.user.id';
export const MEMGATE_AGENT_ID = 'memgate.agent.id';
export const MEMGATE_STREAMING = 'memgate.streaming';
export const MEMGATE_OUTCOME = 'memgate.outcome';
export const MEMGATE_STEP = 'memgate.step';
export const MEMGATE_STEPS = 'memgate.steps';
export const MEMGATE_UPSTREAM_CALLS = 'memgate.upstream_calls';
export const MEMGATE_UPSTREAM_PURPOSE = 'memgate.upstream.purpose';
export const MEMGATE_UPSTREAM_ATTEMPT = 'memgate.upstream.attempt';
export const MEMGATE_MESSAGES = 'memgate.messages';
