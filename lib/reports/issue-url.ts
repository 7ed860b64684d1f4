import type { ReportDocument } from './report-document.ts';

/**
 * A pre-filled issue on a list's tracker (the list's `reportUrl`), for people without a report
 * endpoint: `title` and `body` query parameters, which GitHub, GitLab and Gitea "new issue" pages
 * all read. The body holds the report's fields as a list, then the report itself as JSON when
 * the address stays short enough; browsers and trackers refuse very long addresses, so the whole
 * URL is kept within `maxLength`, dropping the JSON first, then trailing field lines.
 */

/** Well under what browsers and trackers accept (GitHub answers 414 somewhere past 8 KB). */
export const MAX_ISSUE_URL_LENGTH = 6000;

export function issueTitle(document: ReportDocument): string {
  return `${document.kind === 'relay' ? 'Relay' : 'False positive'}: ${document.host}`;
}

function fieldLines(document: ReportDocument): string[] {
  const lines = [
    `- kind: ${document.kind}`,
    `- host: ${document.host} (registrable domain ${document.registrableDomain})`,
    `- url: ${document.url}`,
    `- level: ${document.level}`,
  ];
  if (document.title) lines.push(`- page title: ${document.title}`);
  if (document.gatewayFamily) lines.push(`- gateway family: ${document.gatewayFamily}`);
  for (const endpoint of document.aiEndpoints) lines.push(`- AI endpoint: ${endpoint.host} (${endpoint.protocol}, ${endpoint.level})`);
  lines.push(`- lists: ${document.lists.map((list) => `${list.name} ${list.version}`).join(', ') || 'none'}`);
  lines.push(`- RelayGuard ${document.extensionVersion}, reported ${document.reportedAt}, id ${document.id}`);
  if (document.note) lines.push(`- note: ${document.note}`);
  for (const reason of document.reasons) lines.push(`- reason: ${reason}`);
  return lines;
}

function withQuery(reportUrl: string, title: string, body: string): string {
  const url = new URL(reportUrl);
  url.searchParams.set('title', title);
  url.searchParams.set('body', body);
  return url.href;
}

/** The tracker address with the report filled in, at most `maxLength` characters; null if `reportUrl` is no https URL. */
export function issueUrl(reportUrl: string, document: ReportDocument, maxLength = MAX_ISSUE_URL_LENGTH): string | null {
  let base: URL;
  try {
    base = new URL(reportUrl);
  } catch {
    return null;
  }
  if (base.protocol !== 'https:') return null;
  const title = issueTitle(document);
  const lines = fieldLines(document);
  const json = ['', 'The report as RelayGuard would send it:', '', '```json', JSON.stringify(document, null, 2), '```'];
  const full = withQuery(reportUrl, title, [...lines, ...json].join('\n'));
  if (full.length <= maxLength) return full;
  // Without the JSON; then without trailing lines (reasons come last) until it fits.
  for (let keep = lines.length; keep >= 0; keep--) {
    const candidate = withQuery(reportUrl, title, lines.slice(0, keep).join('\n'));
    if (candidate.length <= maxLength) return candidate;
  }
  return null;
}
