import { runProtocolConformance } from '@memgate/testkit';
import { startWsTarget } from './ws-harness.ts';

runProtocolConformance('WebSocket', () => startWsTarget());
