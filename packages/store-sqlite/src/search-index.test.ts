import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentToken } from './agent-token.ts';
import { connect, prepareValue } from './driver.ts';
import { applyMigrations, MIGRATIONS } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

const root = mkdtempSync(join(tmpdir(), 'memgate-search-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('full-text indexes on SQLite', () => {
  it('indexes the history a version-1 database already held when it migrates', async () => {
    const filename = join(root, 'v1.sqlite');
    const db = connect(filename);
    applyMigrations(db, MIGRATIONS.slice(0, 1));
    db.exec(`
      INSERT INTO users VALUES ('user-1', 'ada', '2025-01-01T00:00:00Z');
      INSERT INTO agents (id, user_id, name, model, system, context_window, created_at)
        VALUES ('agent-1', 'user-1', 'a', 'm', 's', 8192, '2025-01-01T00:00:00Z');
    `);
    const insert = db.prepare(
      `INSERT INTO messages (id, agent_id, role, content, tool_calls, tool_call_id, name, created_at)
       VALUES (?, 'agent-1', ?, ?, ?, NULL, NULL, '2025-01-01T00:00:00Z')`,
    );
    const send = (message: string) =>
      JSON.stringify([
        { id: 'c', type: 'function', function: { name: 'send_message', arguments: JSON.stringify({ message }) } },
      ]);
    insert.run('m1', 'user', 'I adopted a greyhound', null);
    insert.run('m2', 'assistant', null, send('A greyhound! Lovely.'));
    insert.run('m3', 'tool', 'greyhound tool result', null);
    insert.run(
      'm4',
      'assistant',
      null,
      '[{"id":"c","type":"function","function":{"name":"send_message","arguments":"{oops"}}]',
    );
    db.close();

    const store = new SqliteStore({ filename });
    await store.migrate();
    const found = await store.searchMessages('agent-1', { terms: ['greyhound'], limit: 10, offset: 0 });
    expect(found.hits.map((message) => message.id).sort()).toEqual(['m1', 'm2']);
    await store.close();
  });

  it('keeps agent tokens whole through the porter stemmer, whatever the id', () => {
    const db = connect(':memory:');
    applyMigrations(db);
    const ids = ['agent-running', 'agent-ies', 'x', 'agent-0b3c6e2a-1d4f-4b8e-9c1a-2f3e4d5c6b7a', 'ägent-ß'];
    const insert = db.prepare('INSERT INTO messages_fts (rowid, agent, text) VALUES (?, ?, ?)');
    for (const [index, id] of ids.entries()) insert.run(index + 1, agentToken(id), 'hello');
    db.exec("CREATE VIRTUAL TABLE vocabulary USING fts5vocab(messages_fts, 'row')");
    const terms = prepareValue<[], string>(db, 'SELECT term FROM vocabulary').all();
    expect(terms).toEqual(expect.arrayContaining(ids.map(agentToken)));
    // The SQL form used by the backfill gives the same token.
    for (const id of ids) {
      expect(prepareValue<[string], string>(db, "SELECT 'g' || lower(hex(?)) || '0'").get(id)).toBe(agentToken(id));
    }
    db.close();
  });
});
