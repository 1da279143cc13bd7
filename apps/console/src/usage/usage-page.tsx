/** Turns and tokens per day (placeholder until the usage screen lands). */
export function UsagePage() {
  return (
    <section>
      <h1>Usage</h1>
    </section>
  );
}
