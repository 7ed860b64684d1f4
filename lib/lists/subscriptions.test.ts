import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { err, ok } from '../core/result.ts';
import { downloadList, MAX_LIST_BYTES } from './subscriptions.ts';

/** A real HTTP server on 127.0.0.1; each test installs the handler it needs. */
type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler;
let server: Server;
let origin: string;
let seen: { method: string; url: string; headers: IncomingHttpHeaders }[];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method!, url: request.url!, headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  handler = (_request, response) => response.writeHead(500).end();
});

const LIST_TEXT = JSON.stringify({ name: 'Relays', version: '1', updated: '2026-11-20', entries: [] });
const ETAG = '"list-v1"';
const LAST_MODIFIED = 'Fri, 20 Nov 2026 08:00:00 GMT';
const now = () => 42_000;
const LIMIT_ERROR = 'The list is larger than 32 MB.';

describe('downloadList', () => {
  test('200: the body as text with ETag and Last-Modified, no conditional headers the first time', async () => {
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json', etag: ETAG, 'last-modified': LAST_MODIFIED }).end(LIST_TEXT);
    const outcome = await downloadList(`${origin}/list.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/list.json`, body: ok(LIST_TEXT), at: 42_000, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/list.json');
    expect(seen[0]!.headers.accept).toBe('application/json');
    expect(seen[0]!.headers['if-none-match']).toBeUndefined();
    expect(seen[0]!.headers['if-modified-since']).toBeUndefined();
  });

  test('200 without validators: no etag or lastModified keys at all', async () => {
    handler = (_request, response) => response.writeHead(200).end(LIST_TEXT);
    const outcome = await downloadList(`${origin}/list.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/list.json`, body: ok(LIST_TEXT), at: 42_000 });
  });

  test('the second call sends If-None-Match and If-Modified-Since; 304 means notModified', async () => {
    handler = (request, response) => {
      if (request.headers['if-none-match'] === ETAG) response.writeHead(304, { etag: ETAG }).end();
      else response.writeHead(200, { etag: ETAG, 'last-modified': LAST_MODIFIED }).end(LIST_TEXT);
    };
    const first = await downloadList(`${origin}/list.json`, {}, fetch, now);
    expect(first.notModified).toBe(false);
    const previous = first.notModified ? {} : { etag: first.etag!, lastModified: first.lastModified! };
    const second = await downloadList(`${origin}/list.json`, previous, fetch, () => 43_000);
    expect(second).toEqual({ notModified: true, at: 43_000 });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.headers['if-none-match']).toBe(ETAG);
    expect(seen[1]!.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  test('follows a redirect and keeps the subscribed URL', async () => {
    handler = (request, response) => {
      if (request.url === '/old.json') response.writeHead(301, { location: '/new.json' }).end();
      else response.writeHead(200).end(LIST_TEXT);
    };
    const outcome = await downloadList(`${origin}/old.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/old.json`, body: ok(LIST_TEXT), at: 42_000 });
    expect(seen.map((request) => request.url)).toEqual(['/old.json', '/new.json']);
  });

  for (const status of [404, 500]) {
    test(`${status}: an error naming the status`, async () => {
      handler = (_request, response) => response.writeHead(status).end('{"name":"not a list"}');
      const outcome = await downloadList(`${origin}/list.json`, {}, fetch, now);
      expect(outcome).toEqual({ notModified: false, url: `${origin}/list.json`, body: err(`Could not download the list: the server answered ${status}.`), at: 42_000 });
    });
  }

  test('a declared Content-Length over the limit is refused before reading, and the connection released', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_request, response) => {
      response.on('close', closed);
      response.writeHead(200, { 'content-length': String(50 * 1024 * 1024 * 1024) });
      response.write('{"name":'); // and then nothing: a server that would trickle forever
    };
    const outcome = await downloadList(`${origin}/huge.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/huge.json`, body: err(LIMIT_ERROR), at: 42_000 });
    // Without cancelling the body the socket would stay open until the download's 30 s timeout,
    // far past this test's own limit: the test then fails instead of passing.
    await connectionClosed;
  });

  // Heavy by design (32 MiB and more through a local socket): these two took 3–4 s on a 2-core machine at load average 17.
  test('a body streamed past MAX_LIST_BYTES without Content-Length is cut off', { timeout: 60_000 }, async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length declared
      response.on('close', closed);
      const pump = () => {
        while (!response.destroyed && sent < 4 * MAX_LIST_BYTES) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      pump();
    };
    const outcome = await downloadList(`${origin}/endless.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/endless.json`, body: err(LIMIT_ERROR), at: 42_000 });
    // The reader was cancelled: the connection closes and the server stops long before 4× the limit.
    await connectionClosed;
    expect(sent).toBeGreaterThan(MAX_LIST_BYTES);
    expect(sent).toBeLessThan(2 * MAX_LIST_BYTES);
  });

  test('a body of exactly MAX_LIST_BYTES is accepted', { timeout: 60_000 }, async () => {
    const body = Buffer.alloc(MAX_LIST_BYTES, 'a');
    handler = (_request, response) => response.writeHead(200).end(body);
    const outcome = await downloadList(`${origin}/full.json`, {}, fetch, now);
    expect(outcome.notModified).toBe(false);
    if (outcome.notModified) return;
    expect(outcome.body.ok).toBe(true);
    expect(outcome.body.ok && outcome.body.value.length).toBe(MAX_LIST_BYTES);
  });

  test('a body that is not UTF-8 is refused', async () => {
    handler = (_request, response) => response.writeHead(200).end(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    const outcome = await downloadList(`${origin}/latin1.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/latin1.json`, body: err('The list is not UTF-8 text.'), at: 42_000 });
  });

  test('UTF-8 text with non-ASCII characters is decoded', async () => {
    const text = JSON.stringify({ name: '中转站列表 — relays', version: '1', updated: '2026-11-20', entries: [] });
    handler = (_request, response) => response.writeHead(200).end(Buffer.from(text, 'utf8'));
    const outcome = await downloadList(`${origin}/zh.json`, {}, fetch, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/zh.json`, body: ok(text), at: 42_000 });
  });

  test('connection refused: an error saying the server could not be reached', async () => {
    const closedServer = createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, '127.0.0.1', resolve));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise((resolve) => closedServer.close(resolve));
    const outcome = await downloadList(`http://127.0.0.1:${port}/list.json`, {}, fetch, now);
    expect(outcome).toEqual({
      notModified: false,
      url: `http://127.0.0.1:${port}/list.json`,
      body: err('Could not download the list: the server could not be reached.'),
      at: 42_000,
    });
  });

  test('a timeout says how long it waited', async () => {
    // The 30 s timeout itself is not worth waiting for; the error classification is what is tested.
    const timingOut: typeof fetch = () => Promise.reject(new DOMException('The operation timed out.', 'TimeoutError'));
    const outcome = await downloadList(`${origin}/slow.json`, {}, timingOut, now);
    expect(outcome).toEqual({ notModified: false, url: `${origin}/slow.json`, body: err('Could not download the list: no answer within 30 s.'), at: 42_000 });
  });

  test('asks for no credentials and no cache, and the server receives none', async () => {
    handler = (_request, response) => response.writeHead(200).end(LIST_TEXT);
    let init: RequestInit | undefined;
    const recording: typeof fetch = (input, requestInit) => {
      init = requestInit;
      return fetch(input, requestInit);
    };
    const outcome = await downloadList(`${origin}/list.json`, {}, recording, now);
    expect(outcome.notModified === false && outcome.body.ok).toBe(true);
    expect(init?.credentials).toBe('omit');
    expect(init?.cache).toBe('no-cache');
    expect(init?.redirect).toBe('follow');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(init?.headers).toEqual({ accept: 'application/json' });
    expect(seen[0]!.headers.cookie).toBeUndefined();
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });
});
