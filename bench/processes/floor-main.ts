/** The bare proxy in its own process, in front of the upstream named by BENCH_UPSTREAM_URL. */
import { failToParent, serveParent } from '../child-process.ts';
import { startFloorProxy } from '../floor-proxy.ts';

/** What the floor child reports when ready. */
export interface FloorReady {
  url: string;
}

try {
  const upstreamUrl = process.env['BENCH_UPSTREAM_URL'];
  if (!upstreamUrl) throw new Error('BENCH_UPSTREAM_URL is not set');
  const proxy = await startFloorProxy(upstreamUrl);
  serveParent<FloorReady>(
    { url: proxy.url },
    async (request) => {
      throw new Error(`unknown request ${request.type}`);
    },
    async () => {
      proxy.server.closeAllConnections();
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    },
  );
} catch (error) {
  failToParent(error);
}
