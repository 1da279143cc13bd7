import { runProtocolConformance } from '@memgate/testkit';
import { startRestTarget } from './rest-harness.ts';

runProtocolConformance('REST', () => startRestTarget());
