/** Names whose values are secrets: shown masked in configuration errors. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/** `scheme://user:password@host` → `scheme://user:***@host`, also in values that are not valid URLs. */
function maskUrlPassword(value: string): string {
  return value.replace(/(\/\/[^:/@\s]*:)[^@/\s]+@/g, '$1***@');
}

/**
 * A value as it may be shown in an error or a log: a secret variable's value is replaced by `***`
 * (keeping only its length), and any password embedded in a URL is masked.
 */
export function maskConfigValue(variable: string, value: string): string {
  if (SECRET_NAME.test(variable)) return `*** (${value.length} characters)`;
  return maskUrlPassword(value);
}

/** One variable that failed to parse. */
export interface ConfigProblem {
  /** The environment variable, as the operator set it (e.g. `OPENAI_BASE_URL` when that was the one used). */
  variable: string;
  /** Its value, already masked. */
  value: string;
  /** What the variable must hold, e.g. "a postgres:// or postgresql:// URL". */
  expected: string;
}

/**
 * A bad configuration, thrown by `loadConfig` before anything opens. Entry points print its
 * one-line `message` and exit with code 2 (see `loadConfigOrExit` in `@memgate/runtime`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every bad variable; the first is the one the message leads with. */
  readonly problems: [ConfigProblem, ...ConfigProblem[]];

  constructor(problems: [ConfigProblem, ...ConfigProblem[]]) {
    const [first, ...others] = problems;
    const more = others.length > 0 ? ` (also invalid: ${others.map((problem) => problem.variable).join(', ')})` : '';
    // JSON quoting keeps the value on one line whatever it holds.
    super(`invalid configuration: ${first.variable}=${JSON.stringify(first.value)}: expected ${first.expected}${more}`);
    this.problems = problems;
  }

  get variable(): string {
    return this.problems[0].variable;
  }

  get value(): string {
    return this.problems[0].value;
  }

  get expected(): string {
    return this.problems[0].expected;
  }
}
