/**
 * Holds BENCH_WS_CONNECTIONS idle, authenticated connections to memgate's chat channel. A process
 * of its own, so the clients' memory is never counted as the server's.
 */
import WebSocket from 'ws';
import { failToParent, serveParent } from '../child-process.ts';

/** What the clients child reports once every connection has its `session.created`. */
export interface WsClientsReady {
  opened: number;
  seconds: number;
}

const BATCH = 250;

function connect(url: string, authorization: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization }, perMessageDeflate: false });
    socket.once('message', () => resolve(socket));
    socket.once('error', reject);
  });
}

try {
  const url = process.env['BENCH_WS_URL'];
  const authorization = `Bearer ${process.env['BENCH_API_KEY']}`;
  const count = Number(process.env['BENCH_WS_CONNECTIONS']);
  if (!url || !count) throw new Error('BENCH_WS_URL and BENCH_WS_CONNECTIONS must be set');
  const started = performance.now();
  const sockets: WebSocket[] = [];
  // In batches: thousands of simultaneous handshakes would measure the accept queue, not idle memory.
  while (sockets.length < count) {
    const batch = Math.min(BATCH, count - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => connect(url, authorization)))));
  }
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  serveParent<WsClientsReady>(
    { opened: sockets.length, seconds },
    async (request) => {
      throw new Error(`unknown request ${request.type}`);
    },
    async () => {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve());
              socket.close();
            }),
        ),
      );
    },
  );
} catch (error) {
  failToParent(error);
}
