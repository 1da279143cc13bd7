export { createMcpApp, type McpApp, type McpAppOptions } from './mcp-app.ts';
