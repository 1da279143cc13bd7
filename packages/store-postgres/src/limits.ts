import type { Limits, LimitsRecord } from '@memgate/core';
import type { Pool } from 'pg';

/**
 * Migration 12: the limits of a user or an API key, one row per subject (its id), going with
 * the user or the key.
 */
export const LIMITS_MIGRATION = `
  CREATE TABLE subject_limits (
    subject TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key_id TEXT REFERENCES api_keys(id) ON DELETE CASCADE,
    limits JSONB NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX subject_limits_key ON subject_limits(key_id);
`;

interface LimitsRow {
  subject: string;
  user_id: string;
  key_id: string | null;
  limits: Limits;
  updated_at: string;
}

/** The limits of users and keys (see `Store.setLimits`). */
export class PostgresLimits {
  constructor(private readonly pool: Pool) {}

  async set(record: LimitsRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO subject_limits (subject, user_id, key_id, limits, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
      [record.subject, record.userId, record.keyId, JSON.stringify(record.limits), record.updatedAt],
    );
  }

  async get(subjects: readonly string[]): Promise<LimitsRecord[]> {
    if (subjects.length === 0) return [];
    const { rows } = await this.pool.query<LimitsRow>({
      name: 'memgate_get_limits',
      text: 'SELECT subject, user_id, key_id, limits, updated_at FROM subject_limits WHERE subject = ANY($1::text[])',
      values: [subjects],
    });
    return rows.map((row) => ({
      subject: row.subject,
      userId: row.user_id,
      keyId: row.key_id,
      limits: row.limits,
      updatedAt: row.updated_at,
    }));
  }

  async delete(subject: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM subject_limits WHERE subject = $1', [subject])).rowCount ?? 0) > 0;
  }
}
