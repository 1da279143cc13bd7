/** One bar: a typical value drawn dark over a tail value (p99, p90) drawn light behind it. */
export interface Bar {
  label: string;
  value: number;
  tail: number;
  /** Draws the bar in the highlight colour (memgate's own paths). */
  highlight?: boolean;
}

/** A titled panel of horizontal bars on its own scale, in groups separated by a gap. */
export interface Panel {
  title: string;
  /** Legend of the two shades, e.g. ['p50', 'p99']. */
  legend: [string, string];
  unit: string;
  groups: { label: string; bars: Bar[] }[];
}

const WIDTH = 760;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 16;
const ROW = 22;
const COLOURS = { base: '#4b5563', baseTail: '#d1d5db', highlight: '#2563eb', highlightTail: '#bfdbfe' };

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const text = (x: number, y: number, content: string, attributes = '') =>
  `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
const rect = (x: number, y: number, width: number, height: number, fill: string) =>
  `<rect x="${x}" y="${y}" width="${Math.max(0, width).toFixed(1)}" height="${height}" fill="${fill}"/>`;

/** Rounds a scale's end up to a round multiple of a power of ten, so the axis reads naturally. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((step) => step * power >= value) ?? 10) * power;
}

function drawPanel(panel: Panel, top: number): { svg: string[]; height: number } {
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const max = niceMax(Math.max(...panel.groups.flatMap((group) => group.bars.map((bar) => bar.tail))));
  const scale = (value: number) => (value / max) * plotWidth;
  const svg = [text(10, top + 16, panel.title, 'font-weight="bold" font-size="14"')];
  // The legend on its own line under the title, so a long title never runs into it.
  const legendY = top + 24;
  const legend: [string, string][] = [
    [COLOURS.base, panel.legend[0]],
    [COLOURS.baseTail, panel.legend[1]],
    [COLOURS.highlight, `memgate ${panel.legend[0]}`],
    [COLOURS.highlightTail, `memgate ${panel.legend[1]}`],
  ];
  legend.forEach(([colour, label], index) => {
    const x = 10 + index * 130;
    svg.push(rect(x, legendY, 12, 12, colour), text(x + 16, legendY + 10, label, 'fill="#374151"'));
  });
  const bars: string[] = [];
  let y = top + 48;
  for (const group of panel.groups) {
    bars.push(text(10, y + 12, group.label, 'font-style="italic" fill="#374151"'));
    y += ROW;
    for (const bar of group.bars) {
      const [colour, tail] = bar.highlight
        ? [COLOURS.highlight, COLOURS.highlightTail]
        : [COLOURS.base, COLOURS.baseTail];
      bars.push(text(LABEL_WIDTH - 8, y + 12, bar.label, 'text-anchor="end"'));
      bars.push(rect(LABEL_WIDTH, y, scale(bar.tail), BAR_HEIGHT, tail));
      bars.push(rect(LABEL_WIDTH, y, scale(bar.value), BAR_HEIGHT, colour));
      const values = `${bar.value} / ${bar.tail} ${panel.unit}`;
      bars.push(text(LABEL_WIDTH + scale(bar.tail) + 6, y + 12, values, 'fill="#111827"'));
      y += ROW;
    }
    y += 6;
  }
  // The axis: 0, half and the scale's end, with light grid lines drawn behind the bars.
  const axisY = y + 4;
  for (const share of [0, 0.5, 1]) {
    const x = LABEL_WIDTH + share * plotWidth;
    svg.push(`<line x1="${x}" y1="${top + 44}" x2="${x}" y2="${axisY}" stroke="#e5e7eb"/>`);
    svg.push(text(x, axisY + 14, `${max * share} ${panel.unit}`, 'text-anchor="middle" fill="#6b7280"'));
  }
  return { svg: [...svg, ...bars], height: axisY + 24 - top };
}

/** The panels stacked in one SVG document, with a caption line at the bottom. */
export function renderChart(panels: Panel[], caption: string): string {
  const body: string[] = [];
  let top = 10;
  for (const panel of panels) {
    const drawn = drawPanel(panel, top);
    body.push(...drawn.svg);
    top += drawn.height + 16;
  }
  body.push(text(10, top + 4, caption, 'fill="#6b7280" font-size="11"'));
  const height = top + 14;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"`,
    ' font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
