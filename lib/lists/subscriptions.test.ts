import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DOWNLOAD_LIMITS, downloadList, downloadSignature, type DownloadLimits } from './subscriptions.ts';

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
const LIST_BYTES = new TextEncoder().encode(LIST_TEXT);
const ETAG = '"list-v1"';
const LAST_MODIFIED = 'Fri, 20 Nov 2026 08:00:00 GMT';
/** A small size cap so the size paths run in milliseconds; each timeout test shortens its own clock. */
const SMALL: DownloadLimits = { maxBytes: 1024 * 1024, answerMs: 30_000, stallMs: 30_000, totalMs: 60_000 };

describe('downloadList', () => {
  test('the real limits: 192 MB, 30 s for an answer and between chunks, 5 min in all', () => {
    expect(DOWNLOAD_LIMITS).toEqual({ maxBytes: 192 * 1024 * 1024, answerMs: 30_000, stallMs: 30_000, totalMs: 300_000 });
  });

  test('200: the body as bytes with ETag and Last-Modified, no conditional headers the first time', async () => {
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json', etag: ETAG, 'last-modified': LAST_MODIFIED }).end(LIST_TEXT);
    const outcome = await downloadList(`${origin}/list.json`, {});
    expect(outcome).toEqual({ kind: 'downloaded', bytes: LIST_BYTES, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/list.json');
    expect(seen[0]!.headers.accept).toBe('application/json');
    expect(seen[0]!.headers['if-none-match']).toBeUndefined();
    expect(seen[0]!.headers['if-modified-since']).toBeUndefined();
  });

  test('200 without validators: no etag or lastModified keys at all', async () => {
    handler = (_request, response) => response.writeHead(200).end(LIST_TEXT);
    expect(await downloadList(`${origin}/list.json`, {})).toEqual({ kind: 'downloaded', bytes: LIST_BYTES });
  });

  test('the next call sends If-None-Match and If-Modified-Since; 304 means not modified', async () => {
    handler = (request, response) => {
      if (request.headers['if-none-match'] === ETAG) response.writeHead(304, { etag: ETAG }).end();
      else response.writeHead(200, { etag: ETAG, 'last-modified': LAST_MODIFIED }).end(LIST_TEXT);
    };
    const first = await downloadList(`${origin}/list.json`, {});
    expect(first.kind).toBe('downloaded');
    const second = await downloadList(`${origin}/list.json`, { etag: ETAG, lastModified: LAST_MODIFIED });
    expect(second).toEqual({ kind: 'not-modified' });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.headers['if-none-match']).toBe(ETAG);
    expect(seen[1]!.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  test('follows a redirect', async () => {
    handler = (request, response) => {
      if (request.url === '/old.json') response.writeHead(301, { location: '/new.json' }).end();
      else response.writeHead(200).end(LIST_TEXT);
    };
    expect(await downloadList(`${origin}/old.json`, {})).toEqual({ kind: 'downloaded', bytes: LIST_BYTES });
    expect(seen.map((request) => request.url)).toEqual(['/old.json', '/new.json']);
  });

  for (const status of [404, 500]) {
    test(`${status}: a problem naming the status`, async () => {
      handler = (_request, response) => response.writeHead(status).end('{"name":"not a list"}');
      expect(await downloadList(`${origin}/list.json`, {})).toEqual({
        kind: 'failed',
        problem: { code: 'http-status', message: `Could not download the list: the server answered ${status}.`, detail: String(status) },
      });
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
    expect(await downloadList(`${origin}/huge.json`, {}, fetch, SMALL)).toEqual({
      kind: 'failed',
      problem: { code: 'too-large', message: 'The list is larger than 1 MB.', detail: '1 MB' },
    });
    // Without cancelling the body the socket would stay open until a timer aborted it, past this test's own limit.
    await connectionClosed;
  });

  test('a body streamed past the limit without Content-Length is cut off', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length declared
      response.on('close', closed);
      const pump = () => {
        while (!response.destroyed && sent < 16 * SMALL.maxBytes) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      pump();
    };
    const outcome = await downloadList(`${origin}/endless.json`, {}, fetch, SMALL);
    expect(outcome).toEqual({ kind: 'failed', problem: { code: 'too-large', message: 'The list is larger than 1 MB.', detail: '1 MB' } });
    // The reader was cancelled: the connection closes and the server stops long before 16× the limit.
    await connectionClosed;
    expect(sent).toBeGreaterThan(SMALL.maxBytes);
    expect(sent).toBeLessThan(8 * SMALL.maxBytes);
  });

  test('a body of exactly the limit is accepted', async () => {
    const body = Buffer.alloc(SMALL.maxBytes, 'a');
    handler = (_request, response) => response.writeHead(200).end(body);
    const outcome = await downloadList(`${origin}/full.json`, {}, fetch, SMALL);
    expect(outcome.kind === 'downloaded' && outcome.bytes.byteLength).toBe(SMALL.maxBytes);
  });

  test('connection refused: the server could not be reached', async () => {
    const closedServer = createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, '127.0.0.1', resolve));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise((resolve) => closedServer.close(resolve));
    const outcome = await downloadList(`http://127.0.0.1:${port}/list.json`, {});
    expect(outcome).toMatchObject({ kind: 'failed', problem: { code: 'unreachable', message: 'Could not download the list: the server could not be reached.' } });
  });

  test('a server that never answers: a timeout problem, not an exception', async () => {
    handler = () => undefined; // accepts the request, never answers
    const outcome = await downloadList(`${origin}/silent.json`, {}, fetch, { ...SMALL, answerMs: 400 });
    expect(outcome).toEqual({ kind: 'failed', problem: { code: 'timeout', message: 'Could not download the list: no answer within 0.4 s.' } });
  });

  test('a server that stops in the middle of the body: a timeout problem, not an exception', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_request, response) => {
      response.on('close', closed);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"name": "Relays", "entries": ['); // and then silence
    };
    const outcome = await downloadList(`${origin}/stalled.json`, {}, fetch, { ...SMALL, stallMs: 400 });
    expect(outcome).toEqual({ kind: 'failed', problem: { code: 'timeout', message: 'Could not download the list: the server stopped sending for 0.4 s.' } });
    await connectionClosed;
  });

  test('a server that trickles forever: the total clock ends it', async () => {
    let timer: NodeJS.Timeout | undefined;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
    };
    const outcome = await downloadList(`${origin}/trickle.json`, {}, fetch, { ...SMALL, totalMs: 600 });
    clearInterval(timer);
    expect(outcome).toEqual({ kind: 'failed', problem: { code: 'timeout', message: 'Could not download the list: the download took longer than 0.6 s.' } });
  });

  test('asks for no credentials and no cache, and the server receives none', async () => {
    handler = (_request, response) => response.writeHead(200).end(LIST_TEXT);
    let init: RequestInit | undefined;
    const recording: typeof fetch = (input, requestInit) => {
      init = requestInit;
      return fetch(input, requestInit);
    };
    const outcome = await downloadList(`${origin}/list.json`, {}, recording);
    expect(outcome.kind).toBe('downloaded');
    expect(init?.credentials).toBe('omit');
    expect(init?.cache).toBe('no-cache');
    expect(init?.redirect).toBe('follow');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(init?.headers).toEqual({ accept: 'application/json' });
    expect(seen[0]!.headers.cookie).toBeUndefined();
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });
});

describe('downloadSignature', () => {
  test('fetches U.minisig as text', async () => {
    handler = (_request, response) => response.writeHead(200).end('untrusted comment: x\n');
    expect(await downloadSignature(`${origin}/list.json`)).toEqual({ kind: 'found', text: 'untrusted comment: x\n' });
    expect(seen[0]!.url).toBe('/list.json.minisig');
  });

  test('404 is a missing signature, not a failed download', async () => {
    handler = (_request, response) => response.writeHead(404).end();
    expect(await downloadSignature(`${origin}/list.json`)).toEqual({ kind: 'missing' });
  });

  test('500 is a failed download of the signature', async () => {
    expect(await downloadSignature(`${origin}/list.json`)).toEqual({
      kind: 'failed',
      problem: { code: 'http-status', message: 'Could not download the signature: the server answered 500.', detail: '500' },
    });
  });

  test('reads at most 16 KB: a signature file is four short lines', async () => {
    handler = (_request, response) => response.writeHead(200).end(Buffer.alloc(64 * 1024, 'a'));
    expect(await downloadSignature(`${origin}/list.json`)).toEqual({ kind: 'failed', problem: { code: 'too-large', message: 'The signature is larger than 16 KB.', detail: '16 KB' } });
  });
});
