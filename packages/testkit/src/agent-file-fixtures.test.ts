import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentFileFixtures, readAgentFileFixture } from './agent-file-fixtures.ts';

describe('agentFileFixtures', () => {
  it('lists the six Letta samples by absolute path, sorted', () => {
    const fixtures = agentFileFixtures();
    expect(fixtures.map((fixture) => fixture.name)).toEqual([
      'customer_service.af',
      'deep_research_agent.af',
      'loop.af',
      'memgpt_agent.af',
      'memgpt_agent_with_convo.af',
      'outreach_workflow_agent.af',
    ]);
    for (const fixture of fixtures) {
      expect(fixture.path.startsWith('/')).toBe(true);
      expect(readFileSync(fixture.path, 'utf8').length).toBeGreaterThan(1000);
    }
  });

  it('reads one by name, and refuses a name it does not have', () => {
    expect(readAgentFileFixture('loop.af')).toContain('"name": "Loop"');
    expect(() => readAgentFileFixture('nope.af')).toThrow(/No Agent File fixture named nope.af/);
  });
});
