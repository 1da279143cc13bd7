/** What the list shows of a block: its label and how full it is. */
export interface BlockLike {
  label: string;
  value: string;
  limit: number;
}

/** "persona 82/5000 · human 0/5000": each core block and its size against its limit. */
export function blockSummary(blocks: readonly BlockLike[]): string {
  if (blocks.length === 0) return 'no memory blocks';
  return blocks.map((block) => `${block.label} ${block.value.length}/${block.limit}`).join(' · ');
}

/** A file name for an agent's export: its name without path separators or control characters. */
export function agentFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
  const safe = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').trim();
  return `${safe || 'agent'}.af`;
}
