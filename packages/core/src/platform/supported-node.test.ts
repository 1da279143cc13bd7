import { describe, expect, it } from 'vitest';
import { isSupportedNode, MINIMUM_NODE, unsupportedNodeMessage } from './supported-node.ts';

describe('supported Node versions', () => {
  it('accepts the minimum and anything newer', () => {
    for (const version of [MINIMUM_NODE, '22.16.1', '22.20.0', '24.0.0', '24.21.0', '26.1.0']) {
      expect(isSupportedNode(version), version).toBe(true);
    }
  });

  it('refuses anything older', () => {
    for (const version of ['20.20.2', '22.0.0', '22.15.9', '18.19.0', '21.99.99']) {
      expect(isSupportedNode(version), version).toBe(false);
    }
  });

  it('names the required version and the command that brings it', () => {
    expect(unsupportedNodeMessage('v20.20.2')).toBe(
      `memgate needs Node.js ${MINIMUM_NODE} or later (this is v20.20.2). ` +
        'Run it through pnpm, which uses the Node.js 24 the project installs: npx -y pnpm@10.34.9 start',
    );
  });
});
