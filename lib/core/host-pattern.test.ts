import { describe, expect, it } from 'vitest';
import { parseHostPattern, patternSpecificity, type HostPattern } from './host-pattern.ts';

function pattern(input: string): HostPattern {
  const result = parseHostPattern(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.error}`);
  return result.value;
}

function rejection(input: unknown): string {
  const result = parseHostPattern(input as string);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${result.value.text}`);
  return result.error;
}

describe('parseHostPattern: host and subdomains vs that host only', () => {
  it.each<{ input: string; expected: HostPattern }>([
    { input: 'example.com', expected: { host: 'example.com', exactHostOnly: false, text: 'example.com', specificity: 4 } },
    { input: '.example.com', expected: { host: 'example.com', exactHostOnly: true, text: '.example.com', specificity: 5 } },
    { input: 'api.example.com', expected: { host: 'api.example.com', exactHostOnly: false, text: 'api.example.com', specificity: 6 } },
    { input: '.api.example.com', expected: { host: 'api.example.com', exactHostOnly: true, text: '.api.example.com', specificity: 7 } },
    { input: 'foo.workers.dev', expected: { host: 'foo.workers.dev', exactHostOnly: false, text: 'foo.workers.dev', specificity: 6 } },
    { input: 'localhost', expected: { host: 'localhost', exactHostOnly: false, text: 'localhost', specificity: 2 } },
    { input: '.localhost', expected: { host: 'localhost', exactHostOnly: true, text: '.localhost', specificity: 3 } },
  ])('$input', ({ input, expected }) => {
    expect(parseHostPattern(input)).toEqual({ ok: true, value: expected });
  });
});

describe('parseHostPattern: normalisation', () => {
  it.each([
    { input: 'Example.COM', text: 'example.com' },
    { input: 'example.com.', text: 'example.com' },
    { input: 'Example.COM.', text: 'example.com' },
    { input: '.Example.COM.', text: '.example.com' },
    { input: '  example.com  ', text: 'example.com' },
    { input: '\t.example.com\n', text: '.example.com' },
    { input: 'ｅｘａｍｐｌｅ.com', text: 'example.com' },
    { input: 'bücher.example', text: 'xn--bcher-kva.example' },
    { input: 'BÜCHER.example', text: 'xn--bcher-kva.example' },
    { input: '.bücher.example', text: '.xn--bcher-kva.example' },
    { input: 'xn--bcher-kva.example', text: 'xn--bcher-kva.example' },
    { input: 'XN--BCHER-KVA.example', text: 'xn--bcher-kva.example' },
    { input: '中文.com', text: 'xn--fiq228c.com' },
  ])('$input → $text', ({ input, text }) => {
    expect(pattern(input).text).toBe(text);
  });

  it.each(['example.com', '.example.com', 'Api.Example.COM.', '.bücher.example', '1.2.3.4', '[::1]', '0x7f.1', 'localhost'])(
    'canonical text of %s parses back to itself',
    (input) => {
      const first = pattern(input);
      expect(pattern(first.text)).toEqual(first);
    },
  );
});

describe('parseHostPattern: IP addresses are always exact', () => {
  it.each([
    { input: '1.2.3.4', host: '1.2.3.4' },
    { input: '.1.2.3.4', host: '1.2.3.4' },
    { input: '0x7f.1', host: '127.0.0.1' },
    { input: '2130706433', host: '127.0.0.1' },
    { input: '192.168.001.001', host: '192.168.1.1' },
    { input: '::1', host: '::1' },
    { input: '[::1]', host: '::1' },
    { input: '.[::1]', host: '::1' },
    { input: '[2001:DB8::1]', host: '2001:db8::1' },
    { input: '2001:db8::80', host: '2001:db8::80' },
    { input: '::ffff:1.2.3.4', host: '::ffff:102:304' },
  ])('$input → $host', ({ input, host }) => {
    const value = pattern(input);
    expect(value.host).toBe(host);
    expect(value.exactHostOnly).toBe(true);
    // No leading dot for IPs: the address already names exactly one host.
    expect(value.text).toBe(host);
    expect(value.specificity).toBe(patternSpecificity(host, true));
  });
});

describe('parseHostPattern: rejections name the pattern', () => {
  it.each([
    { input: '*.example.com', because: 'wildcards are not supported' },
    { input: '*example.com', because: 'wildcards are not supported' },
    { input: 'example.*', because: 'wildcards are not supported' },
    { input: '*', because: 'wildcards are not supported' },
    { input: 'https://example.com', because: 'without scheme, path or spaces' },
    { input: 'HTTP://example.com', because: 'without scheme, path or spaces' },
    { input: 'wss://example.com', because: 'without scheme, path or spaces' },
    { input: 'ftp://example.com', because: 'without scheme, path or spaces' },
    { input: 'example.com/', because: 'without scheme, path or spaces' },
    { input: 'example.com/v1/chat', because: 'without scheme, path or spaces' },
    { input: 'example.com?q=1', because: 'without scheme, path or spaces' },
    { input: 'example.com#frag', because: 'without scheme, path or spaces' },
    { input: 'user@example.com', because: 'without scheme, path or spaces' },
    { input: 'exa mple.com', because: 'without scheme, path or spaces' },
    { input: 'example.com\tapi.example.com', because: 'without scheme, path or spaces' },
    { input: 'example.com:443', because: 'a pattern has no port' },
    { input: '.example.com:443', because: 'a pattern has no port' },
    { input: 'example.com:', because: 'a pattern has no port' },
    { input: 'localhost:3000', because: 'a pattern has no port' },
    { input: '1.2.3.4:80', because: 'a pattern has no port' },
    { input: '1.2.3.4:', because: 'a pattern has no port' },
    { input: '0x7f.1:80', because: 'a pattern has no port' },
    { input: '[::1]:443', because: 'a pattern has no port' },
    { input: 'com', because: 'a single label would match a whole top-level domain' },
    { input: '.com', because: 'a single label would match a whole top-level domain' },
    { input: 'COM.', because: 'a single label would match a whole top-level domain' },
    { input: 'intranet', because: 'a single label would match a whole top-level domain' },
    { input: 'a..b', because: 'empty label' },
    { input: '..example.com', because: 'empty label' },
    { input: 'example.com..', because: 'empty label' },
    { input: '-a.com', because: 'characters a host cannot have' },
    { input: `${'a'.repeat(64)}.com`, because: 'longer than 63 characters' },
    { input: 'javascript:alert(1)', because: 'without scheme, path or spaces' },
    { input: 'data:,hello', because: 'without scheme, path or spaces' },
  ])('$input: $because', ({ input, because }) => {
    const message = rejection(input);
    expect(message.startsWith(`“${input.trim()}”: `)).toBe(true);
    expect(message).toContain(because);
  });

  it('gives the exact wildcard message', () => {
    expect(rejection(' *.example.com ')).toBe(
      '“*.example.com”: wildcards are not supported; “example.com” already matches every subdomain, “.example.com” only that host.',
    );
  });

  it.each([
    { input: '', message: 'The pattern is empty.' },
    { input: '   ', message: 'The pattern is empty.' },
    { input: null, message: 'A pattern must be text.' },
    { input: 42, message: 'A pattern must be text.' },
    { input: ['example.com'], message: 'A pattern must be text.' },
  ])('$input → $message', ({ input, message }) => {
    expect(rejection(input)).toBe(message);
  });
});

describe('patternSpecificity', () => {
  it.each([
    { host: 'localhost', exact: false, specificity: 2 },
    { host: 'localhost', exact: true, specificity: 3 },
    { host: 'example.com', exact: false, specificity: 4 },
    { host: 'example.com', exact: true, specificity: 5 },
    { host: 'api.example.com', exact: false, specificity: 6 },
    { host: 'api.example.com', exact: true, specificity: 7 },
    { host: 'a.b.c.d.e', exact: false, specificity: 10 },
    { host: '1.2.3.4', exact: true, specificity: 9 },
  ])('$host (exact: $exact) → $specificity', ({ host, exact, specificity }) => {
    expect(patternSpecificity(host, exact)).toBe(specificity);
  });

  it('orders .api.example.com > api.example.com > .example.com > example.com', () => {
    const ordered = ['.api.example.com', 'api.example.com', '.example.com', 'example.com'].map((text) => pattern(text).specificity);
    expect(ordered).toEqual([7, 6, 5, 4]);
    const shuffled = ['example.com', '.api.example.com', '.example.com', 'api.example.com'].map(pattern);
    shuffled.sort((a, b) => b.specificity - a.specificity);
    expect(shuffled.map((p) => p.text)).toEqual(['.api.example.com', 'api.example.com', '.example.com', 'example.com']);
  });

  it('ranks a deeper subdomain pattern above an exact pattern one label up', () => {
    expect(pattern('a.example.com').specificity).toBeGreaterThan(pattern('.example.com').specificity);
  });

  it('matches the specificity parseHostPattern reports', () => {
    for (const text of ['example.com', '.example.com', 'a.b.example.co.uk', '.x.y.z.example', 'localhost']) {
      const value = pattern(text);
      expect(value.specificity, text).toBe(patternSpecificity(value.host, value.exactHostOnly));
    }
  });
});

describe('parseHostPattern: suffixes and scheme prefixes', () => {
  it.each([
    ['co.uk', 'a public suffix would match every site under it'],
    ['.com.cn', 'a public suffix would match every site under it'],
    ['http:example.com', 'without scheme, path or spaces'],
  ])('%s is rejected: %s', (input, because) => {
    const parsed = parseHostPattern(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(because);
  });

  it('a private suffix (a hosting platform) may be listed on purpose', () => {
    expect(parseHostPattern('workers.dev')).toMatchObject({ ok: true, value: { text: 'workers.dev' } });
  });
});

describe('parseHostPattern: IPv6 written without brackets', () => {
  it.each([
    ['fe80::1', 'fe80::1'],
    ['abcd::1', 'abcd::1'],
    ['[fe80::1]', 'fe80::1'],
  ])('%s is an exact IP pattern that reads back the same', (input, host) => {
    const parsed = pattern(input);
    expect(parsed).toMatchObject({ host, exactHostOnly: true, text: host });
    expect(pattern(parsed.text)).toEqual(parsed);
  });
});
