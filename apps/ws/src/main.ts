import { exitUnlessSupportedNode } from '@memgate/core/supported-node';

// Checked before anything else loads, and so imported dynamically: an older Node cannot even link
// what the WebSocket chat channel imports (node:sqlite), and would fail with a stack trace instead of this one line.
exitUnlessSupportedNode();
await import('./start-ws.ts');
