/** Default of MEMGATE_SHUTDOWN_TIMEOUT_MS: inside Kubernetes' default 30 s grace period. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * Runs `stop` once on SIGINT or SIGTERM (in-flight work finishes first), then exits with status 0.
 * A stop that takes longer than `deadlineMs` (MEMGATE_SHUTDOWN_TIMEOUT_MS) exits with status 1
 * instead of hanging the deployment: what was still running is cut off.
 */
export function stopOnSignals(name: string, stop: () => Promise<void>, deadlineMs = DEFAULT_SHUTDOWN_TIMEOUT_MS): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // stderr: stdout carries only the JSON log lines.
    process.stderr.write(`${name}: ${signal} received, finishing in-flight requests (up to ${deadlineMs} ms)…\n`);
    setTimeout(() => {
      process.stderr.write(`${name}: still busy after ${deadlineMs} ms (MEMGATE_SHUTDOWN_TIMEOUT_MS), exiting\n`);
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: stopping failed`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
