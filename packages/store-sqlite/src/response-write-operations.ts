import type { ResponseRecord } from '@memgate/core';
import { toResponseRow } from './response-statements.ts';
import { translateConstraints } from './sqlite-errors.ts';
import type { WriteContext } from './write-operations.ts';

/** The writes of the Responses API's records, run on the writer thread like every write. */
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
};
