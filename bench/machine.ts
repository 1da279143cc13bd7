import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';

function command(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The machine the numbers came from, as a Markdown table: what `nproc`, `free -h`, `node -v` and /proc/cpuinfo say. */
export function machine(): string {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: the model stays unknown.
  }
  const memory = command('free', ['-h']).split('\n')[1]?.split(/\s+/)[1] ?? `${Math.round(totalmem() / 2 ** 30)}Gi`;
  return [
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${cpu} (\`nproc\`: ${command('nproc', []) || availableParallelism()}) |`,
    `| memory | ${memory} (\`free -h\` total) |`,
    `| Node | ${process.version} |`,
    `| kernel | ${command('uname', ['-sr'])} |`,
    `| open files | \`ulimit -n\` ${command('bash', ['-c', 'ulimit -n'])} |`,
  ].join('\n');
}
