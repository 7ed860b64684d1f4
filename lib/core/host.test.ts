import { describe, expect, it } from 'vitest';
import { normalizeHost, type HostErrorCode, type HostKind, type HostScope, type NormalizedHost } from './host.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';

function okHost(input: string): NormalizedHost {
  const result = normalizeHost(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to normalise, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function hostError(input: unknown) {
  const result = normalizeHost(input as string);
  if (result.ok) throw new Error(`expected ${JSON.stringify(String(input))} to fail, got host ${result.value.host}`);
  return result.error;
}

const label63 = 'a'.repeat(63);
/** Exactly 253 characters: the longest host DNS allows. */
const host253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const host254 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;

describe('normalizeHost: canonical ASCII host from hosts and URLs', () => {
  it.each([
    { input: 'example.com', host: 'example.com' },
    { input: 'Api.OpenAI.com', host: 'api.openai.com' },
    { input: 'API.OPENAI.COM', host: 'api.openai.com' },
    { input: 'Api.OpenAI.com.', host: 'api.openai.com' },
    { input: 'example.com.', host: 'example.com' },
    { input: '  example.com\t', host: 'example.com' },
    { input: 'example.com:8080', host: 'example.com' },
    { input: 'example.com:8080/v1/chat?x=1#frag', host: 'example.com' },
    { input: 'localhost:3000', host: 'localhost' },
    { input: 'example.com/path', host: 'example.com' },
    { input: 'example.com?q=1', host: 'example.com' },
    { input: 'example.com#frag', host: 'example.com' },
    { input: 'https://api.openai.com/v1/chat/completions', host: 'api.openai.com' },
    { input: 'https://api.openai.com:443/v1', host: 'api.openai.com' },
    { input: 'https://user:secret@api.openai.com:8443/v1?x=1#f', host: 'api.openai.com' },
    { input: 'https://user@Example.COM./', host: 'example.com' },
    { input: 'user@example.com', host: 'example.com' },
    { input: 'user@example.com:8080', host: 'example.com' },
    { input: 'HTTP://EXAMPLE.COM/', host: 'example.com' },
    { input: 'http://example.com./', host: 'example.com' },
    { input: 'wss://relay.example.com/socket', host: 'relay.example.com' },
    { input: 'ws://relay.example.com:9000', host: 'relay.example.com' },
    { input: 'ftp://files.example.com/a.txt', host: 'files.example.com' },
    { input: '//example.com/path', host: 'example.com' },
    { input: 'sub_domain.example.com', host: 'sub_domain.example.com' },
    { input: 'ex%41mple.com', host: 'example.com' },
    { input: 'ｅｘａｍｐｌｅ．ｃｏｍ', host: 'example.com' },
    { input: 'a.b.c.d.example.co.uk', host: 'a.b.c.d.example.co.uk' },
    { input: `${label63}.com`, host: `${label63}.com` },
    { input: host253, host: host253 },
    { input: `${host253}.`, host: host253 },
  ])('$input → $host', ({ input, host }) => {
    const value = okHost(input);
    expect(value.host).toBe(host);
    expect(value.kind).toBe('domain');
    expect(value.unicode).toBe(host);
    expect(value.display).toBe(host);
  });

  it('returns the complete record for a plain host', () => {
    expect(normalizeHost('https://User:pw@API.OpenAI.com.:443/v1?q#f')).toEqual({
      ok: true,
      value: {
        host: 'api.openai.com',
        kind: 'domain',
        scope: 'public',
        registrableDomain: 'openai.com',
        unicode: 'api.openai.com',
        display: 'api.openai.com',
      },
    });
  });
});

describe('normalizeHost: IDN', () => {
  it.each([
    { input: 'bücher.example', host: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { input: 'BÜCHER.example', host: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { input: 'https://bücher.example:8443/x', host: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { input: 'xn--bcher-kva.example', host: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { input: 'XN--BCHER-KVA.EXAMPLE', host: 'xn--bcher-kva.example', unicode: 'bücher.example' },
    { input: 'münchen.de', host: 'xn--mnchen-3ya.de', unicode: 'münchen.de' },
    { input: 'MÜNCHEN.DE.', host: 'xn--mnchen-3ya.de', unicode: 'münchen.de' },
    { input: '中文.com', host: 'xn--fiq228c.com', unicode: '中文.com' },
    { input: 'xn--fiq228c.com', host: 'xn--fiq228c.com', unicode: '中文.com' },
    { input: 'api.例え.jp', host: 'api.xn--r8jz45g.jp', unicode: 'api.例え.jp' },
    { input: 'www.xn--bcher-kva.example', host: 'www.xn--bcher-kva.example', unicode: 'www.bücher.example' },
    { input: 'faß.de', host: 'xn--fa-hia.de', unicode: 'faß.de' },
    { input: 'ΑΒΓ.gr', host: 'xn--mxacd.gr', unicode: 'αβγ.gr' },
    // A homograph of apple.com in Cyrillic: the display must show the ASCII form too.
    { input: 'аррӏе.com', host: 'xn--80ak6aa92e.com', unicode: 'аррӏе.com' },
  ])('$input → $host, shown as $unicode', ({ input, host, unicode }) => {
    const value = okHost(input);
    expect(value.host).toBe(host);
    expect(value.kind).toBe('domain');
    expect(value.unicode).toBe(unicode);
    expect(value.display).toBe(`${unicode} (${host})`);
  });

  it('keeps an xn-- label that is not valid Punycode in ASCII, and shows only the ASCII', () => {
    const value = okHost('xn--b.com');
    expect(value.host).toBe('xn--b.com');
    expect(value.unicode).toBe('xn--b.com');
    expect(value.display).toBe('xn--b.com');
  });

  it('computes the registrable domain on the ASCII form', () => {
    expect(okHost('shop.bücher.example').registrableDomain).toBe('xn--bcher-kva.example');
  });
});

describe('normalizeHost: IPv4', () => {
  it.each([
    { input: '8.8.8.8', host: '8.8.8.8', scope: 'public' },
    { input: '127.0.0.1', host: '127.0.0.1', scope: 'loopback' },
    { input: '127.0.0.1.', host: '127.0.0.1', scope: 'loopback' },
    { input: '0x7f.1', host: '127.0.0.1', scope: 'loopback' },
    { input: '0x7f.0.0.1', host: '127.0.0.1', scope: 'loopback' },
    { input: '127.1', host: '127.0.0.1', scope: 'loopback' },
    { input: '2130706433', host: '127.0.0.1', scope: 'loopback' },
    { input: '0x7f000001', host: '127.0.0.1', scope: 'loopback' },
    { input: '017700000001', host: '127.0.0.1', scope: 'loopback' },
    { input: '0300.0250.1.1', host: '192.168.1.1', scope: 'private' },
    { input: '1.2.3', host: '1.2.0.3', scope: 'public' },
    { input: 'http://0x7f.1:8080/v1', host: '127.0.0.1', scope: 'loopback' },
    { input: 'https://user@10.1.2.3/x', host: '10.1.2.3', scope: 'private' },
    { input: '192.168.1.1:8080', host: '192.168.1.1', scope: 'private' },
  ])('$input → $host ($scope)', ({ input, host, scope }) => {
    expect(normalizeHost(input)).toEqual({
      ok: true,
      value: { host, kind: 'ipv4', scope, registrableDomain: host, unicode: host, display: host },
    });
  });

  it.each<{ host: string; scope: HostScope }>([
    // 127.0.0.0/8
    { host: '126.255.255.255', scope: 'public' },
    { host: '127.0.0.0', scope: 'loopback' },
    { host: '127.255.255.254', scope: 'loopback' },
    { host: '128.0.0.1', scope: 'public' },
    // 10.0.0.0/8
    { host: '9.255.255.255', scope: 'public' },
    { host: '10.0.0.0', scope: 'private' },
    { host: '10.255.255.255', scope: 'private' },
    { host: '11.0.0.0', scope: 'public' },
    // 172.16.0.0/12
    { host: '172.15.255.255', scope: 'public' },
    { host: '172.16.0.0', scope: 'private' },
    { host: '172.20.1.1', scope: 'private' },
    { host: '172.31.255.255', scope: 'private' },
    { host: '172.32.0.0', scope: 'public' },
    // 192.168.0.0/16
    { host: '192.167.255.255', scope: 'public' },
    { host: '192.168.0.0', scope: 'private' },
    { host: '192.168.255.255', scope: 'private' },
    { host: '192.169.0.0', scope: 'public' },
    // 169.254.0.0/16 link-local
    { host: '169.253.255.255', scope: 'public' },
    { host: '169.254.0.1', scope: 'private' },
    { host: '169.254.169.254', scope: 'private' },
    { host: '169.255.0.0', scope: 'public' },
    // 100.64.0.0/10 carrier-grade NAT
    { host: '100.63.255.255', scope: 'public' },
    { host: '100.64.0.0', scope: 'private' },
    { host: '100.127.255.255', scope: 'private' },
    { host: '100.128.0.0', scope: 'public' },
    // 0.0.0.0/8
    { host: '0.0.0.0', scope: 'private' },
    { host: '1.1.1.1', scope: 'public' },
    { host: '255.255.255.255', scope: 'public' },
  ])('$host is $scope', ({ host, scope }) => {
    const value = okHost(host);
    expect(value.host).toBe(host);
    expect(value.kind).toBe('ipv4');
    expect(value.scope).toBe(scope);
  });
});

describe('normalizeHost: IPv6', () => {
  it.each<{ input: string; host: string; scope: HostScope }>([
    { input: '[::1]', host: '::1', scope: 'loopback' },
    { input: '::1', host: '::1', scope: 'loopback' },
    { input: '[0:0:0:0:0:0:0:1]', host: '::1', scope: 'loopback' },
    { input: 'http://[::1]:8080/v1', host: '::1', scope: 'loopback' },
    { input: '[::1]:8080', host: '::1', scope: 'loopback' },
    { input: '::', host: '::', scope: 'private' },
    { input: '2001:db8::1', host: '2001:db8::1', scope: 'public' },
    { input: '[2001:DB8::1]', host: '2001:db8::1', scope: 'public' },
    { input: 'https://[2606:4700:4700::1111]/', host: '2606:4700:4700::1111', scope: 'public' },
    // fc00::/7 unique local
    { input: 'fbff::1', host: 'fbff::1', scope: 'public' },
    { input: '[FC00::]', host: 'fc00::', scope: 'private' },
    { input: 'fc00::1', host: 'fc00::1', scope: 'private' },
    { input: 'fd12:3456::1', host: 'fd12:3456::1', scope: 'private' },
    { input: 'fdff:ffff::1', host: 'fdff:ffff::1', scope: 'private' },
    { input: 'fe00::1', host: 'fe00::1', scope: 'public' },
    // fe80::/10 link-local
    { input: 'fe7f::1', host: 'fe7f::1', scope: 'public' },
    { input: 'fe80::1', host: 'fe80::1', scope: 'private' },
    { input: 'FE80::1', host: 'fe80::1', scope: 'private' },
    { input: 'ws://[fe80::1]:9000', host: 'fe80::1', scope: 'private' },
    { input: 'febf::1', host: 'febf::1', scope: 'private' },
    { input: 'fec0::1', host: 'fec0::1', scope: 'public' },
    // IPv4-mapped: scope of the embedded IPv4 address, in whichever notation
    { input: '[::ffff:127.0.0.1]', host: '::ffff:7f00:1', scope: 'loopback' },
    { input: '::ffff:127.0.0.1', host: '::ffff:7f00:1', scope: 'loopback' },
    { input: '[::ffff:7f00:1]', host: '::ffff:7f00:1', scope: 'loopback' },
    { input: '::ffff:10.1.2.3', host: '::ffff:a01:203', scope: 'private' },
    { input: '[::ffff:192.168.1.1]', host: '::ffff:c0a8:101', scope: 'private' },
    { input: '[::ffff:172.16.0.1]', host: '::ffff:ac10:1', scope: 'private' },
    { input: '[::ffff:172.32.0.1]', host: '::ffff:ac20:1', scope: 'public' },
    { input: '[::ffff:8.8.8.8]', host: '::ffff:808:808', scope: 'public' },
  ])('$input → $host ($scope)', ({ input, host, scope }) => {
    expect(normalizeHost(input)).toEqual({
      ok: true,
      value: { host, kind: 'ipv6', scope, registrableDomain: host, unicode: host, display: host },
    });
  });
});

describe('normalizeHost: scope of names', () => {
  it.each<{ input: string; scope: HostScope }>([
    { input: 'localhost', scope: 'loopback' },
    { input: 'LOCALHOST.', scope: 'loopback' },
    { input: 'http://localhost:5173/', scope: 'loopback' },
    { input: 'app.localhost', scope: 'loopback' },
    { input: 'a.b.localhost', scope: 'loopback' },
    { input: 'local', scope: 'private' },
    { input: 'printer.local', scope: 'private' },
    { input: 'db.internal', scope: 'private' },
    { input: 'a.b.internal', scope: 'private' },
    { input: 'home.arpa', scope: 'private' },
    { input: 'nas.home.arpa', scope: 'private' },
    { input: 'router.lan', scope: 'private' },
    { input: 'wiki.intranet', scope: 'private' },
    { input: 'mail.corp', scope: 'private' },
    // Look-alikes of those suffixes are ordinary public names.
    { input: 'notlocalhost', scope: 'public' },
    { input: 'localhost.example.com', scope: 'public' },
    { input: 'local.example.com', scope: 'public' },
    { input: 'mylocal', scope: 'public' },
    { input: 'internal.example.com', scope: 'public' },
    { input: 'myhome.arpa', scope: 'public' },
    { input: 'api.openai.com', scope: 'public' },
  ])('$input is $scope', ({ input, scope }) => {
    const value = okHost(input);
    expect(value.kind).toBe('domain');
    expect(value.scope).toBe(scope);
  });
});

describe('normalizeHost: registrable domain', () => {
  it.each([
    { input: 'api.openai.com', registrable: 'openai.com' },
    { input: 'openai.com', registrable: 'openai.com' },
    { input: 'gateway.ai.cloudflare.com', registrable: 'cloudflare.com' },
    { input: 'www.bbc.co.uk', registrable: 'bbc.co.uk' },
    { input: 'bbc.co.uk', registrable: 'bbc.co.uk' },
    { input: 'a.b.example.com.au', registrable: 'example.com.au' },
    // Private suffixes (PSL private section): each customer is its own registrable domain.
    { input: 'foo.workers.dev', registrable: 'foo.workers.dev' },
    { input: 'a.foo.workers.dev', registrable: 'foo.workers.dev' },
    { input: 'user.github.io', registrable: 'user.github.io' },
    { input: 'my-app.vercel.app', registrable: 'my-app.vercel.app' },
    // No registrable domain: the host itself.
    { input: 'co.uk', registrable: 'co.uk' },
    { input: 'localhost', registrable: 'localhost' },
    { input: 'printer.local', registrable: 'printer.local' },
  ])('$input → $registrable', ({ input, registrable }) => {
    expect(okHost(input).registrableDomain).toBe(registrable);
  });
});

describe('normalizeHost: errors', () => {
  it.each<{ name: string; input: string; code: HostErrorCode }>([
    { name: 'empty string', input: '', code: 'empty' },
    { name: 'spaces', input: '   ', code: 'empty' },
    { name: 'tabs and newlines', input: '\t\n ', code: 'empty' },
    { name: 'empty label', input: 'a..b', code: 'invalid' },
    { name: 'leading dot', input: '.example.com', code: 'invalid' },
    { name: 'two trailing dots', input: 'example.com..', code: 'invalid' },
    { name: 'numeric name with two trailing dots', input: '127..', code: 'invalid' },
    { name: 'hex IPv4 with two trailing dots', input: '0x7f.1..', code: 'invalid' },
    { name: 'a single dot', input: '.', code: 'invalid' },
    { name: 'only dots', input: '...', code: 'invalid' },
    { name: 'leading hyphen', input: '-a.com', code: 'invalid' },
    { name: 'trailing hyphen', input: 'a-.com', code: 'invalid' },
    { name: 'label of 64', input: `${'a'.repeat(64)}.com`, code: 'invalid' },
    { name: 'host of 254', input: host254, code: 'invalid' },
    { name: 'input over 4096', input: `${'a'.repeat(5000)}.com`, code: 'invalid' },
    { name: 'space inside', input: 'foo bar.com', code: 'invalid' },
    { name: 'space inside a URL', input: 'http://exa mple.com/', code: 'invalid' },
    { name: 'forbidden character', input: 'exa<mple.com', code: 'invalid' },
    { name: 'scheme only', input: 'http://', code: 'invalid' },
    { name: 'https scheme only', input: 'https://', code: 'invalid' },
    { name: 'port only', input: 'http://:80', code: 'invalid' },
    { name: 'octet over 255', input: '256.1.1.1', code: 'invalid' },
    { name: 'five numeric parts', input: '1.2.3.4.5', code: 'invalid' },
    { name: 'numeric last label', input: 'example.1', code: 'invalid' },
    { name: 'unclosed bracket', input: 'http://[::1', code: 'invalid' },
    { name: 'port out of range', input: 'example.com:99999', code: 'invalid' },
    { name: 'javascript:', input: 'javascript:alert(1)', code: 'unsupported-scheme' },
    { name: 'JAVASCRIPT:', input: 'JAVASCRIPT:alert(1)', code: 'unsupported-scheme' },
    { name: 'data:', input: 'data:text/html,<b>hi</b>', code: 'unsupported-scheme' },
    { name: 'file:', input: 'file:///etc/passwd', code: 'unsupported-scheme' },
    { name: 'about:blank', input: 'about:blank', code: 'unsupported-scheme' },
    { name: 'chrome:', input: 'chrome://extensions', code: 'unsupported-scheme' },
    { name: 'chrome-extension:', input: 'chrome-extension://abcdef/popup.html', code: 'unsupported-scheme' },
    { name: 'mailto:', input: 'mailto:someone@example.com', code: 'unsupported-scheme' },
    { name: 'blob:', input: 'blob:https://example.com/0c2e', code: 'unsupported-scheme' },
    { name: 'view-source:', input: 'view-source:https://example.com', code: 'unsupported-scheme' },
  ])('$name → $code', ({ input, code }) => {
    const error = hostError(input);
    expect(error.code).toBe(code);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
  });

  it.each([
    { input: '', message: 'No host given.' },
    { input: 'a..b', message: 'The host has an empty label (“..”).' },
    { input: '.', message: 'The host is only dots.' },
    { input: '-a.com', message: 'The label “-a” has characters a host cannot have.' },
    { input: `${'x'.repeat(64)}.com`, message: `The label “${'x'.repeat(20)}…” is longer than 63 characters.` },
    { input: host254, message: 'The host is longer than 253 characters.' },
    { input: 'foo bar.com', message: '“foo bar.com” is not a valid host or URL.' },
    { input: 'javascript:alert(1)', message: 'javascript: URLs have no web host.' },
    { input: 'data:text/plain,hi', message: 'data: URLs have no web host.' },
    { input: 'about:blank', message: 'about: URLs have no web host.' },
    { input: 'file:///etc/passwd', message: 'file: URLs have no web host.' },
  ])('$input → “$message”', ({ input, message }) => {
    expect(hostError(input).message).toBe(message);
  });

  it('echoes the original, untrimmed input', () => {
    expect(hostError('  a..b ')).toEqual({ code: 'invalid', input: '  a..b ', message: 'The host has an empty label (“..”).' });
    expect(hostError(' ')).toEqual({ code: 'empty', input: ' ', message: 'No host given.' });
  });

  it('echoes only the first 64 characters of an over-long input', () => {
    const input = 'b'.repeat(5000);
    expect(hostError(input)).toEqual({ code: 'invalid', input: 'b'.repeat(64), message: 'Input is too long.' });
  });

  it.each([
    { name: 'null', value: null, input: 'null' },
    { name: 'undefined', value: undefined, input: 'undefined' },
    { name: 'a number', value: 42, input: '42' },
    { name: 'a boolean', value: true, input: 'true' },
    { name: 'an object', value: { host: 'example.com' }, input: '[object Object]' },
    { name: 'an array', value: ['example.com'], input: 'example.com' },
    { name: 'a URL object', value: new URL('https://example.com/'), input: 'https://example.com/' },
    { name: 'a symbol', value: Symbol('x'), input: 'Symbol(x)' },
    { name: 'an object without a prototype', value: Object.create(null) as unknown, input: 'object' },
    {
      name: 'an object whose toString throws',
      value: {
        toString() {
          throw new Error('boom');
        },
      },
      input: 'object',
    },
  ])('rejects $name (cast as any) as invalid without throwing', ({ value, input }) => {
    let result: ReturnType<typeof normalizeHost> | undefined;
    expect(() => {
      result = normalizeHost(value as unknown as string);
    }).not.toThrow();
    expect(result).toEqual({ ok: false, error: { code: 'invalid', input, message: 'Not a string.' } });
  });
});

describe('normalizeHost: never throws (seeded fuzz)', () => {
  const kinds: readonly HostKind[] = ['domain', 'ipv4', 'ipv6'];
  const scopes: readonly HostScope[] = ['public', 'loopback', 'private'];
  const codes: readonly HostErrorCode[] = ['empty', 'invalid', 'no-host', 'unsupported-scheme'];
  const pieces = [
    'a', 'z', 'Q', '0', '7', '9', '.', '..', '-', '_', ':', '::', '/', '//', '@', '[', ']', '%', '%41', '%zz',
    '?', '#', ' ', '\t', '\n', '\\', 'xn--', 'bcher-kva', 'ü', '中', 'é', 'ß', 'İ', 'Ａ', '。', '\u200b', '\u0000',
    'http://', 'https://', 'ws://', 'javascript:', 'data:', 'file:', 'about:', '0x', 'ff', 'fe80', 'ffff', '127',
    '255', '256', '4294967295', 'localhost', 'local', 'com', 'co.uk', 'workers.dev', '\ud800', '💩',
  ];

  function assertWellFormed(input: string): void {
    let result: ReturnType<typeof normalizeHost> | undefined;
    expect(() => {
      result = normalizeHost(input);
    }, JSON.stringify(input)).not.toThrow();
    if (!result) throw new Error('no result');
    expect(typeof result.ok, JSON.stringify(input)).toBe('boolean');
    if (result.ok) {
      const { host, kind, scope, registrableDomain, unicode, display } = result.value;
      expect(kinds, JSON.stringify(input)).toContain(kind);
      expect(scopes, JSON.stringify(input)).toContain(scope);
      expect(host.length, JSON.stringify(input)).toBeGreaterThan(0);
      expect(host, JSON.stringify(input)).toBe(host.toLowerCase());
      expect(host.endsWith('.'), JSON.stringify(input)).toBe(false);
      if (kind === 'domain') {
        expect(host, JSON.stringify(input)).toMatch(/^[a-z0-9_.-]+$/);
        expect(host.length, JSON.stringify(input)).toBeLessThanOrEqual(253);
      }
      expect(typeof registrableDomain).toBe('string');
      expect(host === registrableDomain || host.endsWith(`.${registrableDomain}`), JSON.stringify(input)).toBe(true);
      expect(display === host || display === `${unicode} (${host})`, JSON.stringify(input)).toBe(true);
      // The canonical host is a fixed point: normalising it again changes nothing.
      expect(normalizeHost(host), `${JSON.stringify(input)} → ${host}`).toEqual(result);
    } else {
      expect(codes, JSON.stringify(input)).toContain(result.error.code);
      expect(typeof result.error.input).toBe('string');
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  }

  it('returns a well-formed Result for 400 strings built from URL-ish pieces', () => {
    const random = seededRandom(0x5eed);
    for (let n = 0; n < 400; n++) {
      let input = '';
      const count = Math.floor(random() * 10);
      for (let i = 0; i < count; i++) input += pieces[Math.floor(random() * pieces.length)];
      assertWellFormed(input);
    }
  });

  it('returns a well-formed Result for 300 strings of random code points', () => {
    const random = seededRandom(20261126);
    for (let n = 0; n < 300; n++) {
      const codePoints: number[] = [];
      const count = Math.floor(random() * 24);
      for (let i = 0; i < count; i++) {
        const r = random();
        codePoints.push(r < 0.6 ? 0x20 + Math.floor(random() * 0x5f) : r < 0.9 ? Math.floor(random() * 0x3000) : Math.floor(random() * 0x110000));
      }
      // Lone surrogates included on purpose: String.fromCharCode keeps them.
      assertWellFormed(codePoints.map((c) => (c > 0xffff ? String.fromCodePoint(c) : String.fromCharCode(c))).join(''));
    }
  });
});
