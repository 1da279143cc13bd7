// Command names and help only, importing nothing: `--help` and usage errors answer without
// loading the core (the runs are in command-runs.ts).

/** One `pnpm memgate GROUP ACTION` command. */
export interface Command {
  group: 'users' | 'keys' | 'agents' | 'limits' | 'usage';
  /** Empty for a command of one word (`usage`). */
  action: string;
  /** Its arguments, as help shows them, e.g. `NAME [--user USER]`. */
  synopsis: string;
  summary: string;
  /** Required positional arguments, in order. */
  required: string[];
  /** May create the data directory and database on first use (only `users create`); every other command needs existing data. */
  createsData?: boolean;
  /** Always JSON, whatever stdout is (a document, not rows). */
  document?: boolean;
}

/** Every command, in the order help lists them. */
export const COMMANDS: Command[] = [
  {
    group: 'users',
    action: 'list',
    synopsis: '',
    summary: 'list users',
    required: [],
  },
  {
    group: 'users',
    action: 'create',
    synopsis: 'NAME',
    summary: 'create a user (creates the data directory on first use)',
    required: ['NAME'],
    createsData: true,
  },
  {
    group: 'users',
    action: 'delete',
    synopsis: 'USER [--force]',
    summary:
      'delete a user (id or name) and their keys; refused while they have agents, unless --force deletes those too',
    required: ['USER'],
  },
  {
    group: 'keys',
    action: 'list',
    synopsis: 'USER',
    summary: "list a user's API keys (id, prefix, scope, created, last used, expiry; never the key)",
    required: ['USER'],
  },
  {
    group: 'keys',
    action: 'create',
    synopsis: 'USER [--scope full|read] [--expires-at TIME]',
    summary: 'create an API key for a user (id or name); the key is printed once',
    required: ['USER'],
  },
  {
    group: 'keys',
    action: 'delete',
    synopsis: 'KEY_ID',
    summary: 'delete an API key; it stops working at once',
    required: ['KEY_ID'],
  },
  {
    group: 'agents',
    action: 'list',
    synopsis: '[--user USER]',
    summary: "list a user's agents",
    required: [],
  },
  {
    group: 'agents',
    action: 'create',
    synopsis: 'NAME [--user USER] [--model MODEL]',
    summary: 'create an agent for a user',
    required: ['NAME'],
  },
  {
    group: 'agents',
    action: 'delete',
    synopsis: 'AGENT_ID [--user USER]',
    summary: 'delete an agent with its memory and messages',
    required: ['AGENT_ID'],
  },
  {
    group: 'agents',
    action: 'export',
    synopsis: 'AGENT_ID [--user USER] [--messages all|window|none]',
    summary: "print an agent as a Letta Agent File (.af): blocks, messages, window, passages, memgate's state",
    required: ['AGENT_ID'],
    document: true,
  },
  {
    group: 'agents',
    action: 'import',
    synopsis: 'FILE [--user USER] [--dry-run]',
    summary: 'import the agents of a Letta Agent File (.af), all or nothing; prints their ids and warnings',
    required: ['FILE'],
    document: true,
  },
  {
    group: 'limits',
    action: 'set',
    synopsis:
      '[--user USER | --key KEY_ID] [--rpm N] [--tpm N] [--concurrency N] [--budget-usd USD | --budget-tokens N] [--period day|month] [--exempt]',
    summary: "replace a user's (default) or a key's limits with those given; none given: no limit of its own",
    required: [],
  },
  {
    group: 'limits',
    action: 'show',
    synopsis: '[--user USER | --key KEY_ID]',
    summary: "show a user's or a key's own limits",
    required: [],
  },
  {
    group: 'limits',
    action: 'clear',
    synopsis: '[--user USER | --key KEY_ID]',
    summary: "remove a user's or a key's own limits (a user then has the MEMGATE_DEFAULT_* limits)",
    required: [],
  },
  {
    group: 'usage',
    action: '',
    synopsis: '[--user USER] [--group-by agent|key|model|day] [--from TIME] [--to TIME]',
    summary: 'sum the upstream calls of every user (or one) per group over [from, to) (default: the last 30 days)',
    required: [],
  },
];

export const GROUPS = ['users', 'keys', 'agents', 'limits', 'usage'] as const;

/** The command `GROUP ACTION` names (`GROUP` alone for a one-word command), if any. */
export function findCommand(group: string | undefined, action: string | undefined): Command | undefined {
  const single = COMMANDS.find((command) => command.group === group && command.action === '');
  return single ?? COMMANDS.find((command) => command.group === group && command.action === action);
}
