import type { CombinedError } from '@urql/core';
import { useCallback, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../gql/index.ts';
import { isVersionConflict } from './block-errors.ts';
import type { LiveBlock } from './block-versions.ts';

// A block as /v1/blocks has it (`Block`, not the agent's `MemoryBlock`): what a save reads back.
graphql(`
  fragment SavedBlockFields on Block {
    id
    label
    value
    limit
    description
    readOnly
    version
  }
`);

const UpdateBlockMutation = graphql(`
  mutation UpdateMemoryBlock($id: ID!, $input: UpdateBlockInput!) {
    updateBlock(id: $id, input: $input) {
      ...SavedBlockFields
    }
  }
`);

const CurrentBlockQuery = graphql(`
  query CurrentMemoryBlock($id: ID!) {
    block(id: $id) {
      ...SavedBlockFields
    }
  }
`);

/** Where a save ended: written, refused because the block moved on (with its current state), or failed. */
export type SaveOutcome =
  | { kind: 'saved'; block: LiveBlock }
  | { kind: 'conflict'; current: LiveBlock }
  | { kind: 'failed'; error: CombinedError };

/**
 * Saves a block's value against the version the edit started from, so a write made meanwhile (by
 * the agent, REST, another tab) is a conflict rather than silently overwritten. On a conflict the
 * current block is read back, for the editor to show and to re-save against.
 */
export function useBlockSave(blockId: string) {
  const client = useClient();
  const [saving, setSaving] = useState(false);
  const save = useCallback(
    async (value: string, version: number | null | undefined): Promise<SaveOutcome> => {
      setSaving(true);
      try {
        const input = version == null ? { value } : { value, version };
        const result = await client.mutation(UpdateBlockMutation, { id: blockId, input }).toPromise();
        if (result.data?.updateBlock) return { kind: 'saved', block: result.data.updateBlock };
        if (!result.error) throw new Error('updateBlock answered without data or error');
        if (!isVersionConflict(result.error)) return { kind: 'failed', error: result.error };
        const now = await client
          .query(CurrentBlockQuery, { id: blockId }, { requestPolicy: 'network-only' })
          .toPromise();
        if (now.data?.block) return { kind: 'conflict', current: now.data.block };
        return { kind: 'failed', error: now.error ?? result.error };
      } finally {
        setSaving(false);
      }
    },
    [client, blockId],
  );
  return { save, saving };
}
