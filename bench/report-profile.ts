/**
 * Where memgate's CPU goes: summarises a `--cpu-prof` profile of memgate's process (written by
 * `BENCH_CPU_PROF=1 … bench:sequential`, or bench:overhead) by layer, and writes
 * results/profile.json for the report. Each sample goes to the innermost frame of memgate's own
 * code on its stack (so zod under the dispatcher counts as the core, the SDK under the provider as
 * the upstream client); samples with none of our frames go by the library at the leaf. Start-up
 * (module loading, tsx) is left out: it is not per turn.
 *
 *   BENCH_CPU_PROF=1 pnpm --filter @memgate/bench bench:sequential   (profiles in results/profiles/sequential-*)
 *   pnpm --filter @memgate/bench bench:profile [file.cpuprofile]      (default: the newest SQLite one)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RESULTS_DIR, writeResults } from './results-file.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The layers a turn's CPU is split into, in the order the report lists them. */
export const LAYERS = [
  'store',
  'upstream client',
  'HTTP layer',
  'core',
  'logs, metrics, traces',
  'garbage collection',
  'other',
] as const;
export type Layer = (typeof LAYERS)[number];

/** What results/profile.json holds. */
export interface ProfileSummary {
  profile: string;
  /** CPU time in the profile, start-up excluded, in ms. */
  busyMs: number;
  layers: { layer: Layer; share: number }[];
  /** The functions with the most self time (start-up excluded). */
  top: { name: string; share: number }[];
}

const OURS = /\/(packages|apps)\/([^/]+)\/src\/(.*)$/;

function isStartup(frame: CallFrame): boolean {
  return /node:internal\/modules|\/tsx@|\/esbuild@|node:internal\/bootstrap/.test(frame.url);
}

function layerOfOurs(app: string, path: string): Layer {
  if (app.startsWith('store-')) return 'store';
  if (app === 'core') return path.startsWith('llm/') ? 'upstream client' : 'core';
  if (app === 'runtime') return path.startsWith('http-server') ? 'HTTP layer' : 'logs, metrics, traces';
  if (app === 'rest' && path.startsWith('request-logging')) return 'logs, metrics, traces';
  if (app === 'rest' || app === 'server') return 'HTTP layer';
  return 'other';
}

function layerOfLeaf(frame: CallFrame): Layer {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (/undici|\/openai@|webstreams/.test(url)) return 'upstream client';
  if (/\/pino|prom-client|@opentelemetry/.test(url)) return 'logs, metrics, traces';
  if (/node:sqlite|\/pg@|\/pg-/.test(url)) return 'store';
  if (/\/express@|\/router@|\/body-parser@|\/raw-body@|node:_http|node:net|stream_base/.test(url)) return 'HTTP layer';
  if (url === '' && /^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(functionName)) return 'HTTP layer';
  return 'other';
}

/** Summarises one profile by layer and by function. */
export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byLayer = new Map<Layer, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const leaf = nodes.get(id)!.callFrame;
    if (leaf.functionName === '(idle)') return;
    const stack: CallFrame[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
      stack.push(nodes.get(current)!.callFrame);
    }
    if (stack.some(isStartup)) return;
    const time = profile.timeDeltas[index] ?? 0;
    busy += time;
    const ours = stack.map((frame) => OURS.exec(frame.url)).find((match) => match !== null);
    const layer = ours ? layerOfOurs(ours[2]!, ours[3]!) : layerOfLeaf(leaf);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + time);
    const where = OURS.exec(leaf.url)?.slice(2).join('/') ?? (basename(leaf.url) || 'native');
    const name = `${leaf.functionName || '(anonymous)'} (${where})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  });
  const share = (time: number) => Math.round((time / busy) * 1000) / 10;
  return {
    profile: basename(file),
    busyMs: Math.round(busy / 1000),
    layers: LAYERS.map((layer) => ({ layer, share: share(byLayer.get(layer) ?? 0) })),
    top: [...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, time]) => ({ name, share: share(time) })),
  };
}

function newestProfile(): string {
  const dir = join(RESULTS_DIR, 'profiles', 'sequential-sqlite');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name));
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no .cpuprofile in ${dir}: run a benchmark with BENCH_CPU_PROF=1 first`);
  return newest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summariseProfile(process.argv[2] ?? newestProfile());
  console.log(`${summary.profile}: ${summary.busyMs} ms busy (start-up excluded)`);
  for (const { layer, share } of summary.layers) console.log(`${String(share).padStart(6)} %  ${layer}`);
  console.log('');
  for (const { name, share } of summary.top) console.log(`${String(share).padStart(6)} %  ${name}`);
  console.log(`written to ${writeResults('profile', { ...summary })}`);
}
