import { COMMANDS, type Command, GROUPS } from './command-list.ts';

const OPTIONS = `options:
  --json             print JSON (the default when stdout is not a terminal; tables otherwise)
  --user, -u USER    the user (id or name) whose agents a command works on (default: default)
  --model MODEL      the model of a new agent (default: MEMGATE_LLM_MODEL, or the offline model)
  --scope SCOPE      keys create: full (default; turns and writes) or read (reads agents, messages, memory)
  --expires-at TIME  keys create: when the key stops working, ISO 8601 in the future (default: never)
  --force            users delete: also delete the user's agents, with their memory and messages
  --messages WHICH   agents export: all (default), window (the context window only) or none
  --dry-run          agents import: check and plan the import, store nothing
  --key KEY_ID       limits: a key's limits instead of a user's (they apply on top of its user's)
  --rpm N            limits set: turns per minute
  --tpm N            limits set: upstream tokens per minute
  --concurrency N    limits set: turns running at once
  --budget-usd USD   limits set: spend cap in USD per period (or --budget-tokens N: in tokens)
  --period PERIOD    limits set: the budget's period, day or month (default: month)
  --exempt           limits set: exempt the user from every limit (users only)
  --group-by WHAT    usage: agent, key, model or day (default: day)
  --from, --to TIME  usage: the range, ISO 8601 dates or date-times (default: the last 30 days)
  --help, -h         print help for the command and exit`;

const FOOTER = `It uses the server's configuration (MEMGATE_DATA_DIR or DATABASE_URL, see the README).
No command but users create creates a data directory, a database or the default user.
Exit codes: 0 done, 1 failed (e.g. not found, no data), 2 bad usage or configuration.`;

function line(command: Command): string {
  const words = [command.group, command.action, command.synopsis].filter(Boolean).join(' ');
  return `  ${words}\n      ${command.summary}`;
}

/** The whole usage: every command, the options, the exit codes. */
export function usage(): string {
  return [
    'usage: pnpm memgate <users|keys|agents|limits> <command> [arguments] [options]',
    '       pnpm memgate usage [options]',
    '       pnpm memgate help [users|keys|agents|limits|usage] [command]',
    '',
    'commands:',
    ...COMMANDS.map(line),
    '',
    OPTIONS,
    '',
    FOOTER,
  ].join('\n');
}

/**
 * Help for `help GROUP [ACTION]`: the group's commands, or one command; undefined when the words
 * name nothing.
 */
export function helpFor(group: string, action?: string): string | undefined {
  if (!(GROUPS as readonly string[]).includes(group)) return undefined;
  const commands = COMMANDS.filter((command) => command.group === group && (!action || command.action === action));
  if (commands.length === 0) return undefined;
  const [only] = commands;
  const title =
    only && (action || only.action === '')
      ? [group, only.action, only.synopsis].filter(Boolean).join(' ')
      : `${group} <command>`;
  return [`usage: pnpm memgate ${title}`, '', ...commands.map(line), '', OPTIONS].join('\n');
}
