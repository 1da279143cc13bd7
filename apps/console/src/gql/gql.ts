/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MessageFields on AgentMessage {\n    id\n    role\n    content\n    toolCalls\n    toolCallId\n    name\n    createdAt\n    conversationId\n    contentParts\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment BlockFields on MemoryBlock {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n": typeof types.BlockFieldsFragmentDoc,
    "\n  fragment AgentEventFields on AgentEvent {\n    type\n    agentId\n    conversationId\n    actor\n    byAgentId\n    message {\n      ...MessageFields\n    }\n    block {\n      ...BlockFields\n    }\n  }\n": typeof types.AgentEventFieldsFragmentDoc,
    "\n  subscription AgentEvents($agentId: ID!) {\n    agentEvents(agentId: $agentId) {\n      ...AgentEventFields\n    }\n  }\n": typeof types.AgentEventsDocument,
    "\n  query AgentPage($id: ID!) {\n    agent(id: $id) {\n      id\n      name\n      model\n      contextWindow\n    }\n  }\n": typeof types.AgentPageDocument,
    "\n  mutation DeleteAgent($id: ID!) {\n    deleteAgent(id: $id)\n  }\n": typeof types.DeleteAgentDocument,
    "\n  query ExportAgent($id: ID!) {\n    exportAgent(id: $id)\n  }\n": typeof types.ExportAgentDocument,
    "\n  query Agents {\n    agents {\n      id\n      name\n      model\n      memory {\n        label\n        value\n        limit\n      }\n    }\n  }\n": typeof types.AgentsDocument,
    "\n  query AgentImportPlan($file: JSON!) {\n    agentImportPlan(file: $file) {\n      dryRun\n      warnings\n      agents {\n        id\n        name\n        model\n      }\n    }\n  }\n": typeof types.AgentImportPlanDocument,
    "\n  mutation ImportAgent($file: JSON!) {\n    importAgent(file: $file) {\n      agent {\n        id\n      }\n      agentIds\n      warnings\n    }\n  }\n": typeof types.ImportAgentDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      ownedBy\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  mutation CreateAgent($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAgentDocument,
    "\n  query WhoAmI {\n    limits {\n      userId\n    }\n  }\n": typeof types.WhoAmIDocument,
    "\n  query Conversations($agentId: ID!) {\n    agent(id: $agentId) {\n      id\n      conversations(limit: 100) {\n        id\n        name\n        isDefault\n        createdAt\n      }\n    }\n  }\n": typeof types.ConversationsDocument,
    "\n  mutation CreateConversation($agentId: ID!) {\n    createConversation(agentId: $agentId) {\n      id\n    }\n  }\n": typeof types.CreateConversationDocument,
    "\n  query ApprovalTools($agentId: ID!) {\n    agentTools(agentId: $agentId) {\n      tools {\n        name\n        requiresApproval\n      }\n    }\n  }\n": typeof types.ApprovalToolsDocument,
    "\n  subscription ChatStream($input: ChatCompletionInput!) {\n    chatCompletionStream(input: $input) {\n      id\n      choices {\n        delta {\n          content\n        }\n        finishReason\n        stopReason {\n          message\n        }\n      }\n    }\n  }\n": typeof types.ChatStreamDocument,
    "\n  query ChatMessages($agentId: ID!, $conversationId: ID, $limit: Int, $before: ID) {\n    messages(agentId: $agentId, conversationId: $conversationId, limit: $limit, before: $before) {\n      ...MessageFields\n    }\n  }\n": typeof types.ChatMessagesDocument,
    "\n  query AgentContext($agentId: ID!) {\n    agentContext(agentId: $agentId) {\n      agentId\n      contextWindow\n      tokens {\n        system\n        tools\n        memory\n        summary\n        messages\n        total\n      }\n      thresholds {\n        memoryPressure\n        summarise\n      }\n      messagesInContext\n      summarisedMessages\n      summary\n    }\n  }\n": typeof types.AgentContextDocument,
    "\n  mutation InsertArchivalPassage($agentId: ID!, $content: String!) {\n    insertArchivalPassage(agentId: $agentId, content: $content) {\n      id\n    }\n  }\n": typeof types.InsertArchivalPassageDocument,
    "\n  query ArchivalSearch($agentId: ID!, $query: String!, $page: Int, $limit: Int) {\n    searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {\n      query\n      searchMode\n      total\n      page\n      pages\n      data {\n        id\n        content\n        createdAt\n      }\n    }\n  }\n": typeof types.ArchivalSearchDocument,
    "\n  mutation DeleteArchivalPassage($agentId: ID!, $id: ID!) {\n    deleteArchivalPassage(agentId: $agentId, id: $id)\n  }\n": typeof types.DeleteArchivalPassageDocument,
    "\n  query ArchivalPassages($agentId: ID!, $limit: Int, $before: ID) {\n    archivalPassages(agentId: $agentId, limit: $limit, before: $before) {\n      id\n      content\n      createdAt\n    }\n  }\n": typeof types.ArchivalPassagesDocument,
    "\n  fragment SavedBlockFields on Block {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n": typeof types.SavedBlockFieldsFragmentDoc,
    "\n  mutation UpdateMemoryBlock($id: ID!, $input: UpdateBlockInput!) {\n    updateBlock(id: $id, input: $input) {\n      ...SavedBlockFields\n    }\n  }\n": typeof types.UpdateMemoryBlockDocument,
    "\n  query CurrentMemoryBlock($id: ID!) {\n    block(id: $id) {\n      ...SavedBlockFields\n    }\n  }\n": typeof types.CurrentMemoryBlockDocument,
    "\n  query AgentMemory($id: ID!) {\n    agent(id: $id) {\n      id\n      memory {\n        ...BlockFields\n      }\n    }\n  }\n": typeof types.AgentMemoryDocument,
    "\n  query UsageByDay($from: String!, $to: String!) {\n    usage(groupBy: day, from: $from, to: $to) {\n      groups {\n        key\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n      totals {\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n    }\n  }\n": typeof types.UsageByDayDocument,
};
const documents: Documents = {
    "\n  fragment MessageFields on AgentMessage {\n    id\n    role\n    content\n    toolCalls\n    toolCallId\n    name\n    createdAt\n    conversationId\n    contentParts\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment BlockFields on MemoryBlock {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n": types.BlockFieldsFragmentDoc,
    "\n  fragment AgentEventFields on AgentEvent {\n    type\n    agentId\n    conversationId\n    actor\n    byAgentId\n    message {\n      ...MessageFields\n    }\n    block {\n      ...BlockFields\n    }\n  }\n": types.AgentEventFieldsFragmentDoc,
    "\n  subscription AgentEvents($agentId: ID!) {\n    agentEvents(agentId: $agentId) {\n      ...AgentEventFields\n    }\n  }\n": types.AgentEventsDocument,
    "\n  query AgentPage($id: ID!) {\n    agent(id: $id) {\n      id\n      name\n      model\n      contextWindow\n    }\n  }\n": types.AgentPageDocument,
    "\n  mutation DeleteAgent($id: ID!) {\n    deleteAgent(id: $id)\n  }\n": types.DeleteAgentDocument,
    "\n  query ExportAgent($id: ID!) {\n    exportAgent(id: $id)\n  }\n": types.ExportAgentDocument,
    "\n  query Agents {\n    agents {\n      id\n      name\n      model\n      memory {\n        label\n        value\n        limit\n      }\n    }\n  }\n": types.AgentsDocument,
    "\n  query AgentImportPlan($file: JSON!) {\n    agentImportPlan(file: $file) {\n      dryRun\n      warnings\n      agents {\n        id\n        name\n        model\n      }\n    }\n  }\n": types.AgentImportPlanDocument,
    "\n  mutation ImportAgent($file: JSON!) {\n    importAgent(file: $file) {\n      agent {\n        id\n      }\n      agentIds\n      warnings\n    }\n  }\n": types.ImportAgentDocument,
    "\n  query Models {\n    models {\n      id\n      name\n      ownedBy\n    }\n  }\n": types.ModelsDocument,
    "\n  mutation CreateAgent($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n    }\n  }\n": types.CreateAgentDocument,
    "\n  query WhoAmI {\n    limits {\n      userId\n    }\n  }\n": types.WhoAmIDocument,
    "\n  query Conversations($agentId: ID!) {\n    agent(id: $agentId) {\n      id\n      conversations(limit: 100) {\n        id\n        name\n        isDefault\n        createdAt\n      }\n    }\n  }\n": types.ConversationsDocument,
    "\n  mutation CreateConversation($agentId: ID!) {\n    createConversation(agentId: $agentId) {\n      id\n    }\n  }\n": types.CreateConversationDocument,
    "\n  query ApprovalTools($agentId: ID!) {\n    agentTools(agentId: $agentId) {\n      tools {\n        name\n        requiresApproval\n      }\n    }\n  }\n": types.ApprovalToolsDocument,
    "\n  subscription ChatStream($input: ChatCompletionInput!) {\n    chatCompletionStream(input: $input) {\n      id\n      choices {\n        delta {\n          content\n        }\n        finishReason\n        stopReason {\n          message\n        }\n      }\n    }\n  }\n": types.ChatStreamDocument,
    "\n  query ChatMessages($agentId: ID!, $conversationId: ID, $limit: Int, $before: ID) {\n    messages(agentId: $agentId, conversationId: $conversationId, limit: $limit, before: $before) {\n      ...MessageFields\n    }\n  }\n": types.ChatMessagesDocument,
    "\n  query AgentContext($agentId: ID!) {\n    agentContext(agentId: $agentId) {\n      agentId\n      contextWindow\n      tokens {\n        system\n        tools\n        memory\n        summary\n        messages\n        total\n      }\n      thresholds {\n        memoryPressure\n        summarise\n      }\n      messagesInContext\n      summarisedMessages\n      summary\n    }\n  }\n": types.AgentContextDocument,
    "\n  mutation InsertArchivalPassage($agentId: ID!, $content: String!) {\n    insertArchivalPassage(agentId: $agentId, content: $content) {\n      id\n    }\n  }\n": types.InsertArchivalPassageDocument,
    "\n  query ArchivalSearch($agentId: ID!, $query: String!, $page: Int, $limit: Int) {\n    searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {\n      query\n      searchMode\n      total\n      page\n      pages\n      data {\n        id\n        content\n        createdAt\n      }\n    }\n  }\n": types.ArchivalSearchDocument,
    "\n  mutation DeleteArchivalPassage($agentId: ID!, $id: ID!) {\n    deleteArchivalPassage(agentId: $agentId, id: $id)\n  }\n": types.DeleteArchivalPassageDocument,
    "\n  query ArchivalPassages($agentId: ID!, $limit: Int, $before: ID) {\n    archivalPassages(agentId: $agentId, limit: $limit, before: $before) {\n      id\n      content\n      createdAt\n    }\n  }\n": types.ArchivalPassagesDocument,
    "\n  fragment SavedBlockFields on Block {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n": types.SavedBlockFieldsFragmentDoc,
    "\n  mutation UpdateMemoryBlock($id: ID!, $input: UpdateBlockInput!) {\n    updateBlock(id: $id, input: $input) {\n      ...SavedBlockFields\n    }\n  }\n": types.UpdateMemoryBlockDocument,
    "\n  query CurrentMemoryBlock($id: ID!) {\n    block(id: $id) {\n      ...SavedBlockFields\n    }\n  }\n": types.CurrentMemoryBlockDocument,
    "\n  query AgentMemory($id: ID!) {\n    agent(id: $id) {\n      id\n      memory {\n        ...BlockFields\n      }\n    }\n  }\n": types.AgentMemoryDocument,
    "\n  query UsageByDay($from: String!, $to: String!) {\n    usage(groupBy: day, from: $from, to: $to) {\n      groups {\n        key\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n      totals {\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n    }\n  }\n": types.UsageByDayDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on AgentMessage {\n    id\n    role\n    content\n    toolCalls\n    toolCallId\n    name\n    createdAt\n    conversationId\n    contentParts\n  }\n"): (typeof documents)["\n  fragment MessageFields on AgentMessage {\n    id\n    role\n    content\n    toolCalls\n    toolCallId\n    name\n    createdAt\n    conversationId\n    contentParts\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BlockFields on MemoryBlock {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n"): (typeof documents)["\n  fragment BlockFields on MemoryBlock {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentEventFields on AgentEvent {\n    type\n    agentId\n    conversationId\n    actor\n    byAgentId\n    message {\n      ...MessageFields\n    }\n    block {\n      ...BlockFields\n    }\n  }\n"): (typeof documents)["\n  fragment AgentEventFields on AgentEvent {\n    type\n    agentId\n    conversationId\n    actor\n    byAgentId\n    message {\n      ...MessageFields\n    }\n    block {\n      ...BlockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AgentEvents($agentId: ID!) {\n    agentEvents(agentId: $agentId) {\n      ...AgentEventFields\n    }\n  }\n"): (typeof documents)["\n  subscription AgentEvents($agentId: ID!) {\n    agentEvents(agentId: $agentId) {\n      ...AgentEventFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentPage($id: ID!) {\n    agent(id: $id) {\n      id\n      name\n      model\n      contextWindow\n    }\n  }\n"): (typeof documents)["\n  query AgentPage($id: ID!) {\n    agent(id: $id) {\n      id\n      name\n      model\n      contextWindow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAgent($id: ID!) {\n    deleteAgent(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAgent($id: ID!) {\n    deleteAgent(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportAgent($id: ID!) {\n    exportAgent(id: $id)\n  }\n"): (typeof documents)["\n  query ExportAgent($id: ID!) {\n    exportAgent(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Agents {\n    agents {\n      id\n      name\n      model\n      memory {\n        label\n        value\n        limit\n      }\n    }\n  }\n"): (typeof documents)["\n  query Agents {\n    agents {\n      id\n      name\n      model\n      memory {\n        label\n        value\n        limit\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentImportPlan($file: JSON!) {\n    agentImportPlan(file: $file) {\n      dryRun\n      warnings\n      agents {\n        id\n        name\n        model\n      }\n    }\n  }\n"): (typeof documents)["\n  query AgentImportPlan($file: JSON!) {\n    agentImportPlan(file: $file) {\n      dryRun\n      warnings\n      agents {\n        id\n        name\n        model\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportAgent($file: JSON!) {\n    importAgent(file: $file) {\n      agent {\n        id\n      }\n      agentIds\n      warnings\n    }\n  }\n"): (typeof documents)["\n  mutation ImportAgent($file: JSON!) {\n    importAgent(file: $file) {\n      agent {\n        id\n      }\n      agentIds\n      warnings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models {\n    models {\n      id\n      name\n      ownedBy\n    }\n  }\n"): (typeof documents)["\n  query Models {\n    models {\n      id\n      name\n      ownedBy\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAgent($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAgent($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    limits {\n      userId\n    }\n  }\n"): (typeof documents)["\n  query WhoAmI {\n    limits {\n      userId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversations($agentId: ID!) {\n    agent(id: $agentId) {\n      id\n      conversations(limit: 100) {\n        id\n        name\n        isDefault\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversations($agentId: ID!) {\n    agent(id: $agentId) {\n      id\n      conversations(limit: 100) {\n        id\n        name\n        isDefault\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateConversation($agentId: ID!) {\n    createConversation(agentId: $agentId) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateConversation($agentId: ID!) {\n    createConversation(agentId: $agentId) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApprovalTools($agentId: ID!) {\n    agentTools(agentId: $agentId) {\n      tools {\n        name\n        requiresApproval\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApprovalTools($agentId: ID!) {\n    agentTools(agentId: $agentId) {\n      tools {\n        name\n        requiresApproval\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChatStream($input: ChatCompletionInput!) {\n    chatCompletionStream(input: $input) {\n      id\n      choices {\n        delta {\n          content\n        }\n        finishReason\n        stopReason {\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ChatStream($input: ChatCompletionInput!) {\n    chatCompletionStream(input: $input) {\n      id\n      choices {\n        delta {\n          content\n        }\n        finishReason\n        stopReason {\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatMessages($agentId: ID!, $conversationId: ID, $limit: Int, $before: ID) {\n    messages(agentId: $agentId, conversationId: $conversationId, limit: $limit, before: $before) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  query ChatMessages($agentId: ID!, $conversationId: ID, $limit: Int, $before: ID) {\n    messages(agentId: $agentId, conversationId: $conversationId, limit: $limit, before: $before) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentContext($agentId: ID!) {\n    agentContext(agentId: $agentId) {\n      agentId\n      contextWindow\n      tokens {\n        system\n        tools\n        memory\n        summary\n        messages\n        total\n      }\n      thresholds {\n        memoryPressure\n        summarise\n      }\n      messagesInContext\n      summarisedMessages\n      summary\n    }\n  }\n"): (typeof documents)["\n  query AgentContext($agentId: ID!) {\n    agentContext(agentId: $agentId) {\n      agentId\n      contextWindow\n      tokens {\n        system\n        tools\n        memory\n        summary\n        messages\n        total\n      }\n      thresholds {\n        memoryPressure\n        summarise\n      }\n      messagesInContext\n      summarisedMessages\n      summary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InsertArchivalPassage($agentId: ID!, $content: String!) {\n    insertArchivalPassage(agentId: $agentId, content: $content) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation InsertArchivalPassage($agentId: ID!, $content: String!) {\n    insertArchivalPassage(agentId: $agentId, content: $content) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArchivalSearch($agentId: ID!, $query: String!, $page: Int, $limit: Int) {\n    searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {\n      query\n      searchMode\n      total\n      page\n      pages\n      data {\n        id\n        content\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArchivalSearch($agentId: ID!, $query: String!, $page: Int, $limit: Int) {\n    searchArchival(agentId: $agentId, query: $query, page: $page, limit: $limit) {\n      query\n      searchMode\n      total\n      page\n      pages\n      data {\n        id\n        content\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteArchivalPassage($agentId: ID!, $id: ID!) {\n    deleteArchivalPassage(agentId: $agentId, id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteArchivalPassage($agentId: ID!, $id: ID!) {\n    deleteArchivalPassage(agentId: $agentId, id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArchivalPassages($agentId: ID!, $limit: Int, $before: ID) {\n    archivalPassages(agentId: $agentId, limit: $limit, before: $before) {\n      id\n      content\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query ArchivalPassages($agentId: ID!, $limit: Int, $before: ID) {\n    archivalPassages(agentId: $agentId, limit: $limit, before: $before) {\n      id\n      content\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SavedBlockFields on Block {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n"): (typeof documents)["\n  fragment SavedBlockFields on Block {\n    id\n    label\n    value\n    limit\n    description\n    readOnly\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemoryBlock($id: ID!, $input: UpdateBlockInput!) {\n    updateBlock(id: $id, input: $input) {\n      ...SavedBlockFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMemoryBlock($id: ID!, $input: UpdateBlockInput!) {\n    updateBlock(id: $id, input: $input) {\n      ...SavedBlockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CurrentMemoryBlock($id: ID!) {\n    block(id: $id) {\n      ...SavedBlockFields\n    }\n  }\n"): (typeof documents)["\n  query CurrentMemoryBlock($id: ID!) {\n    block(id: $id) {\n      ...SavedBlockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentMemory($id: ID!) {\n    agent(id: $id) {\n      id\n      memory {\n        ...BlockFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query AgentMemory($id: ID!) {\n    agent(id: $id) {\n      id\n      memory {\n        ...BlockFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsageByDay($from: String!, $to: String!) {\n    usage(groupBy: day, from: $from, to: $to) {\n      groups {\n        key\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n      totals {\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n    }\n  }\n"): (typeof documents)["\n  query UsageByDay($from: String!, $to: String!) {\n    usage(groupBy: day, from: $from, to: $to) {\n      groups {\n        key\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n      totals {\n        turns\n        calls\n        failedCalls\n        totalTokens\n        costUsd\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;