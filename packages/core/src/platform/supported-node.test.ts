import { describe, expect, it } from 'vitest';
import { isSupportedNode, unsupportedNodeMessage } from './supported-node.ts';

describe('supported Node versions', () => {
  it('accepts 22 from 22.16, 24, and 26 on', () => {
    for (const version of ['22.16.0', '22.16.1', '22.20.0', '24.0.0', '24.21.0', '26.1.0', '27.0.0']) {
      expect(isSupportedNode(version), version).toBe(true);
    }
  });

  it('refuses anything older, and the odd releases 23 and 25', () => {
    for (const version of ['20.20.2', '22.0.0', '22.15.9', '18.19.0', '21.99.99', '23.11.0', '25.2.1']) {
      expect(isSupportedNode(version), version).toBe(false);
    }
  });

  it('names the required version and the command that brings it', () => {
    expect(unsupportedNodeMessage('v20.20.2')).toBe(
      'memgate needs Node.js 22.16 or later on 22, 24, or 26 and later (this is v20.20.2). ' +
        'Run it through pnpm, which uses the Node.js 24 the project installs: npx -y pnpm@10.34.9 start',
    );
  });
});
