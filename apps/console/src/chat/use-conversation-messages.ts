import { useCallback, useEffect, useRef, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { useAgentEvents } from '../agent/agent-events.tsx';
import type { MessageFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { appendMessage, mergeLatest, prependPage } from './message-merge.ts';

const ChatMessages = graphql(`
  query ChatMessages($agentId: ID!, $conversationId: ID, $limit: Int, $before: ID) {
    messages(agentId: $agentId, conversationId: $conversationId, limit: $limit, before: $before) {
      ...MessageFields
    }
  }
`);

export type ChatMessage = MessageFieldsFragment;
const PAGE = 50;

interface Loaded {
  messages: ChatMessage[];
  hasEarlier: boolean;
  loaded: boolean;
  error: CombinedError | null;
}

const EMPTY: Loaded = { messages: [], hasEarlier: false, loaded: false, error: null };

/**
 * The stored messages of one conversation (the agent's default one when null): the latest page,
 * earlier pages on demand, and every message stored meanwhile by anyone (this console, REST, the
 * WebSocket channel) as `message.created` events, kept by id so none shows twice. The latest page
 * is read again on `subscribed` (first and after each reconnect) so nothing missed is lost.
 */
export function useConversationMessages(agentId: string, conversationId: string | null) {
  const client = useClient();
  const target = conversationId ?? agentId;
  const [state, setState] = useState<Loaded>(EMPTY);
  // The same state, readable at once (a send takes the ids shown at that moment, before a re-render).
  const shown = useRef<Loaded>(EMPTY);
  const current = useRef(target);
  current.current = target;
  const update = useCallback((change: (loaded: Loaded) => Loaded) => {
    shown.current = change(shown.current);
    setState(shown.current);
  }, []);

  const read = useCallback(
    async (before: string | null) => {
      const variables = { agentId, conversationId: target, limit: PAGE, ...(before && { before }) };
      const result = await client.query(ChatMessages, variables, { requestPolicy: 'network-only' }).toPromise();
      // An answer for a conversation no longer shown is dropped.
      if (current.current !== target) return null;
      if (result.error) {
        update((loaded) => ({ ...loaded, loaded: true, error: result.error ?? null }));
        return null;
      }
      return result.data?.messages ?? [];
    },
    [client, agentId, target, update],
  );

  const refresh = useCallback(async () => {
    const latest = await read(null);
    if (!latest) return;
    update((loaded) => ({
      messages: mergeLatest(loaded.messages, latest),
      hasEarlier: loaded.loaded && loaded.hasEarlier ? true : latest.length === PAGE,
      loaded: true,
      error: null,
    }));
  }, [read, update]);

  const loadEarlier = useCallback(async () => {
    const first = shown.current.messages[0];
    if (!first) return;
    const page = await read(first.id);
    if (!page) return;
    update((loaded) => ({ ...loaded, messages: prependPage(loaded.messages, page), hasEarlier: page.length === PAGE }));
  }, [read, update]);

  /** The ids of the messages shown right now. */
  const shownIds = useCallback(() => new Set(shown.current.messages.map((message) => message.id)), []);

  useEffect(() => {
    update(() => EMPTY);
    void refresh();
  }, [refresh, update]);

  useAgentEvents((event) => {
    if (event.type === 'subscribed') void refresh();
    const message = event.message;
    if (event.type !== 'message.created' || !message) return;
    if ((event.conversationId ?? message.conversationId) !== target) return;
    update((loaded) => ({ ...loaded, messages: appendMessage(loaded.messages, message) }));
  });

  return { ...state, refresh, loadEarlier, shownIds };
}
