import { hasNul } from '../schemas/json-limits.ts';

/**
 * The warnings of one import, in the order found. Things that happen many times (a content part
 * type memgate drops, NULs removed from text) are counted and reported once, so that a long
 * history does not bury the warnings that matter.
 */
export class ImportNotes {
  private readonly warnings: string[] = [];
  private readonly counts = new Map<string, number>();

  warn(warning: string): void {
    this.warnings.push(warning);
  }

  /** Counts one occurrence of a repeated problem; `describe` words it from the total. */
  count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Text memgate can store: NUL removed (PostgreSQL cannot hold U+0000), counted when any was. */
  text(value: string): string {
    if (!hasNul(value)) return value;
    this.count('NUL characters were removed from text (memgate cannot store U+0000)');
    return value.replaceAll('\u0000', '');
  }

  /** Every warning, the counted ones last with their count. */
  list(): string[] {
    const counted = [...this.counts].map(([what, times]) => `${what} (${times}×).`);
    return [...this.warnings, ...counted];
  }
}
