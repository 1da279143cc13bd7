import { useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/agents/…`): the server serves one index.html for /console, and the route never
 * reaches a server log. Screens: `#/` agents, `#/agents/:id[/:panel]`, `#/usage`.
 */
export type Route =
  | { name: 'agents' }
  | { name: 'agent'; agentId: string; panel: AgentPanel; conversationId: string | null }
  | { name: 'usage' }
  | { name: 'not-found'; path: string };

export type AgentPanel = 'memory' | 'archival' | 'context';
const PANELS: readonly AgentPanel[] = ['memory', 'archival', 'context'];

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'agents' };
  if (parts[0] === 'usage' && parts.length === 1) return { name: 'usage' };
  if (parts[0] === 'agents' && parts[1] && parts.length <= 3) {
    const panel = (parts[2] ?? 'memory') as AgentPanel;
    if (PANELS.includes(panel)) {
      const conversationId = new URLSearchParams(query).get('conversation');
      return { name: 'agent', agentId: parts[1], panel, conversationId };
    }
  }
  return { name: 'not-found', path };
}

/** The href of a route, for links. */
export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'agents':
      return '#/';
    case 'usage':
      return '#/usage';
    case 'agent': {
      const base = `#/agents/${encodeURIComponent(route.agentId)}/${route.panel}`;
      return route.conversationId ? `${base}?conversation=${encodeURIComponent(route.conversationId)}` : base;
    }
    case 'not-found':
      return `#${route.path}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route).slice(1);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
