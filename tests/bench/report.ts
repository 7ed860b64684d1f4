/** Formats benchmark results as Markdown and checks them against the performance targets. */

export interface CaseResult {
  readonly n: number;
  readonly listSizes: readonly number[];
  readonly buildMedianMs: number;
  readonly buildFirstMs: number;
  readonly buildRepeats: number;
  readonly lookupMedianUs: number;
  readonly lookupP99Us: number;
  readonly lookups: number;
  readonly lookupBatch: number;
  readonly hitRate: number;
  readonly heapBytes: number | null;
  readonly listsHeapBytes: number | null;
  readonly naiveMedianUs: number;
  readonly naiveQueries: number;
  readonly naiveBatch: number;
  readonly naiveAgreement: { readonly agree: number; readonly checked: number };
}

export interface Target {
  readonly label: string;
  readonly measured: number;
  readonly limit: number;
  readonly unit: string;
}

export const int = (value: number): string => Math.round(value).toLocaleString('en-US');
export const fixed = (value: number, digits: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number): string => fixed(value, value < 10 ? 2 : 1);
const us = (value: number): string => fixed(value, value < 10 ? 3 : value < 1000 ? 1 : 0);
const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : fixed(bytes / 1024 / 1024, bytes < 10 * 1024 * 1024 ? 2 : 1));

export function formatTable(results: readonly CaseResult[]): string {
  const header = ['N', 'build (ms, median)', 'lookup median (µs)', 'lookup p99 (µs)', 'heap (MB)', 'naive lookup median (µs)', 'speed-up (naive/matcher)'];
  const rows = results.map((r) => [
    int(r.n),
    ms(r.buildMedianMs),
    us(r.lookupMedianUs),
    us(r.lookupP99Us),
    mb(r.heapBytes),
    us(r.naiveMedianUs),
    `${int(r.naiveMedianUs / r.lookupMedianUs)}×`,
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---:')), ...rows.map(line)].join('\n');
}

export function formatDetails(results: readonly CaseResult[]): string {
  return results
    .map((r) =>
      [
        `- N=${int(r.n)} (lists: ${r.listSizes.map(int).join(' + ')}):`,
        `build median of ${r.buildRepeats} (first: ${ms(r.buildFirstMs)} ms);`,
        `${int(r.lookups)} matcher lookups in batches of ${r.lookupBatch}, ${fixed(r.hitRate * 100, 1)}% hits;`,
        `input lists themselves ${mb(r.listsHeapBytes)} MB (not in the heap column);`,
        `naive: ${int(r.naiveQueries)} queries in batches of ${r.naiveBatch}, same winner as the matcher on ${int(r.naiveAgreement.agree)}/${int(r.naiveAgreement.checked)}.`,
      ].join(' '),
    )
    .join('\n');
}

/** One PASS/FAIL line: PASS only when every target is met. */
export function formatTargets(targets: readonly Target[]): { text: string; pass: boolean } {
  const pass = targets.every((t) => t.measured < t.limit);
  const parts = targets.map((t) => `${t.label} < ${t.limit} ${t.unit}: ${fixed(t.measured, 3)} ${t.unit} ${t.measured < t.limit ? 'ok' : 'MISSED'}`);
  return { text: `**${pass ? 'PASS' : 'FAIL'}** (targets) — ${parts.join('; ')}`, pass };
}

/** A Markdown table; `align` per column: 'l' or 'r'. */
export function markdownTable(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : ':---'))), ...rows.map(line)].join('\n');
}
