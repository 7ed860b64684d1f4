import { describe, expect, test } from 'vitest';
import { buildReport, type ReportDocument } from './report-document.ts';
import { issueTitle, issueUrl, MAX_ISSUE_URL_LENGTH } from './issue-url.ts';

function report(reasons = 2, note?: string): ReportDocument {
  const built = buildReport(
    {
      url: 'https://relay.example/console',
      title: 'Relay console',
      level: 'unvetted',
      reasons: Array.from({ length: reasons }, (_, index) => ({ source: `signal-${index}`, detail: 'x'.repeat(250) })),
      family: 'one-api',
      endpoints: [{ host: 'relay.example', protocol: 'openai', level: 'unvetted' }],
      lists: [{ name: 'RelayGuard blocklist', version: '2026.11.1' }],
    },
    { kind: 'relay', ...(note !== undefined && { note }) },
    { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', now: Date.UTC(2026, 11, 3), extensionVersion: '0.1.0' },
  );
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

describe('issueUrl', () => {
  test('fills title and body on the tracker address, keeping its own query, with the fields and the JSON', () => {
    const document = report();
    const url = new URL(issueUrl('https://tracker.example/lists/issues/new?labels=report', document)!);
    expect(url.origin + url.pathname).toBe('https://tracker.example/lists/issues/new');
    expect(url.searchParams.get('labels')).toBe('report');
    expect(url.searchParams.get('title')).toBe('Relay: relay.example');
    const body = url.searchParams.get('body')!;
    expect(body).toContain('- host: relay.example (registrable domain relay.example)');
    expect(body).toContain('- gateway family: one-api');
    expect(body).toContain('- lists: RelayGuard blocklist 2026.11.1');
    expect(body).toContain(JSON.stringify(document, null, 2));
    expect(issueTitle({ ...document, kind: 'false-positive' })).toBe('False positive: relay.example');
  });

  test('stays within the length bound: the JSON goes first, then trailing reasons, the core fields stay', () => {
    const document = report(32, 'n'.repeat(900));
    const url = issueUrl('https://tracker.example/issues/new', document)!;
    expect(url.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    const body = new URL(url).searchParams.get('body')!;
    expect(body).not.toContain('```json');
    expect(body).toContain('- url: https://relay.example/console');
    expect(body.split('\n').filter((line) => line.startsWith('- reason:')).length).toBeLessThan(32);
    const tiny = issueUrl('https://tracker.example/issues/new', document, 400);
    expect(tiny === null || tiny.length <= 400).toBe(true);
  });

  test('only an https tracker', () => {
    expect(issueUrl('http://tracker.example/issues/new', report())).toBeNull();
    expect(issueUrl('javascript:alert(1)', report())).toBeNull();
    expect(issueUrl('not a url', report())).toBeNull();
  });
});
