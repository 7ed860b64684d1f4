import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fixture web: one node:http server on 127.0.0.1 that plays every host the tests visit.
 * Chromium's --host-resolver-rules send `*.test` and a few real hosts here (browser.ts); the
 * Host header picks the site, served as static files from the directory `sites` names for that
 * host (sites.ts), else from `tests/e2e/fixtures/<host>/`. A test can also register a JSON answer
 * for one URL (a subscribed list, an API response), which answers cross-origin callers too
 * (CORS, preflight included). Unknown hosts get 404. Nothing here ever reaches the internet.
 *
 * A site directory may hold a `_site.json` (SiteManifest below) to play a server's own behaviour:
 * its API routes' JSON answers, headers on every response (a gateway's request id, generated per
 * response as the gateway does), redirects, and a single-page app's index.html for any other
 * path. Files whose names start with `_` are never served.
 */

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const HOST_NAME = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;
const MAX_LOGGED_REQUESTS = 1_000;
const MAX_STATIC_FILE_BYTES = 5 * 1024 * 1024;

interface RecordedRequest {
  readonly method: string;
  /** Host header without port, lower case. */
  readonly host: string;
  /** Path and query as sent. */
  readonly path: string;
  readonly status: number;
  /** Names of the request headers (lower case; never their values). */
  readonly headerNames: readonly string[];
}

export interface FixtureServerOptions {
  /** Where `<host>/` directories live for hosts `sites` does not name; tests/e2e/fixtures/ unless told. */
  readonly fixturesDir?: string;
  /** Host → directory to serve it from, whatever its name (sites.ts). */
  readonly sites?: Readonly<Record<string, string>>;
}

interface JsonRouteOptions {
  /** HTTP status to answer with; 200 unless told. */
  readonly status?: number;
}

export interface FixtureServer {
  /** The ephemeral port on 127.0.0.1 the resolver rules must map hosts to. */
  readonly port: number;
  /** The last requests seen (at most 1,000), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Connections that did not speak HTTP/1 — almost always Chromium trying TLS because it
   * upgraded an http:// URL to https:// (HSTS preload). Useful when a navigation fails.
   */
  readonly nonHttpConnections: number;
  /** Answers `url` (exact host and path; the query is ignored) with `body` as JSON, any method. */
  json(url: string, body: unknown, options?: JsonRouteOptions): void;
  /** The requests recorded for one URL (host and path, query ignored). */
  requestsFor(url: string): RecordedRequest[];
  /** Forgets JSON routes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

interface JsonRoute {
  readonly status: number;
  readonly body: string;
}

/** Header values in a manifest may name a generator instead of a literal: `{{…}}`. */
type HeaderValues = Readonly<Record<string, string>>;

/** A site's `_site.json`: how its server answers besides its static files. */
interface SiteManifest {
  /** Sent with every response of the site (documents, scripts, API answers). */
  readonly headers?: HeaderValues;
  /** Exact paths (query ignored): a JSON answer (any method), or a redirect. */
  readonly routes?: Readonly<Record<string, { readonly json?: unknown; readonly status?: number; readonly redirect?: string; readonly headers?: HeaderValues }>>;
  /** Served for a GET of a path that is no file and no route (a single-page app's history routes). */
  readonly fallback?: string;
}

/**
 * The request id the one-api family's middleware stamps on each response: the time as
 * YYYYMMDDhhmmss, the nanoseconds within the second unpadded, then 8 random characters (digits
 * in one-api, letters and digits in new-api and its relatives). docs/relay-signals.md §6.
 */
function gatewayRequestId(tail: 'digits' | 'alphanumeric'): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const nanos = String((now.getMilliseconds() * 1_000_000 + Math.floor(Math.random() * 1_000_000)) % 1_000_000_000);
  const alphabet = tail === 'digits' ? '0123456789' : '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let random = '';
  for (let index = 0; index < 8; index++) random += alphabet[Math.floor(Math.random() * alphabet.length)];
  return stamp + nanos + random;
}

const HEADER_GENERATORS: Readonly<Record<string, () => string>> = {
  '{{one-api-request-id}}': () => gatewayRequestId('digits'),
  '{{new-api-request-id}}': () => gatewayRequestId('alphanumeric'),
};

function headerValues(values: HeaderValues | undefined): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) resolved[name] = HEADER_GENERATORS[value]?.() ?? value;
  return resolved;
}

function routeKey(host: string, path: string): string {
  return `${host.toLowerCase()}${path}`;
}

function keyOfUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:') throw new Error(`Fixture routes are plain http only: ${url}`);
  if (parsed.port !== '') throw new Error(`Fixture URLs carry no port (the resolver rules add it): ${url}`);
  return routeKey(parsed.hostname, parsed.pathname);
}

function hostOf(request: IncomingMessage): string {
  const header = request.headers.host ?? '';
  // `api.example.test.` (the DNS root's dot) is the same host, as web servers take it.
  return header.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
}

/**
 * Preflight answer. The Fetch spec leaves `Authorization` out of `Access-Control-Allow-Headers: *`,
 * and every OpenAI-compatible SDK sends it, so it is named too. (Chromium 156 still lets it
 * through the wildcard, only reporting a deprecation issue; the SDK tests pass either way.)
 */
const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': '*, authorization',
  'access-control-max-age': '60',
} as const;

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const fixturesDir = options.fixturesDir ?? FIXTURES_DIR;
  const sites = new Map(Object.entries(options.sites ?? {}).map(([host, dir]) => [host.toLowerCase(), dir]));
  const routes = new Map<string, JsonRoute>();
  const manifests = new Map<string, Promise<SiteManifest>>();

  function siteDirOf(host: string): string {
    return normalize(sites.get(host) ?? join(fixturesDir, host)).replace(/(?<![\\/])[\\/]+$/, '');
  }

  /** The site's `_site.json`, read once; none (or an unreadable one) is an empty manifest. */
  function manifestOf(host: string): Promise<SiteManifest> {
    if (!HOST_NAME.test(host)) return Promise.resolve({});
    let manifest = manifests.get(host);
    if (!manifest) {
      manifest = readFile(join(siteDirOf(host), '_site.json'), 'utf8').then(
        (text) => JSON.parse(text) as SiteManifest,
        () => ({}),
      );
      manifests.set(host, manifest);
    }
    return manifest;
  }
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let nonHttpConnections = 0;

  function recordRequest(entry: RecordedRequest): void {
    requests.push(entry);
    if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
  }

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    body: string | Buffer,
    contentType: string,
    extraHeaders: Record<string, string> = {},
  ): void {
    const isJson = contentType.startsWith('application/json');
    response.writeHead(status, {
      ...extraHeaders,
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      // The extension's service worker fetches lists with no host permission: CORS must allow it.
      ...(isJson && { 'access-control-allow-origin': '*' }),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function serveStatic(host: string, pathname: string): Promise<{ status: number; body: string | Buffer; type: string }> {
    const notFound = { status: 404, body: `404: ${host}${pathname} is not a fixture.\n`, type: CONTENT_TYPES['.txt']! };
    if (!HOST_NAME.test(host)) return notFound;
    const siteDir = siteDirOf(host);
    let relative: string;
    try {
      relative = normalize(decodeURIComponent(pathname));
    } catch {
      return notFound;
    }
    let file = join(siteDir, relative);
    if (file !== siteDir && !file.startsWith(siteDir + sep)) return notFound;
    if (relative.split(sep).some((part) => part.startsWith('_'))) return notFound;
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile() || info.size > MAX_STATIC_FILE_BYTES) return notFound;
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      return { status: 200, body: await readFile(file), type };
    } catch {
      return notFound;
    }
  }

  const server = createServer(async (request, response) => {
    request.resume(); // bodies are never needed; drain them so the connection can be reused
    const host = hostOf(request);
    const path = request.url ?? '/';
    const pathname = path.split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const headerNames = Object.keys(request.headers);
    const record = (status: number) => recordRequest({ method, host, path, status, headerNames });
    try {
      if (method === 'OPTIONS') {
        response.writeHead(204, PREFLIGHT_HEADERS);
        response.end();
        record(204);
        return;
      }
      const route = routes.get(routeKey(host, pathname));
      if (route) {
        send(request, response, route.status, route.body, CONTENT_TYPES['.json']!);
        record(route.status);
        return;
      }
      const manifest = await manifestOf(host);
      const siteHeaders = headerValues(manifest.headers);
      const siteRoute = manifest.routes?.[pathname];
      if (siteRoute?.redirect !== undefined) {
        response.writeHead(siteRoute.status ?? 302, { ...siteHeaders, ...headerValues(siteRoute.headers), location: siteRoute.redirect, 'content-length': 0, 'cache-control': 'no-store' });
        response.end();
        record(siteRoute.status ?? 302);
        return;
      }
      if (siteRoute) {
        send(request, response, siteRoute.status ?? 200, JSON.stringify(siteRoute.json ?? null), CONTENT_TYPES['.json']!, { ...siteHeaders, ...headerValues(siteRoute.headers) });
        record(siteRoute.status ?? 200);
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        send(request, response, 405, 'Static fixtures answer GET and HEAD only.\n', CONTENT_TYPES['.txt']!, siteHeaders);
        record(405);
        return;
      }
      let { status, body, type } = await serveStatic(host, pathname);
      if (status === 404 && manifest.fallback !== undefined) ({ status, body, type } = await serveStatic(host, manifest.fallback));
      send(request, response, status, body, type, siteHeaders);
      record(status);
    } catch (error) {
      if (!response.headersSent) send(request, response, 500, `500: ${String(error)}\n`, CONTENT_TYPES['.txt']!);
      else response.destroy();
      record(500);
    }
  });

  // Bounded: no request may hold a socket for long, and close() ends keep-alive connections.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 2_000;
  server.maxHeadersCount = 100;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    nonHttpConnections += 1;
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    port,
    get requests() {
      return requests;
    },
    get nonHttpConnections() {
      return nonHttpConnections;
    },
    json(url, body, options = {}) {
      routes.set(keyOfUrl(url), { status: options.status ?? 200, body: JSON.stringify(body) });
    },
    requestsFor(url) {
      const key = keyOfUrl(url);
      return requests.filter((entry) => routeKey(entry.host, entry.path.split('?')[0] ?? '/') === key);
    },
    reset() {
      routes.clear();
      requests.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
