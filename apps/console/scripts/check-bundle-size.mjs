// Reports the console's JavaScript, gzipped, and fails the build past the budget (issue 19: 250 KB).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const assets = new URL('../dist/assets/', import.meta.url).pathname;
let total = 0;
for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
  const gzipped = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
  total += gzipped;
  console.log(`console bundle: ${file} ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`console bundle: ${(total / 1024).toFixed(1)} KB of JavaScript gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
if (total > BUDGET_BYTES) {
  console.error('console bundle: over budget');
  process.exit(1);
}
