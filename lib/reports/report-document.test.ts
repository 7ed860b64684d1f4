import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KEY_OF_EVERY_FORMAT, secretWindows } from '../../tests/support/key-formats.ts';
import { REDACTED } from './redaction.ts';
import {
  buildReport,
  parseReportDocument,
  REPORT_LIMITS,
  REPORT_SCHEMA,
  reportJsonSchemaText,
  type ReportDocument,
  type ReportEvidence,
} from './report-document.ts';

const ID = '5b0c2f4e-8d1a-4c3b-9e2f-7a6b5c4d3e2f';
const NOW = Date.UTC(2026, 11, 3, 4, 5, 6);
const CONTEXT = { id: ID, now: NOW, extensionVersion: '0.1.0' };

const PLAIN: ReportEvidence = {
  url: 'https://relay.example/console/token',
  title: 'New API',
  level: 'unvetted',
  reasons: [{ source: 'gateway-meta-description', detail: 'OpenAI 接口聚合管理' }],
  family: 'new-api',
  endpoints: [{ host: 'api.relay.example', protocol: 'openai', level: 'unvetted', credentialKinds: ['vendor-key'] }],
  lists: [{ name: 'RelayGuard built-in', version: '2026.11.30' }],
};

function build(evidence: ReportEvidence, note?: string): ReportDocument {
  const result = buildReport(evidence, { kind: 'relay', ...(note !== undefined && { note }) }, CONTEXT);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('buildReport', () => {
  test('carries what RelayGuard saw, in the contract fields', () => {
    expect(build(PLAIN, 'Sells GPT-4 at a tenth of the price')).toEqual({
      schema: REPORT_SCHEMA,
      id: ID,
      kind: 'relay',
      host: 'relay.example',
      registrableDomain: 'relay.example',
      url: 'https://relay.example/console/token',
      title: 'New API',
      level: 'unvetted',
      reasons: ['gateway-meta-description: OpenAI 接口聚合管理'],
      gatewayFamily: 'new-api',
      aiEndpoints: [{ host: 'api.relay.example', protocol: 'openai', level: 'unvetted', credentialKinds: ['vendor-key'] }],
      reportedAt: '2026-12-03T04:05:06.000Z',
      extensionVersion: '0.1.0',
      lists: [{ name: 'RelayGuard built-in', version: '2026.11.30' }],
      note: 'Sells GPT-4 at a tenth of the price',
    });
  });

  test('IDN hosts are reported in their canonical ASCII form; an empty note is left out', () => {
    const report = build({ ...PLAIN, url: 'https://中转.example/' }, '   ');
    expect(report.host).toBe('xn--fiqq40n.example');
    expect(report.url).toBe('https://xn--fiqq40n.example/');
    expect(report).not.toHaveProperty('note');
  });

  test('pages a report cannot describe get a sentence, not a document', () => {
    expect(buildReport({ ...PLAIN, url: 'chrome://extensions' }, { kind: 'relay' }, CONTEXT)).toEqual({
      ok: false,
      error: 'Reports describe http(s) pages only.',
    });
    const badId = buildReport(PLAIN, { kind: 'relay' }, { ...CONTEXT, id: 'not-a-uuid' });
    expect(badId.ok).toBe(false);
  });

  test('caps what a hostile page controls: reasons, endpoints, lists, title', () => {
    const many = Array.from({ length: 100 }, (_, i) => i);
    const report = build({
      ...PLAIN,
      title: 'words '.repeat(2000),
      reasons: many.map((i) => ({ source: `signal-${i}`, detail: 'x'.repeat(1000) })),
      endpoints: many.map((i) => ({ host: `api${i}.relay.example`, protocol: 'openai', level: 'unvetted' as const })),
      lists: many.map((i) => ({ name: `list ${i}`, version: '1' })),
    });
    expect(report.title).toBe('words '.repeat(40).slice(0, REPORT_LIMITS.title).trim());
    expect(report.reasons).toHaveLength(REPORT_LIMITS.reasons);
    expect(report.reasons.every((reason) => reason.length <= REPORT_LIMITS.reason)).toBe(true);
    expect(report.aiEndpoints).toHaveLength(REPORT_LIMITS.endpoints);
    expect(report.lists).toHaveLength(REPORT_LIMITS.lists);
  });
});

test('a title that is one endless run of key characters is dropped, not cut to a token head', () => {
  expect(build({ ...PLAIN, title: 'T'.repeat(10_000) }).title).toBe('');
});

describe('redaction: evidence full of secrets, none survive', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjo5OTk5OTk5OTk5fQ.q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQr';
  const cookieValue = 'cf_clearance_Zz9Yy8Xx7Ww6Vv5Uu4';
  const plainSecrets = ['hunter2', 'opensesame', 'Qw3rty_session', 'sid-7f3a', cookieValue, 'page text below the title'];

  function secretEvidence(key: string): ReportEvidence {
    const evidence = {
      url: `https://admin:${encodeURIComponent(key)}@relay.example/console/${key}/token/${encodeURIComponent(`k=${key}`)}/${jwt}?key=${key}&session=Qw3rty_session#access_token=${key}`,
      title: `Dashboard ${key} | Cookie: sid=sid-7f3a; cf=${cookieValue}`,
      level: 'blocked' as const,
      reasons: [
        { source: 'gateway-footer-credit', detail: `footer holds ${key}` },
        { source: 'gateway-response-header', detail: `Authorization: Bearer ${jwt}` },
        { source: 'relay-vocabulary', detail: 'password=hunter2 api_key: opensesame' },
      ],
      endpoints: [
        { host: 'api.relay.example', protocol: `openai ${key}`, level: 'blocked' as const, credentialKinds: ['vendor-key', key] },
        { host: `https://user:${encodeURIComponent(key)}@edge.relay.example/v1?k=${key}`, protocol: 'anthropic', level: 'unvetted' as const },
      ],
      lists: [{ name: `Community ${key}`, version: `1 token=${jwt}` }],
      // What a careless caller might hand over as well: no field of the report takes it.
      cookies: [`sid=sid-7f3a`, `cf_clearance=${cookieValue}`],
      requestHeaders: [{ name: 'x-api-key', value: key }],
      pageText: 'page text below the title',
    };
    return evidence as ReportEvidence;
  }

  const note = (key: string) =>
    `I pasted ${key} here. Cookie: sid=sid-7f3a\nBearer ${jwt}\n${'.'.repeat(REPORT_LIMITS.note - 30)} ${key}`;

  test.each(Object.entries(KEY_OF_EVERY_FORMAT))('%s: no part of the key, no cookie, token or page text', (_format, key) => {
    const report = build(secretEvidence(key), note(key));
    const sent = JSON.stringify(report);
    for (const window of secretWindows(key, 8)) expect(sent).not.toContain(window);
    for (const window of secretWindows(jwt, 8)) expect(sent).not.toContain(window);
    for (const secret of plainSecrets) expect(sent).not.toContain(secret);
    expect(report.url).toBe(`https://relay.example/console/${REDACTED}/token/${REDACTED}/${REDACTED}`);
    expect(report.url).not.toMatch(/[?#@]/);
    expect(report.aiEndpoints.map((endpoint) => endpoint.host)).toEqual(['api.relay.example', 'edge.relay.example']);
    expect(report.aiEndpoints[0]?.credentialKinds).toEqual(['vendor-key']);
    expect(Object.keys(report)).not.toEqual(expect.arrayContaining(['cookies']));
    expect(parseReportDocument(JSON.parse(sent))).toEqual({ ok: true, value: report });
  });
});

describe('the schema refuses what the builder would have cut', () => {
  const good = (): Record<string, unknown> => ({ ...build(PLAIN) });

  test.each([
    ['a key in the note', { note: `mine: ${KEY_OF_EVERY_FORMAT['openai-project']}` }],
    ['a key in the title', { title: KEY_OF_EVERY_FORMAT['google-api'] }],
    ['a cookie in a reason', { reasons: ['Cookie: sid=1'] }],
    ['a query string', { url: 'https://relay.example/console?key=1' }],
    ['a fragment', { url: 'https://relay.example/console#token' }],
    ['user info', { url: 'https://me:pw@relay.example/' }],
    ['a token in the path', { url: `https://relay.example/${KEY_OF_EVERY_FORMAT.groq}` }],
    ['page text as an extra field', { pageText: 'hello' }],
    ['another schema', { schema: 'relayguard.report/2' }],
    ['a time that is not ISO 8601', { reportedAt: 'yesterday' }],
  ])('%s', (_label, change) => {
    const result = parseReportDocument({ ...good(), ...change });
    expect(result.ok).toBe(false);
  });

  test('a clean document passes as it is', () => {
    expect(parseReportDocument(good())).toEqual({ ok: true, value: good() });
  });
});

describe('docs/report.schema.json', () => {
  test('is what the zod schema generates (run `npm run report-schema` after changing it)', () => {
    const committed = readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(reportJsonSchemaText());
  });

  test('describes the contract fields as required', () => {
    const schema = JSON.parse(reportJsonSchemaText()) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(
      expect.arrayContaining(['schema', 'id', 'kind', 'host', 'url', 'level', 'reasons', 'extensionVersion', 'reportedAt']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});
