import type { z } from 'zod';
import { findTooDeep } from '../schemas/json-limits.ts';
import { MemgateError, type ValidationDetail } from './memgate-error.ts';

/** FastAPI-like `type` names for zod issue codes, so seed clients see familiar values. */
function issueType(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `${issue.expected}_type`;
    case 'unrecognized_keys':
      return 'extra_forbidden';
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'too_short' : 'greater_than_equal';
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string' ? 'too_long' : 'less_than_equal';
    case 'invalid_value':
      return 'literal_error';
    case 'invalid_union':
      return 'union_error';
    default:
      return 'value_error';
  }
}

/** Converts a zod error into the seed's `detail` array, rooted at `root` (e.g. `body`). */
export function validationDetails(error: z.ZodError, root: string): ValidationDetail[] {
  const details: ValidationDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        details.push({
          loc: [root, ...pathOf(issue.path), key],
          msg: `Unrecognized request argument supplied: ${key}`,
          type: 'extra_forbidden',
        });
      }
      continue;
    }
    const missing = issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union');
    details.push({
      loc: [root, ...pathOf(issue.path)],
      msg: missing ? 'Field required' : issue.message,
      type: missing ? 'missing' : issueType(issue),
    });
  }
  return details;
}

function pathOf(path: PropertyKey[]): (string | number)[] {
  return path.map((part) => (typeof part === 'number' ? part : String(part)));
}

/** Builds the 422 MemgateError for a zod failure; the message names the first offending field. */
export function validationError(error: z.ZodError, root = 'body'): MemgateError {
  const validation = validationDetails(error, root);
  const first = validation[0];
  const param = first ? first.loc.slice(1).join('.') || null : null;
  const message = first ? `${first.msg} (at ${first.loc.slice(1).join('.') || root})` : 'Invalid request.';
  return new MemgateError('BAD_USER_INPUT', message, { validation, param, detailCode: 'invalid_request' });
}

/** A 422 for one field, in the same shape as schema failures. */
export function fieldError(loc: (string | number)[], msg: string, detailCode = 'invalid_request'): MemgateError {
  const param = loc.slice(1).join('.') || null;
  return new MemgateError('BAD_USER_INPUT', msg, {
    validation: [{ loc, msg, type: 'value_error' }],
    param,
    detailCode,
  });
}

/** The 422 for input nested deeper than `MAX_JSON_DEPTH`, at the first container too deep. */
export function assertJsonDepth(input: unknown, root = 'body'): void {
  const problem = findTooDeep(input);
  if (problem) throw tooDeepError([root, ...problem.path], problem.message);
}

/** The 422 for a container nested too deep at `loc` (`loc[0]` is the root: body, query, frame). */
export function tooDeepError(loc: (string | number)[], message: string): MemgateError {
  const param = loc.slice(1).join('.') || null;
  return new MemgateError('BAD_USER_INPUT', `${message} (at ${param ?? loc[0]})`, {
    validation: [{ loc, msg: message, type: 'value_error' }],
    param,
    detailCode: 'json_too_deep',
  });
}

/** Parses `input` with `schema`, throwing the contract's 422 on failure (depth first: zod recurses). */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  root = 'body',
): z.output<Schema> {
  assertJsonDepth(input, root);
  // reportInput lets the error tell a missing field from a wrong one; inputs never reach the response.
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw validationError(result.error, root);
  return result.data;
}
