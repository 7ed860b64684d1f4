/**
 * Worst-case time of each classifier that reads page-controlled text, on the 2 MB adversarial
 * inputs of tests/support/adversarial-inputs.ts (the unit test checks their answers; this times
 * them). Target: every classifier's worst input under 5 ms (median of its timed runs).
 */
import { Window } from 'happy-dom';
import { ADVERSARIAL_CHARS, adversarialCases, fill, type AdversarialCase } from '../support/adversarial-inputs.ts';
import { collectFingerprint } from '../../lib/page/fingerprint/collect-fingerprint.ts';
import { median } from './stats.ts';
import { fixed } from './report.ts';

const TARGET_MS = 5;
const WARMUP_RUNS = 2;
const TIMED_RUNS = 9;

/** What each classifier reads at most, or why its work is linear: the bound the times stand for. */
const BOUNDS: Readonly<Record<string, string>> = {
  'ai-request': 'URL: the path’s last 2 KB and the query’s first 2 KB (authority ≤ 1 KB); header values ≤ 8 KB, names ≤ 64; no backtracking pattern',
  'gateway-headers': 'header names ≤ 256 characters, request-id values ≤ 64',
  'page-fingerprint': 'twice each FINGERPRINT_LIMITS text limit (400/200/600), ≤ 64 storage keys of ≤ 64, path ≤ 300',
  keys: 'one native pass over the text; only runs of 35–269 key characters are classified, each by the few rules whose literal prefix it has',
  'claude-credentials': 'one native pass (whole runs, length checked after); hosts ≤ 254',
  lookalike: 'hosts through normalizeHost (≤ 4,096 characters in, ≤ 253 out), labels ≤ 63',
  host: 'input ≤ 4,096 characters',
  'status-probe': 'three fixed zod shapes; the page guard reads ≤ 64 KB of body',
  'gateway-families': 'a path longer than the longest start-up route is refused by its length; titles ≤ 200 characters; one Map or Set lookup each',
  'collect-fingerprint': 'title/meta cut to twice their limit before collapsing; footer ≤ 600 of ≤ 3 elements; storage ≤ 64 keys; path ≤ 300',
};

interface Timing {
  readonly classifier: string;
  readonly input: string;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly answerRight: boolean;
}

function time(testCase: AdversarialCase): Timing {
  let answer: unknown;
  for (let i = 0; i < WARMUP_RUNS; i++) answer = testCase.run();
  const runs: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    const start = process.hrtime.bigint();
    answer = testCase.run();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const answerRight = JSON.stringify(answer) === JSON.stringify(testCase.expected);
  return { classifier: testCase.classifier, input: testCase.input, medianMs: median(runs), maxMs: Math.max(...runs), answerRight };
}

/** The page-side collector, on happy-dom's DOM (not Chromium's: its times are an upper bound of the JS work, not of Blink's). */
function collectorCase(): AdversarialCase {
  const { document } = new Window();
  const huge = fill('a b ');
  document.head.innerHTML = '<title></title><meta name="description">';
  document.title = `New API${fill(' ')}x`;
  document.querySelector('meta')!.setAttribute('content', huge);
  document.body.innerHTML = '<footer></footer>';
  document.querySelector('footer')!.textContent = fill('由 Calcium-Ion 开');
  const storage = { length: 2, key: (index: number) => [fill('k'), 'status'][index] ?? null, getItem: () => huge };
  const location = { pathname: `/console${fill('/')}token`, hash: `#/${huge}` };
  return {
    classifier: 'collect-fingerprint: collectFingerprint (happy-dom)',
    input: '2 MB title, meta description, footer, route, storage key and value',
    run: () => {
      const fingerprint = collectFingerprint(document as unknown as Document, () => storage, location);
      return [fingerprint.servedTitle, fingerprint.storageKeys];
    },
    expected: ['New API', ['status']],
  };
}

export function runBoundsSuite(): { text: string; pass: boolean } {
  const timings = [...adversarialCases(), collectorCase()].map(time);
  const worst = new Map<string, Timing>();
  for (const timing of timings) {
    const previous = worst.get(timing.classifier);
    if (!previous || timing.medianMs > previous.medianMs) worst.set(timing.classifier, timing);
  }
  const rows = [...worst.values()];
  const wrong = timings.filter((timing) => !timing.answerRight);
  const missed = rows.filter((row) => row.medianMs >= TARGET_MS);
  const pass = wrong.length === 0 && missed.length === 0;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = [
    line(['classifier', 'worst input', 'median (ms)', 'max (ms)', 'bound']),
    line([':---', ':---', '---:', '---:', ':---']),
    ...rows.map((row) => line([row.classifier, row.input, fixed(row.medianMs, 2), fixed(row.maxMs, 2), BOUNDS[row.classifier.split(':')[0]!] ?? '']) + (row.medianMs >= TARGET_MS ? ' **MISSED**' : '')),
  ].join('\n');
  const verdict = pass
    ? `**PASS** (targets) — every classifier’s worst input under ${TARGET_MS} ms (median)`
    : `**FAIL** (targets) — ${[...missed.map((row) => `${row.classifier} ${fixed(row.medianMs, 2)} ms ≥ ${TARGET_MS} ms`), ...wrong.map((timing) => `${timing.classifier} gave a wrong answer on “${timing.input}”`)].join('; ')}`;
  const text = [
    `## Classifiers on ${ADVERSARIAL_CHARS / 1024 / 1024} MB adversarial inputs`,
    '',
    table,
    '',
    verdict,
    '',
    `Method: ${timings.length} inputs (tests/support/adversarial-inputs.ts, answers checked by lib/detection/adversarial-input.test.ts); each run ${WARMUP_RUNS} times to warm up, then timed ${TIMED_RUNS} times with process.hrtime.bigint(); a classifier’s row is its slowest input by median.`,
  ].join('\n');
  return { text, pass };
}
