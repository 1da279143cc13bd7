/**
 * Runs `stop` once on SIGINT or SIGTERM (in-flight work finishes first), then exits; a stop that
 * takes longer than `deadlineMs` exits with status 1 instead of hanging the deployment.
 */
export function stopOnSignals(name: string, stop: () => Promise<void>, deadlineMs = 35_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${name}: ${signal} received, finishing in-flight requests…`);
    setTimeout(() => process.exit(1), deadlineMs).unref();
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
