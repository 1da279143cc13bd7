import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One sample Agent File (.af) shipped with the testkit. */
export interface AgentFileFixture {
  /** The file name, e.g. `memgpt_agent.af`. */
  name: string;
  /** Its absolute path, to upload or read as a test needs. */
  path: string;
}

// Resolved from this module so that it works from src/ (vitest) and dist/ (built) alike: both sit
// beside fixtures/ in the package.
const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/agent-files/', import.meta.url));

/**
 * The sample Agent Files from Letta's public `letta-ai/agent-file` repository (see the NOTICE.md
 * beside them), sorted by name. Kept in the package so that tests run on a fresh clone; some are
 * double-encoded (a JSON string holding the document), as files found in the wild are.
 */
export function agentFileFixtures(): AgentFileFixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.af'))
    .sort()
    .map((name) => ({ name, path: `${FIXTURES_DIR}${name}` }));
}

/** The text of one sample Agent File, by name (`memgpt_agent.af`). */
export function readAgentFileFixture(name: string): string {
  const fixture = agentFileFixtures().find((candidate) => candidate.name === name);
  if (!fixture) throw new Error(`No Agent File fixture named ${name}.`);
  return readFileSync(fixture.path, 'utf8');
}
