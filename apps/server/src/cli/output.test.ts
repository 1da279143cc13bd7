import { describe, expect, it } from 'vitest';
import { formatTable } from './output.ts';

describe('formatTable', () => {
  it('aligns rows under their column names', () => {
    const table = formatTable([
      { id: 'user-1', name: 'default' },
      { id: 'user-22', name: 'carol' },
    ]);
    expect(table).toBe(['id       name', 'user-1   default', 'user-22  carol'].join('\n'));
  });

  it('prints one object as field and value lines, and an empty list as (none)', () => {
    expect(formatTable({ id: 'key-1', deleted: true })).toBe('id       key-1\ndeleted  true');
    expect(formatTable([])).toBe('(none)');
  });
});
