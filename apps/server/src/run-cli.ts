import { parseArgs } from 'node:util';
import { type Command, findCommand } from './cli/command-list.ts';
import { helpFor, usage } from './cli/help.ts';
import { formatTable } from './cli/output.ts';

/** Bad usage: the message, then the usage it refers to, on stderr; exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string = usage(),
  ) {
    super(message);
  }
}

const OPTIONS = {
  json: { type: 'boolean' },
  user: { type: 'string', short: 'u' },
  key: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  concurrency: { type: 'string' },
  'budget-usd': { type: 'string' },
  'budget-tokens': { type: 'string' },
  period: { type: 'string' },
  exempt: { type: 'boolean' },
  'group-by': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  model: { type: 'string' },
  scope: { type: 'string' },
  'expires-at': { type: 'string' },
  force: { type: 'boolean' },
  messages: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's hint about `--` only confuses here: no command takes an argument starting with '-'.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** `help [GROUP [ACTION]]` and `--help`: the help asked for, or a usage error if it names nothing. */
function help(words: string[]): string {
  const [group, action, ...rest] = words;
  if (!group) return usage();
  const text = rest.length === 0 ? helpFor(group, action) : undefined;
  if (!text) throw new UsageError(`no help for "${words.join(' ')}"`);
  return text;
}

/** The command the positionals name, with its arguments checked. */
function commandOf(positionals: string[]): { command: Command; args: string[] } {
  const [group, action] = positionals;
  if (!group) throw new UsageError('missing command');
  const command = findCommand(group, action);
  const args = positionals.slice(command?.action === '' ? 1 : 2);
  if (!command) throw new UsageError(`unknown command "${[group, action].filter(Boolean).join(' ')}"`);
  const commandHelp = helpFor(command.group, command.action);
  const missing = command.required.slice(args.length);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(' ')}`, commandHelp);
  if (args.length > command.required.length) {
    throw new UsageError(`unexpected argument "${args[command.required.length]}"`, commandHelp);
  }
  return { command, args };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals[0] === 'help' || values.help) {
    process.stdout.write(`${help(positionals[0] === 'help' ? positionals.slice(1) : positionals)}\n`);
    return 0;
  }
  const { command, args } = commandOf(positionals);
  // Loaded only now: help and usage errors answer without loading the core and its drivers.
  const { createRuntime, loadConfigOrExit } = await import('@memgate/runtime');
  const { COMMAND_RUNS } = await import('./cli/command-runs.ts');
  const config = loadConfigOrExit();
  const runtime = await createRuntime(config, { existingDataOnly: !command.createsData, bootstrap: false });
  try {
    const run = COMMAND_RUNS[`${command.group} ${command.action}`.trimEnd()];
    if (!run) throw new Error(`memgate: no implementation of ${command.group} ${command.action}`);
    const result = await run({
      memgate: runtime.memgate,
      args,
      user: values.user ?? 'default',
      userGiven: values.user !== undefined,
      key: values.key,
      limits: {
        rpm: values.rpm,
        tpm: values.tpm,
        concurrency: values.concurrency,
        budgetUsd: values['budget-usd'],
        budgetTokens: values['budget-tokens'],
        period: values.period,
        exempt: values.exempt,
      },
      usage: { groupBy: values['group-by'], from: values.from, to: values.to },
      model: values.model,
      scope: values.scope,
      expiresAt: values['expires-at'],
      force: values.force,
      messages: values.messages,
      dryRun: values['dry-run'],
    });
    const json = values.json || command.document || !process.stdout.isTTY;
    process.stdout.write(`${json ? JSON.stringify(result, null, 2) : formatTable(result)}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`memgate: ${error.message}\n\n${error.help}\n`);
    process.exitCode = 2; // as for a bad configuration: the command never ran
  } else {
    process.stderr.write(`memgate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
