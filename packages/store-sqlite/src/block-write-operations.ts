import type { Agent, AgentBundle, Block, BlockPatch, BlockWrite, NewBlock } from '@memgate/core';
import { transaction } from './driver.ts';
import { toBlock } from './row-mapping.ts';
import { translateConstraints } from './sqlite-errors.ts';
import { agentOfUser, attachBlock, deleteBlock, insertBlock, readAgent, updateBlock } from './write-blocks.ts';
import { writeImport } from './write-import.ts';
import type { WriteContext } from './write-operations.ts';

/** The writes of blocks, their attachments and of imports, as the writer runs them (see `WRITE_OPERATIONS`). */
export const BLOCK_WRITE_OPERATIONS = {
  createBlock({ db, sql }: WriteContext, block: NewBlock): Block {
    const messages = { conflict: `Block ${block.id} already exists.`, missing: `User ${block.userId} does not exist.` };
    return translateConstraints(messages, () =>
      transaction(db, 'IMMEDIATE', () => {
        insertBlock(sql, block, true, { actor: 'user' });
        const row = sql.getBlock.get(block.id, block.userId);
        if (!row) throw new Error(`Block ${block.id} vanished while it was written.`);
        return toBlock(row);
      }),
    );
  },
  updateBlock({ db, sql }: WriteContext, userId: string, blockId: string, patch: BlockPatch, write: BlockWrite) {
    return transaction(db, 'IMMEDIATE', () => updateBlock(sql, userId, blockId, patch, write));
  },
  deleteBlock({ db, sql }: WriteContext, userId: string, blockId: string, force: boolean) {
    return transaction(db, 'IMMEDIATE', () => deleteBlock(sql, userId, blockId, force));
  },
  attachBlock({ db, sql }: WriteContext, userId: string, agentId: string, blockId: string): Agent {
    return transaction(db, 'IMMEDIATE', () => {
      agentOfUser(sql, userId, agentId);
      attachBlock(sql, userId, agentId, blockId);
      const agent = readAgent(sql, userId, agentId);
      if (!agent) throw new Error(`Agent ${agentId} vanished while a block was attached.`);
      return agent;
    });
  },
  detachBlock({ db, sql }: WriteContext, userId: string, agentId: string, blockId: string): boolean {
    return transaction(db, 'IMMEDIATE', () => {
      if (!sql.getAgent.get(agentId, userId)) return false;
      return sql.detachBlock.run(agentId, blockId).changes > 0;
    });
  },
  importAgents({ db, sql }: WriteContext, bundle: AgentBundle): Agent[] {
    const messages = {
      conflict: 'An id of the import (agent, block, message or passage) is already taken.',
      missing: 'The import names a user that does not exist.',
    };
    return translateConstraints(messages, () => transaction(db, 'IMMEDIATE', () => writeImport(sql, bundle)));
  },
};
