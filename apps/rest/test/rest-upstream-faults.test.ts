import { runUpstreamFaultConformance } from '@memgate/testkit';
import { startRestTarget } from './rest-harness.ts';

runUpstreamFaultConformance('REST', startRestTarget);
