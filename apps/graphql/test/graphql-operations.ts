/** The operations the tests send, selecting every field of the contract's types. */
const TOOL_CALL = 'index id type function { name arguments }';
const USAGE = 'promptTokens completionTokens totalTokens promptTokensDetails { cachedTokens }';

export const COMPLETE = /* GraphQL */ `
  mutation Complete($input: ChatCompletionInput!) {
    createChatCompletion(input: $input) {
      id object created model systemFingerprint
      choices { index finishReason message { role content refusal toolCalls { ${TOOL_CALL} } } }
      usage { ${USAGE} }
    }
  }
`;

export const STREAM = /* GraphQL */ `
  subscription Stream($input: ChatCompletionInput!) {
    chatCompletionStream(input: $input) {
      id object created model systemFingerprint
      choices { index finishReason delta { role content refusal toolCalls { ${TOOL_CALL} } } }
      usage { ${USAGE} }
    }
  }
`;

export const AGENT_EVENTS = /* GraphQL */ `
  subscription Events($agentId: ID!) {
    agentEvents(agentId: $agentId) {
      type agentId
      message { id role content toolCalls toolCallId name createdAt }
    }
  }
`;

export const AGENT_FIELDS = 'id object name model system contextWindow createdAt memory { label value limit }';
