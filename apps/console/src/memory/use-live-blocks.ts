import { useCallback, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { useAgentEvents } from '../agent/agent-events.tsx';
import { graphql } from '../gql/index.ts';
import { blockKey, type LiveBlock, mergeBlocks, withEvent } from './block-versions.ts';

const AgentMemoryQuery = graphql(`
  query AgentMemory($id: ID!) {
    agent(id: $id) {
      id
      memory {
        ...BlockFields
      }
    }
  }
`);

const NO_BLOCKS: readonly LiveBlock[] = [];

/**
 * The agent's core blocks, kept current by `agentEvents`: a `block.updated` newer than what is
 * shown replaces it at once (whoever made the write), and `subscribed` (first, and after every
 * reconnect) refetches, since writes may have been missed while the socket was down.
 */
export function useLiveBlocks(agentId: string) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: AgentMemoryQuery, variables: { id: agentId } });
  const [live, setLive] = useState<ReadonlyMap<string, LiveBlock>>(() => new Map());
  const fetched = data?.agent?.memory ?? NO_BLOCKS;
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  useAgentEvents((event) => {
    if (event.type === 'subscribed') return refetch();
    if (event.type !== 'block.updated' || !event.block) return;
    const block = event.block;
    // A block this page has not fetched (just attached): the list itself changed.
    if (!fetched.some((entry) => blockKey(entry) === blockKey(block))) return refetch();
    setLive((current) => withEvent(current, block, fetched));
  });

  const blocks = useMemo(() => mergeBlocks(fetched, live), [fetched, live]);
  /** Records a block as this console just saved it (the event may come a moment later). */
  const saved = useCallback((block: LiveBlock) => setLive((current) => withEvent(current, block, fetched)), [fetched]);
  return { blocks, error, loading: fetching && !data, saved };
}
