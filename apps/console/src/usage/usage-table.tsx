import type { DayUsage } from './usage-days.ts';

const integer = new Intl.NumberFormat();
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

export const formatInteger = (value: number) => integer.format(Math.round(value));
export const formatUsd = (value: number) => usd.format(value);

export interface UsageTotalsRow {
  turns: number;
  calls: number;
  failedCalls: number;
  totalTokens: number;
  costUsd: number;
}

/** The chart's numbers as a table (the accessible alternative): one row per day, then the totals. */
export function UsageTable({
  caption,
  days,
  totals,
}: {
  caption: string;
  days: readonly DayUsage[];
  totals: UsageTotalsRow;
}) {
  return (
    // Focusable so that a keyboard can scroll it when it is wider than a phone.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-scroll" aria-label={caption} tabIndex={0}>
      <table className="usage-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Turns</th>
            <th scope="col">Calls</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">{day.day}</th>
              <td>{formatInteger(day.turns)}</td>
              <td>
                {formatInteger(day.calls)}
                {day.failedCalls > 0 && <span className="muted"> ({formatInteger(day.failedCalls)} failed)</span>}
              </td>
              <td>{formatInteger(day.totalTokens)}</td>
              <td>{formatUsd(day.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{formatInteger(totals.turns)}</td>
            <td>
              {formatInteger(totals.calls)}
              {totals.failedCalls > 0 && <span className="muted"> ({formatInteger(totals.failedCalls)} failed)</span>}
            </td>
            <td>{formatInteger(totals.totalTokens)}</td>
            <td>{formatUsd(totals.costUsd)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
