import { niceMax } from './usage-days.ts';

export interface Bar {
  label: string;
  value: number;
}

// A narrow drawing, scaled to the page width: its labels stay readable on a 360 px phone.
const WIDTH = 420;
const HEIGHT = 180;
const LEFT = 44;
const BOTTOM = 24;
const TOP = 8;
// Axis ticks are short (12K, 1.5M) and keep a decimal for small scales (0.5 turns halfway to 1).
const tick = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * A bar chart in plain SVG (sizes are attributes, colours come from the stylesheet, so the CSP's
 * style-src 'self' holds). It is a picture for sighted users: the table beside it carries the
 * same numbers for everyone, so the SVG is one labelled image, not a tree of unlabelled shapes.
 */
export function BarChart({
  title,
  bars,
  format,
}: {
  title: string;
  bars: readonly Bar[];
  format(value: number): string;
}) {
  const top = niceMax(Math.max(0, ...bars.map((bar) => bar.value)));
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - BOTTOM - TOP;
  const band = plotWidth / Math.max(1, bars.length);
  // At most about six day labels, so that 30 days stay readable at 360 px.
  const labelEvery = Math.max(1, Math.ceil(bars.length / 6));
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  return (
    <figure className="bar-chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: chart; the table below has the numbers`}
      >
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction} className="chart-grid">
            <line x1={LEFT} x2={WIDTH} y1={y(top * fraction)} y2={y(top * fraction)} />
            <text x={LEFT - 6} y={y(top * fraction) + 4} textAnchor="end" fontSize="12">
              {tick.format(top * fraction)}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const height = (bar.value / top) * plotHeight;
          const x = LEFT + index * band + band * 0.15;
          return (
            <g key={bar.label}>
              <rect className="chart-bar" x={x} y={TOP + plotHeight - height} width={band * 0.7} height={height}>
                <title>{`${bar.label}: ${format(bar.value)}`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text x={x + band * 0.35} y={HEIGHT - 6} textAnchor="middle" fontSize="12" className="chart-label">
                  {bar.label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
