import { z } from 'zod';

/**
 * Deepest nesting of objects and arrays accepted in any JSON a client sends (request bodies, tool
 * schemas, WebSocket frames): the top-level value is depth 1. Deeper documents are refused with a
 * 422 before anything is stored, because recursive consumers further on (JSON.stringify, the token
 * counter, drivers) would overflow the stack on them.
 */
export const MAX_JSON_DEPTH = 64;

/** Where a JSON value first breaks the depth limit: the path of the container one level too deep. */
export interface JsonDepthProblem {
  path: (string | number)[];
  message: string;
}

interface Frame {
  value: unknown;
  key: string | number | null;
  parent: Frame | null;
  depth: number;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let current: Frame | null = frame; current?.key != null; current = current.parent) path.push(current.key);
  return path.reverse();
}

/**
 * The first container nested deeper than `maxDepth`, or null. Iterative (an explicit stack with
 * parent links, the path built only on failure), so it cannot itself overflow on what it refuses.
 */
export function findTooDeep(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonDepthProblem | null {
  const stack: Frame[] = [{ value, key: null, parent: null, depth: 1 }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const current = frame.value;
    if (typeof current !== 'object' || current === null) continue;
    if (frame.depth > maxDepth) {
      return { path: pathOf(frame), message: `JSON is nested deeper than ${maxDepth} levels.` };
    }
    const depth = frame.depth + 1;
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        const item: unknown = current[index];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, key: index, parent: frame, depth });
      }
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (typeof item === 'object' && item !== null) stack.push({ value: item, key, parent: frame, depth });
    }
  }
  return null;
}

/** True when `text` holds U+0000, which memgate refuses in any text it would store. */
export function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

export const NUL_MESSAGE = 'Text must not contain NUL characters (U+0000).';

/** Refinement predicate for stored text: `.refine(noNul, NUL_MESSAGE)`. */
export const noNul = (text: string): boolean => !hasNul(text);

/**
 * A string memgate may store: no NUL. PostgreSQL cannot hold U+0000 in text (SQLite can), so it is
 * refused at the edge, on every protocol and either store, rather than stored differently.
 */
export function storedText() {
  return z.string().refine(noNul, NUL_MESSAGE);
}

/** A JSON object (a tool's or response format's JSON Schema) at most `MAX_JSON_DEPTH` deep. */
export function boundedJsonObject() {
  return z.record(z.string(), z.unknown()).superRefine((value, context) => {
    const problem = findTooDeep(value);
    if (problem) context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });
}
