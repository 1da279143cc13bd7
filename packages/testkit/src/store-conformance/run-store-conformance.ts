import { afterEach, beforeEach, describe } from 'vitest';
import { describeAgentImport } from './agent-import.ts';
import { describeAgents } from './agents.ts';
import { describeArchival } from './archival.ts';
import { describeArchivalSearch } from './archival-search.ts';
import { describeAttachments } from './attachments.ts';
import { describeBlocks } from './blocks.ts';
import { describeContextWindow } from './context-window.ts';
import { describeConversationForks } from './conversation-forks.ts';
import { describeConversations } from './conversations.ts';
import { describeDurability } from './durability.ts';
import { describeHiddenItems } from './hidden-items.ts';
import { describeHistory } from './history.ts';
import { describeLimits } from './limits.ts';
import { describeMcpServers } from './mcp-servers.ts';
import { describeNulText } from './nul-text.ts';
import { describeRecallSearch } from './recall-search.ts';
import { describeResponses } from './responses.ts';
import { type StoreConformanceOptions, StoreHarness } from './store-harness.ts';
import { describeTurnSteps } from './turn-steps.ts';
import { describeUsageRecords } from './usage-records.ts';
import { describeUsageTurns } from './usage-turns.ts';
import { describeUsersAndKeys } from './users-and-keys.ts';

/**
 * Registers the Store conformance suite with vitest: every Store implementation must pass it
 * unchanged. Each test starts on an empty, migrated database (`reset`, then `open`).
 *
 * Beyond the interface's own comments, the suite pins down what callers rely on:
 * - a duplicate user name, agent id, API key hash, message id or open tool call id is a
 *   `MemgateError` with code `CONFLICT`;
 * - a commitStep that fails (including for a memory block the agent lacks) leaves no trace, images included;
 * - text holding U+0000 reads back with U+FFFD in its place;
 * - memory blocks keep the order they were created in; pending calls the order they were opened in;
 * - an agent's blocks read back whole: `id`, `description` (null when none), `readOnly`, `version`
 *   and `agentCount`; a block made with an agent starts with a history entry (version 1, actor `user`);
 * - a failed block write, attach or import (label_conflict, memory_conflict, NOT_FOUND) changes nothing;
 * - usage records are written with their step or not at all; they outlive their agent, not their user;
 * - limits of a user or a key go with their user or key;
 * - search results are ranked best first; the suite asserts orders and counts, never scores, so a
 *   store may rank with BM25, ts_rank or anything that puts the passage with the query words first.
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  describe(`Store conformance: ${options.name}`, () => {
    const harness = new StoreHarness(options);
    beforeEach(() => harness.start());
    afterEach(() => harness.close());

    describeUsersAndKeys(harness);
    describeAgents(harness);
    describeBlocks(harness);
    describeAgentImport(harness);
    describeTurnSteps(harness);
    describeHistory(harness);
    describeContextWindow(harness);
    describeConversations(harness);
    describeConversationForks(harness);
    describeHiddenItems(harness);
    describeArchival(harness);
    describeArchivalSearch(harness);
    describeRecallSearch(harness);
    describeAttachments(harness);
    describeDurability(harness);
    describeNulText(harness);
    describeResponses(harness);
    describeUsageRecords(harness);
    describeUsageTurns(harness);
    describeLimits(harness);
    describeMcpServers(harness);
  });
}
