/**
 * A report collector on 127.0.0.1 for tests: a real HTTP server that records every request
 * and answers as the test says (a status, or a status held until the test releases it), so the
 * queue's real fetch, headers and body are what is checked.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CollectedRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The report id in the body, when it parses. */
  readonly id: string | undefined;
}

export interface Collector {
  readonly url: string;
  readonly requests: CollectedRequest[];
  /** The most requests for one report id that were open at the same time. */
  maxInFlightPerId(): number;
  /** Answers the next requests with these statuses, in order; afterwards with `fallback`. */
  answer(...statuses: number[]): void;
  fallback: number;
  /** Holds every request until release() is called; resolves `held` when one arrives. */
  hold(): { arrived: Promise<void>; release: () => void };
  close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
  const requests: CollectedRequest[] = [];
  const statuses: number[] = [];
  const open = new Map<string, number>();
  let maxInFlight = 0;
  let gate: { promise: Promise<void>; arrived: () => void } | null = null;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let id: string | undefined;
      try {
        id = (JSON.parse(body) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      const key = id ?? '';
      open.set(key, (open.get(key) ?? 0) + 1);
      maxInFlight = Math.max(maxInFlight, open.get(key) ?? 0);
      requests.push({ method: request.method ?? '', headers: request.headers, body, id });
      const status = statuses.shift() ?? collector.fallback;
      const finish = () => {
        open.set(key, (open.get(key) ?? 1) - 1);
        response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      };
      if (gate) {
        gate.arrived();
        void gate.promise.then(finish);
      } else {
        finish();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const collector: Collector = {
    url: `http://127.0.0.1:${port}/reports`,
    requests,
    maxInFlightPerId: () => maxInFlight,
    answer: (...next) => statuses.push(...next),
    fallback: 200,
    hold() {
      let release!: () => void;
      let arrived!: () => void;
      const promise = new Promise<void>((resolve) => (release = resolve));
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      gate = { promise, arrived };
      return {
        arrived: arrival,
        release: () => {
          gate = null;
          release();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return collector;
}
