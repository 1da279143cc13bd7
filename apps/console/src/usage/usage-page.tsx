import { useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { ErrorNotice } from '../ui/error-notice.tsx';
import { BarChart } from './bar-chart.tsx';
import { fillDays, periodOf } from './usage-days.ts';
import { formatInteger, UsageTable } from './usage-table.tsx';

const UsageByDay = graphql(`
  query UsageByDay($from: String!, $to: String!) {
    usage(groupBy: day, from: $from, to: $to) {
      groups {
        key
        turns
        calls
        failedCalls
        totalTokens
        costUsd
      }
      totals {
        turns
        calls
        failedCalls
        totalTokens
        costUsd
      }
    }
  }
`);

const PERIODS = [7, 30] as const;

/** Turns and tokens per UTC day over the last 7 or 30 days: charts, and the same numbers as a table. */
export function UsagePage() {
  const id = useId();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
  const period = useMemo(() => periodOf(days), [days]);
  const [{ data, error, fetching }] = useQuery({
    query: UsageByDay,
    variables: { from: period.from, to: period.to },
  });
  const report = data?.usage;
  const filled = report ? fillDays(period.days, report.groups) : [];
  const empty = report && report.totals.calls === 0 && report.totals.turns === 0;
  return (
    <section className="usage-page">
      <h1>Usage</h1>
      <div className="usage-controls">
        <label htmlFor={id}>Period</label>
        <select id={id} value={days} onChange={(event) => setDays(Number(event.target.value) === 30 ? 30 : 7)}>
          {PERIODS.map((count) => (
            <option key={count} value={count}>
              Last {count} days
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={error} title="Could not load the usage" />
      {!report && fetching && <p aria-busy="true">Loading…</p>}
      {empty && (
        <p className="muted">No usage recorded in the last {days} days: chat with an agent and it shows here.</p>
      )}
      {report && !empty && (
        <>
          <div className="usage-charts">
            <BarChart
              title="Turns per day"
              bars={filled.map((day) => ({ label: day.day, value: day.turns }))}
              format={formatInteger}
            />
            <BarChart
              title="Tokens per day"
              bars={filled.map((day) => ({ label: day.day, value: day.totalTokens }))}
              format={formatInteger}
            />
          </div>
          <UsageTable caption={`Usage per day, last ${days} days (UTC)`} days={filled} totals={report.totals} />
        </>
      )}
    </section>
  );
}
