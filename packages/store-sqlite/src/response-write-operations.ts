import type { ResponseRecord, UsageRecord } from '@memgate/core';
import { toUsageRow } from '@memgate/core/store-kit';
import { transaction } from './driver.ts';
import { toResponseRow } from './response-statements.ts';
import { translateConstraints } from './sqlite-errors.ts';
import type { WriteContext } from './write-operations.ts';

/** The writes of the Responses API's records and of usage records, run on the writer thread like every write. */
export const RESPONSE_WRITE_OPERATIONS = {
  saveResponse({ sql }: WriteContext, record: ResponseRecord): void {
    const messages = {
      conflict: `Response ${record.id} already exists.`,
      missing: `Conversation ${record.conversationId} does not exist.`,
    };
    translateConstraints(messages, () => sql.insertResponse.run(toResponseRow(record)));
  },
  deleteResponse({ sql }: WriteContext, userId: string, responseId: string): boolean {
    return sql.deleteResponse.run(responseId, userId).changes > 0;
  },
  /** Usage records no step carried (see `Store.recordUsage`): all or none. */
  recordUsage({ db, sql }: WriteContext, records: UsageRecord[]): void {
    const messages = { conflict: 'A usage record with this id already exists.', missing: 'The user does not exist.' };
    translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => {
        for (const record of records) sql.insertUsage.run(toUsageRow(record));
      }),
    );
  },
};
