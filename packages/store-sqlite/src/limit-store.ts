import type { Limits, LimitsRecord } from '@memgate/core';
import { type Database, prepare } from './driver.ts';
import type { Migration } from './migrations.ts';
import type { WriteContext } from './write-operations.ts';

/**
 * Migration 12: the limits of a user or an API key, one row per subject (its id), going with
 * the user or the key. `limits` is the JSON of `Limits`.
 */
export const LIMITS_MIGRATION: Migration = {
  version: 12,
  description: 'limits per user and per API key: rpm, tpm, concurrent turns, budget, exempt',
  up: `
    CREATE TABLE subject_limits (
      subject TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      key_id TEXT REFERENCES api_keys(id) ON DELETE CASCADE,
      limits TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX subject_limits_key ON subject_limits(key_id);
  `,
};

export interface LimitsRow {
  subject: string;
  user_id: string;
  key_id: string | null;
  limits: string;
  updated_at: string;
}

export function prepareLimitStatements(db: Database) {
  return {
    upsertLimits: prepare<LimitsRow>(
      db,
      `INSERT INTO subject_limits (subject, user_id, key_id, limits, updated_at)
       VALUES (@subject, @user_id, @key_id, @limits, @updated_at)
       ON CONFLICT (subject) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
    ),
    /** [subjects as a JSON array] */
    getLimits: prepare<[string], LimitsRow>(
      db,
      'SELECT subject, user_id, key_id, limits, updated_at FROM subject_limits WHERE subject IN (SELECT value FROM json_each(?))',
    ),
    deleteLimits: prepare<[string]>(db, 'DELETE FROM subject_limits WHERE subject = ?'),
  };
}

export function toLimitsRecord(row: LimitsRow): LimitsRecord {
  return {
    subject: row.subject,
    userId: row.user_id,
    keyId: row.key_id,
    limits: JSON.parse(row.limits) as Limits,
    updatedAt: row.updated_at,
  };
}

/** The writes of limits, run on the writer thread like every write. */
export const LIMIT_WRITE_OPERATIONS = {
  setLimits({ sql }: WriteContext, record: LimitsRecord): void {
    sql.upsertLimits.run({
      subject: record.subject,
      user_id: record.userId,
      key_id: record.keyId,
      limits: JSON.stringify(record.limits),
      updated_at: record.updatedAt,
    });
  },
  deleteLimits({ sql }: WriteContext, subject: string): boolean {
    return sql.deleteLimits.run(subject).changes > 0;
  },
};
