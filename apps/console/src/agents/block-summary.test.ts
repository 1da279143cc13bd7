import { describe, expect, it } from 'vitest';
import { agentFileName, blockSummary } from './block-summary.ts';

describe('blockSummary', () => {
  it('lists each block with its size against its limit', () => {
    const blocks = [
      { label: 'persona', value: 'I help.', limit: 5000 },
      { label: 'human', value: '', limit: 2000 },
    ];
    expect(blockSummary(blocks)).toBe('persona 7/5000 · human 0/2000');
    expect(blockSummary([])).toBe('no memory blocks');
  });
});

describe('agentFileName', () => {
  it('names the file after the agent, without path separators', () => {
    expect(agentFileName('Ada')).toBe('Ada.af');
    expect(agentFileName('../etc/passwd')).toBe('.._etc_passwd.af');
    expect(agentFileName('  ')).toBe('agent.af');
  });
});
