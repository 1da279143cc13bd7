import { runUpstreamFaultConformance } from '@memgate/testkit';
import { startWsTarget } from './ws-harness.ts';

runUpstreamFaultConformance('WebSocket', startWsTarget);
