import type { Memgate } from '../memgate.ts';

/** What `/readyz` answers, on every protocol's server. */
export type ReadinessReport =
  | { status: 'ready'; llm: string; node: string }
  | { status: 'unavailable'; reason: string; node: string };

/** Checks that the store can serve; the HTTP status to send is 200 when ready, 503 otherwise. */
export async function readiness(memgate: Memgate): Promise<{ httpStatus: 200 | 503; body: ReadinessReport }> {
  const node = process.version;
  try {
    await memgate.ready();
    return { httpStatus: 200, body: { status: 'ready', llm: memgate.provider.description, node } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { httpStatus: 503, body: { status: 'unavailable', reason, node } };
  }
}
