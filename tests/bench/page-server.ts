import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Serves the benchmark's one page on 127.0.0.1 (an ephemeral port; Chromium's resolver rules map
 * the made-up host there). Any path of FIXTURE_HOST answers the page; anything else is 404, the
 * favicon 204. `no-store`, so every load fetches and parses it as a first visit would.
 * Counts requests per host, so the bench can show the browsers asked nothing else of it.
 */
export interface PageServer {
  readonly port: number;
  readonly requests: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startPageServer(host: string, html: string): Promise<PageServer> {
  const body = Buffer.from(html, 'utf8');
  const requests = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    request.resume();
    const requestHost = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    requests.set(requestHost, (requests.get(requestHost) ?? 0) + 1);
    const path = (request.url ?? '/').split('?')[0];
    if (requestHost !== host) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not here\n');
    } else if (path === '/favicon.ico') {
      response.writeHead(204, { 'cache-control': 'max-age=3600' }).end();
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
