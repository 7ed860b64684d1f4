import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface SuiteServer {
  /** What each path answers; tests set and clear entries. Any other path gets 404. */
  readonly routes: Map<string, RouteHandler>;
  /** `http://127.0.0.1:<port>`, known once the suite's beforeAll has run. */
  readonly origin: string;
}

/**
 * A real HTTP server on 127.0.0.1 for the suite it is called in (started in beforeAll, closed in
 * afterAll), so list downloads go through real fetch, headers and sockets. `onRequest` sees
 * every request before its route answers.
 */
export function serveForSuite(onRequest?: (request: IncomingMessage) => void): SuiteServer {
  const routes = new Map<string, RouteHandler>();
  let server: Server | undefined;
  let origin = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      onRequest?.(request);
      const handler = routes.get(request.url ?? '');
      if (handler) handler(request, response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
  });
  return {
    routes,
    get origin() {
      return origin;
    },
  };
}
