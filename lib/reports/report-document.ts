// zod/mini, as the message protocol that carries the report is (lib/protocol/messages.ts).
import { z } from 'zod/mini';
import '../core/zod-setup.ts';
import { normalizeHost } from '../core/host.ts';
import { err, ok, type Result } from '../core/result.ts';
import { findSecrets } from '../detection/keys.ts';
import { GATEWAY_FAMILIES, type GatewayFamily } from '../detection/scoring.ts';
import { VERDICT_LEVELS, type Reason, type VerdictLevel } from '../verdicts/verdict.ts';
import { isRedacted, redactText, redactUrl } from './redaction.ts';

/**
 * The report a person sends about a page: what RelayGuard saw there, and nothing private.
 * One zod schema is the document's type, its check on the way into the queue and out of it,
 * and (through z.toJSONSchema) the JSON Schema published in docs/report.schema.json for anyone
 * running a collector. The builder redacts; the schema refuses any string the redaction rules
 * would still change, so an unredacted document cannot be stored or sent.
 */

export const REPORT_SCHEMA = 'relayguard.report/1';
export const REPORT_KINDS = ['relay', 'false-positive'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Field caps: hostile pages choose titles, paths and signal details. */
export const REPORT_LIMITS = {
  title: 200,
  reason: 300,
  reasons: 32,
  endpoints: 32,
  lists: 64,
  listName: 200,
  listVersion: 64,
  note: 1000,
  extensionVersion: 32,
  protocol: 32,
} as const;

/** Credential kinds an endpoint's calls carried, by kind only (lib/detection/keys.ts). */
const CREDENTIAL_KINDS = ['vendor-key', 'subscription-credential', 'relay-token', 'unknown'] as const;

/** `http(s)://host[:port]/path`: no user name, password, query or fragment can fit. */
const REPORT_URL = /^https?:\/\/[^/?#@\s]+(?:\/[^?#\s]*)?$/;

const CREDENTIAL_MESSAGE = { message: 'holds text that looks like a credential' };

const cleanText = (max: number) => z.string().check(z.maxLength(max), z.refine((text) => isRedacted(text, max), CREDENTIAL_MESSAGE));

const hostName = () =>
  z.string().check(
    z.minLength(1),
    z.maxLength(253),
    z.refine((host) => findSecrets(host).length === 0, CREDENTIAL_MESSAGE),
  );

export const reportDocumentSchema = z
  .strictObject({
    schema: z.literal(REPORT_SCHEMA).check(z.describe('The document format; a receiver checks it before reading anything else.')),
    id: z.uuid().check(z.describe('Unique per report and the same on every delivery attempt: a receiver drops repeats by it.')),
    kind: z.enum(REPORT_KINDS).check(z.describe('`relay`: a relay RelayGuard missed or should block. `false-positive`: a page it judged wrongly.')),
    host: hostName().check(z.describe('The page host, canonical ASCII (punycode), lower case, no port.')),
    registrableDomain: hostName().check(z.describe('The registrable domain (eTLD+1) of the host; the address itself for IPs.')),
    url: z.string().check(
      z.maxLength(1024),
      z.regex(REPORT_URL),
      z.refine((url) => redactUrl(url) === url, { message: 'holds more than scheme, host and path, or a token in its path' }),
      z.describe('Scheme, host and path only; path segments that held a token read `[redacted]`.'),
    ),
    title: cleanText(REPORT_LIMITS.title).check(z.describe('The page title, redacted and capped. No other page text is ever included.')),
    level: z.enum(VERDICT_LEVELS).check(z.describe("RelayGuard's verdict for the tab when the report was made.")),
    reasons: z
      .array(cleanText(REPORT_LIMITS.reason))
      .check(z.maxLength(REPORT_LIMITS.reasons), z.describe('The reasons behind the verdict, as the popup shows them: source, then detail.')),
    gatewayFamily: z.optional(
      z.enum(GATEWAY_FAMILIES).check(z.describe('The relay gateway software the page signals point to, when they agree on one.')),
    ),
    aiEndpoints: z
      .array(
        z.strictObject({
          host: hostName(),
          protocol: cleanText(REPORT_LIMITS.protocol).check(z.describe('The AI API the calls imitated: `openai`, `anthropic`, `gemini`, …')),
          level: z.enum(VERDICT_LEVELS),
          credentialKinds: z
            .array(z.enum(CREDENTIAL_KINDS))
            .check(z.maxLength(CREDENTIAL_KINDS.length), z.describe('Kinds of credential the calls carried; never a value.')),
        }),
      )
      .check(z.maxLength(REPORT_LIMITS.endpoints), z.describe('AI-API endpoints the page called since it was loaded.')),
    reportedAt: z.iso.datetime().check(z.describe('When the person made the report (ISO 8601, UTC).')),
    extensionVersion: cleanText(REPORT_LIMITS.extensionVersion).check(z.describe('RelayGuard version that made the report.')),
    lists: z
      .array(z.strictObject({ name: cleanText(REPORT_LIMITS.listName), version: cleanText(REPORT_LIMITS.listVersion) }))
      .check(z.maxLength(REPORT_LIMITS.lists), z.describe('The lists in force, by name and version.')),
    note: z.optional(cleanText(REPORT_LIMITS.note).check(z.describe("The person's own words, redacted like everything else."))),
  })
  .check(z.meta({ title: 'RelayGuard report', description: 'A report about a page, sent by RelayGuard to a configured collector.' }));

export type ReportDocument = z.output<typeof reportDocumentSchema>;

/** What RelayGuard saw on the tab: the popup's TabVerdictView fits, plus the title and lists. */
export interface ReportEvidence {
  readonly url: string;
  readonly title?: string;
  readonly level: VerdictLevel;
  readonly reasons: readonly Pick<Reason, 'source' | 'detail'>[];
  readonly family?: GatewayFamily;
  readonly endpoints: readonly {
    readonly host: string;
    readonly protocol: string;
    readonly level: VerdictLevel;
    readonly credentialKinds?: readonly string[];
  }[];
  readonly lists: readonly { readonly name: string; readonly version: string }[];
}

/** What the person chose in the form. */
export interface ReportChoice {
  readonly kind: ReportKind;
  readonly note?: string;
}

export interface ReportContext {
  /** A fresh UUID (newReportId); it identifies the report across every retry. */
  readonly id: string;
  readonly now: number;
  readonly extensionVersion: string;
}

/** crypto.randomUUID exists in workers, extension pages and Node alike. */
export function newReportId(): string {
  return crypto.randomUUID();
}

function reasonText(reason: Pick<Reason, 'source' | 'detail'>): string {
  return reason.detail ? `${reason.source}: ${reason.detail}` : reason.source;
}

/**
 * Builds the report from what RelayGuard saw, keeping only the listed fields and redacting each
 * one; anything else the caller holds (cookies, headers, page text, key values) has no field to
 * go into. Fails, with a sentence saying why, for pages a report cannot describe.
 */
export function buildReport(evidence: ReportEvidence, choice: ReportChoice, context: ReportContext): Result<ReportDocument, string> {
  const url = redactUrl(evidence.url);
  if (url === null) return err('Reports describe http(s) pages only.');
  const host = normalizeHost(evidence.url);
  if (!host.ok) return err(host.error.message);

  const note = choice.note === undefined ? '' : redactText(choice.note.trim(), REPORT_LIMITS.note).trim();
  const candidate = {
    schema: REPORT_SCHEMA,
    id: context.id,
    kind: choice.kind,
    host: host.value.host,
    registrableDomain: host.value.registrableDomain,
    url,
    title: redactText((evidence.title ?? '').trim(), REPORT_LIMITS.title).trim(),
    level: evidence.level,
    reasons: evidence.reasons.slice(0, REPORT_LIMITS.reasons).map((reason) => redactText(reasonText(reason), REPORT_LIMITS.reason)),
    ...(evidence.family && { gatewayFamily: evidence.family }),
    aiEndpoints: reportEndpoints(evidence.endpoints),
    reportedAt: new Date(context.now).toISOString(),
    extensionVersion: redactText(context.extensionVersion, REPORT_LIMITS.extensionVersion),
    lists: evidence.lists.slice(0, REPORT_LIMITS.lists).map((list) => ({
      name: redactText(list.name, REPORT_LIMITS.listName),
      version: redactText(list.version, REPORT_LIMITS.listVersion),
    })),
    ...(note && { note }),
  };
  const parsed = reportDocumentSchema.safeParse(candidate);
  if (!parsed.success) return err(describeIssues(parsed.error));
  return ok(parsed.data);
}

function reportEndpoints(endpoints: ReportEvidence['endpoints']): ReportDocument['aiEndpoints'] {
  const seen = new Set<string>();
  const out: ReportDocument['aiEndpoints'] = [];
  for (const endpoint of endpoints) {
    if (out.length >= REPORT_LIMITS.endpoints) break;
    const host = normalizeHost(endpoint.host);
    if (!host.ok || seen.has(host.value.host) || findSecrets(host.value.host).length > 0) continue;
    seen.add(host.value.host);
    const kinds = (endpoint.credentialKinds ?? []).filter((kind): kind is (typeof CREDENTIAL_KINDS)[number] =>
      (CREDENTIAL_KINDS as readonly string[]).includes(kind),
    );
    out.push({
      host: host.value.host,
      protocol: redactText(endpoint.protocol, REPORT_LIMITS.protocol),
      level: endpoint.level,
      credentialKinds: [...new Set(kinds)],
    });
  }
  return out;
}

function describeIssues(error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'report'}: ${issue.message}`).join('; ');
}

/** Checks a stored or received document; the queue uses it on every record it reads. */
export function parseReportDocument(raw: unknown): Result<ReportDocument, string> {
  const parsed = reportDocumentSchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err(describeIssues(parsed.error));
}

/** The JSON Schema published in docs/report.schema.json, as tests/tools/report-schema.ts writes it. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(reportDocumentSchema, { target: 'draft-2020-12' }), null, 2)}\n`;
}
