import { useState } from 'react';
import { AgentPage } from './agent/agent-page.tsx';
import { AgentsPage } from './agents/agents-page.tsx';
import { useAuth } from './auth/auth-context.tsx';
import { hrefOf, useRoute } from './router.ts';
import { currentTheme, storeTheme, type Theme } from './ui/theme.ts';
import { UsagePage } from './usage/usage-page.tsx';

const LINK_TEXT = {
  idle: 'Idle',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
};

/** Header, navigation and the current screen. */
export function Shell() {
  const route = useRoute();
  const { signOut, linkState } = useAuth();
  const [theme, setTheme] = useState<Theme>(currentTheme);
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    storeTheme(next);
    setTheme(next);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href={hrefOf({ name: 'agents' })}>
          memgate
        </a>
        <nav aria-label="Main">
          <a href={hrefOf({ name: 'agents' })} aria-current={route.name === 'agents' ? 'page' : undefined}>
            Agents
          </a>
          <a href={hrefOf({ name: 'usage' })} aria-current={route.name === 'usage' ? 'page' : undefined}>
            Usage
          </a>
        </nav>
        <output className={`link-state link-${linkState}`} aria-live="polite">
          {LINK_TEXT[linkState]}
        </output>
        <button type="button" aria-pressed={theme === 'dark'} onClick={toggleTheme}>
          Dark theme
        </button>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.name === 'agents' && <AgentsPage />}
        {route.name === 'agent' && <AgentPage route={route} />}
        {route.name === 'usage' && <UsagePage />}
        {route.name === 'not-found' && (
          <section>
            <h1>Not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <a href={hrefOf({ name: 'agents' })}>Back to the agents</a>.
            </p>
          </section>
        )}
      </main>
    </>
  );
}
