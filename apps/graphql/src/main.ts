import { createServer } from 'node:http';
import { loadConfig } from '@memgate/core';
import { banner, createRuntime } from '@memgate/runtime';
import { createGraphqlApp } from './graphql-app.ts';

// The GraphQL app alone, for scaling protocols independently (contract §1).
const config = loadConfig();
const runtime = await createRuntime(config);
const app = createGraphqlApp(runtime.memgate, { bodyLimitBytes: config.bodyLimitBytes });
const server = createServer(app.handleRequest);
server.on('upgrade', (request, socket, head) => {
  if ((request.url ?? '/').split('?')[0] === '/graphql') app.handleUpgrade(request, socket, head);
  else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
});
// Long streamed turns must not be cut by Node's default request timeout.
server.requestTimeout = 0;
server.listen(config.port, config.host, () => {
  console.log(banner(runtime, `http://${config.host}:${config.port}/graphql (GraphQL only)`));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const deadline = setTimeout(() => process.exit(1), 30_000);
    deadline.unref();
    server.close(() => void runtime.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    void app.close();
  });
}
