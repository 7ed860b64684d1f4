// @vitest-environment happy-dom
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fetchSameOriginJson, probeStatus } from './probe-status.ts';

const ONE_API_STATUS = { success: true, message: '', data: { system_name: '星河API', version: 'v0.6.6', quota_per_unit: 500000 } };
const SUB2API_SETTINGS = { code: 0, message: 'success', data: { site_name: 'Sub2API', api_base_url: 'https://relay.example/v1' } };

describe('probeStatus', () => {
  let send: ReturnType<typeof vi.fn<(message: unknown) => Promise<unknown>>>;

  beforeEach(() => {
    send = vi.fn(async (_message: unknown) => ({ ok: true, data: { accepted: 1 } }));
  });

  /** A same-origin fetch over fixed answers, recording the paths asked for. */
  function answers(byPath: Record<string, unknown>) {
    const asked: string[] = [];
    const fetchJson = async (path: string) => {
      asked.push(path);
      return byPath[path] ?? null;
    };
    return { asked, fetchJson };
  }

  test('the one-api family’s status answers first: one message, and the second path is never asked', async () => {
    const { asked, fetchJson } = answers({ '/api/status': ONE_API_STATUS, '/api/v1/settings/public': SUB2API_SETTINGS });
    await probeStatus({ send, fetchJson });
    expect(asked).toEqual(['/api/status']);
    expect(send.mock.calls).toEqual([[{ type: 'page/probe-signals', signals: [{ id: 'gateway-status-endpoint', detail: '/api/status' }] }]]);
  });

  test('the paths are tried in order until one answers like a gateway', async () => {
    const { asked, fetchJson } = answers({ '/api/status': { status: 'ok' }, '/api/v1/settings/public': SUB2API_SETTINGS });
    await probeStatus({ send, fetchJson });
    expect(asked).toEqual(['/api/status', '/api/v1/settings/public']);
    expect(send.mock.calls).toEqual([
      [{ type: 'page/probe-signals', signals: [{ id: 'gateway-status-endpoint', detail: '/api/v1/settings/public', family: 'sub2api' }] }],
    ]);
  });

  test('nothing is sent when no path answers like a gateway', async () => {
    const { asked, fetchJson } = answers({ '/api/status': '<!doctype html><title>One API</title>', '/api/v1/settings/public': { code: 0, message: 'success', data: {} } });
    await probeStatus({ send, fetchJson });
    expect(asked).toEqual(['/api/status', '/api/v1/settings/public', '/admin/oem-settings']);
    expect(send).not.toHaveBeenCalled();
  });

  test('the family the background names has its status route asked first: one GET for a sub2api page', async () => {
    const { asked, fetchJson } = answers({ '/api/v1/settings/public': { code: 0, message: 'success', data: { site_name: 'X', api_base_url: '' } } });
    await probeStatus({ send, fetchJson, family: 'sub2api' });
    expect(asked).toEqual(['/api/v1/settings/public']);
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('what the site answered (its chosen name, its version) never leaves the page', async () => {
    await probeStatus({ send, fetchJson: answers({ '/api/status': ONE_API_STATUS }).fetchJson });
    const sent = JSON.stringify(send.mock.calls);
    expect(sent).not.toContain('星河');
    expect(sent).not.toContain('v0.6.6');
  });

  test('a background that cannot be reached is no error', async () => {
    send.mockRejectedValue(new Error('Receiving end does not exist.'));
    await expect(probeStatus({ send, fetchJson: answers({ '/api/status': ONE_API_STATUS }).fetchJson })).resolves.toBeUndefined();
  });
});

describe('fetchSameOriginJson', () => {
  // A real server on loopback, and the test page at its origin: the probe is a real fetch.
  let server: Server;
  let requests: { url: string; headers: IncomingHttpHeaders }[];
  const endlessClosed = Promise.withResolvers<void>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push({ url: request.url ?? '', headers: request.headers });
      switch (request.url) {
        case '/api/status':
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(ONE_API_STATUS));
          return;
        case '/not-json':
          response.setHeader('content-type', 'text/html');
          response.end('<!doctype html><title>One API</title>');
          return;
        case '/missing':
          response.statusCode = 404;
          response.end('{"success":false}');
          return;
        case '/moved':
          response.writeHead(302, { location: '/api/status' });
          response.end();
          return;
        case '/large':
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ success: true, data: { system_name: 'x', quota_per_unit: 1, pad: 'p'.repeat(70 * 1024) } }));
          return;
        case '/large-unannounced':
          // Chunked: no content-length to refuse it by, so the text's length must.
          response.setHeader('content-type', 'application/json');
          response.write('{"pad":"');
          response.write('p'.repeat(70 * 1024));
          response.end('"}');
          return;
        case '/endless': {
          // Never ends by itself: only a reader that stops and cancels gets an answer.
          response.setHeader('content-type', 'application/json');
          response.write('{"pad":"');
          const chunk = 'p'.repeat(1024);
          const more = () => {
            if (response.destroyed || response.writableEnded) return;
            if (response.write(chunk)) setImmediate(more);
            else response.once('drain', more);
          };
          response.on('close', () => endlessClosed.resolve());
          more();
          return;
        }
        default:
          response.statusCode = 404;
          response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`http://127.0.0.1:${port}/console`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests = [];
  });

  test('a same-origin JSON answer is parsed', async () => {
    expect(await fetchSameOriginJson('/api/status')).toEqual(ONE_API_STATUS);
    expect(requests.map(({ url, headers }) => [url, headers.accept])).toEqual([['/api/status', 'application/json']]);
  });

  test('no cookies go with it: the probe reads what the site shows anyone', async () => {
    document.cookie = 'session=signed-in';
    try {
      await fetchSameOriginJson('/api/status');
      expect(requests[0]!.headers.cookie).toBeUndefined();
    } finally {
      document.cookie = 'session=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    }
  });

  test.each([
    ['a page that is not JSON', '/not-json'],
    ['a redirect (it could lead anywhere)', '/moved'],
    ['an answer over 64 KB', '/large'],
    ['an answer over 64 KB without a length announced', '/large-unannounced'],
  ])('%s gives null', async (_, path) => {
    expect(await fetchSameOriginJson(path)).toBeNull();
  });

  test('an answer that never ends gives null, and the probe stops reading it', async () => {
    expect(await fetchSameOriginJson('/endless')).toBeNull();
    await endlessClosed.promise;
  });

  test('an error status gives null, whatever its body says', async () => {
    // happy-dom prints "GET …/missing 404 (Not Found)" for this, as a browser's devtools would.
    expect(await fetchSameOriginJson('/missing')).toBeNull();
  });
});
