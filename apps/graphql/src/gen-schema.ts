import { writeFileSync } from 'node:fs';
import { printSchemaSdl } from './schema/schema-sdl.ts';

// `pnpm gen:schema`: rewrites the published SDL; a test fails while the committed file is stale.
const target = new URL('../schema.graphql', import.meta.url);
writeFileSync(target, printSchemaSdl());
process.stdout.write(`Wrote ${target.pathname}\n`);
