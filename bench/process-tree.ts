import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** One process as Linux's /proc describes it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The process's name (`comm`), e.g. `sh`; Node 24 names its main thread `MainThread`. */
  command: string;
  /** The name of the file it executes (`/proc/<pid>/exe`), e.g. `node` or `dash`; '' when unreadable. */
  executable: string;
  /** `R`, `S`, … or `Z` for a zombie (exited, not yet reaped). */
  state: string;
  /** Resident set size (VmRSS), in kB; 0 for a zombie. */
  rssKb: number;
}

/** Reads one process, or null when it is gone (a process can exit between listing and reading). */
function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `comm` is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state = '?', ppid = '0'] = stat
      .slice(close + 2)
      .split(' ')
      .slice(0, 2);
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return {
      pid,
      ppid: Number(ppid),
      command: stat.slice(stat.indexOf('(') + 1, close),
      executable: executableOf(pid),
      state,
      rssKb: Number(rss ?? 0),
    };
  } catch {
    return null;
  }
}

function executableOf(pid: number): string {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    // A zombie, or another user's process.
    return '';
  }
}

/** Every process on the machine (Linux only: reads /proc). */
export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== null);
}

/** `root` and all its descendants, found by walking parent pids; empty when `root` is gone. */
export function processTree(root: number): ProcessInfo[] {
  const all = listProcesses();
  const tree = all.filter((info) => info.pid === root);
  // Breadth first: a child's pid can be lower than its parent's after pid wrap-around.
  for (let index = 0; index < tree.length; index++) {
    const parent = tree[index]!.pid;
    tree.push(...all.filter((info) => info.ppid === parent));
  }
  return tree;
}

/** Whether `pid` has exited: gone from /proc, or a zombie waiting for a parent to reap it. */
export function hasExited(pid: number): boolean {
  const info = readProcess(pid);
  return info === null || info.state === 'Z';
}
