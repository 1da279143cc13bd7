/** Rows as an aligned text table, columns from the first row's keys; one object as `field  value` lines. */
export function formatTable(data: unknown): string {
  if (Array.isArray(data)) {
    if (data.length === 0) return '(none)';
    const rows = data as Record<string, unknown>[];
    const columns = Object.keys(rows[0] ?? {});
    const cells = [columns, ...rows.map((row) => columns.map((column) => text(row[column])))];
    const widths = columns.map((_, index) => Math.max(...cells.map((cell) => (cell[index] ?? '').length)));
    return cells
      .map((cell) =>
        cell
          .map((value, index) => value.padEnd(widths[index] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  }
  if (data !== null && typeof data === 'object') {
    const entries = Object.entries(data);
    const width = Math.max(...entries.map(([key]) => key.length));
    return entries.map(([key, value]) => `${key.padEnd(width)}  ${text(value)}`).join('\n');
  }
  return text(data);
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
