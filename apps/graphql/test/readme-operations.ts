import { readFileSync } from 'node:fs';
import { parse, print } from 'graphql';

/** The README's GraphQL section: from its heading to the next one of the same level. */
function graphqlSection(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## GraphQL\n');
  if (start < 0) throw new Error('The README has no "## GraphQL" section.');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(section: string, language: string): string[] {
  const fence = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g');
  return [...section.matchAll(fence)].map((match) => match[1] ?? '');
}

/**
 * Every GraphQL operation the README's GraphQL section shows: each operation of its `graphql`
 * blocks, the `"query"` of its curl examples and the `query:` of its JavaScript client.
 */
export function readmeOperations(): string[] {
  const section = graphqlSection();
  const operations: string[] = [];
  for (const block of codeBlocks(section, 'graphql')) {
    for (const definition of parse(block).definitions) operations.push(print(definition));
  }
  for (const block of codeBlocks(section, 'sh')) {
    for (const match of block.matchAll(/"query":("(?:[^"\\]|\\.)*")/g)) operations.push(JSON.parse(match[1] ?? '""'));
  }
  for (const block of codeBlocks(section, 'js')) {
    for (const match of block.matchAll(/query: `([^`]*)`/g)) operations.push(match[1] ?? '');
  }
  return operations;
}
