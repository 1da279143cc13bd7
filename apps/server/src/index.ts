export { type MemgateServer, type MemgateServerOptions, startMemgateServer } from './memgate-server.ts';
