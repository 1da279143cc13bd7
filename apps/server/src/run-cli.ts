import { agentResource, loadConfig, MemgateError, userResource } from '@memgate/core';
import { createRuntime } from '@memgate/runtime';

const USAGE = `usage: pnpm memgate <command>
  users create NAME        create a user
  users list               list users
  keys create USER         create an API key for a user (id or name); printed once
  keys delete KEY_ID       delete an API key; it stops working at once
  agents list [USER]       list a user's agents (default: "default")`;

async function run(args: string[]): Promise<unknown> {
  const runtime = await createRuntime(loadConfig());
  const { admin, agents } = runtime.memgate;
  try {
    const [group, action, argument] = args;
    switch (`${group} ${action}`) {
      case 'users create':
        return userResource(await admin.createUser({ name: argument }));
      case 'users list':
        return (await admin.listUsers()).map(userResource);
      case 'keys create': {
        const created = await admin.createApiKey(required(argument, 'USER'));
        return { id: created.id, key: created.key, user_id: created.userId, created_at: created.createdAt };
      }
      case 'keys delete':
        await admin.deleteApiKey(required(argument, 'KEY_ID'));
        return { deleted: argument };
      case 'agents list': {
        const user = await admin.findUser(argument ?? 'default');
        return (await agents.list({ userId: user.id })).map(agentResource);
      }
      default:
        throw new UsageError();
    }
  } finally {
    await runtime.close();
  }
}

class UsageError extends Error {}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing ${name}`);
  return value;
}

try {
  console.log(JSON.stringify(await run(process.argv.slice(2)), null, 2));
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message ? `${error.message}\n` : ''}${USAGE}`);
  else console.error(`memgate: ${error instanceof MemgateError ? error.message : String(error)}`);
  process.exitCode = 1;
}
