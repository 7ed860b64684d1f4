import os from 'node:os';
import { classifyAiRequest, type AiRequestInput } from '../../lib/detection/ai-request.ts';
import { generateRequests, REQUEST_MIX, type RequestSample } from './classify-generate.ts';
import { createRng } from './prng.ts';
import { fixed, int, markdownTable } from './report.ts';
import { median } from './stats.ts';

/**
 * `classifyAiRequest` throughput over a realistic request mix, next to a loop that only touches
 * the same request objects, so what the loop and memory traffic cost on their own is visible.
 * Every round times one pass over freshly cloned request objects (structuredClone, outside the
 * timed region): the background gets new detail objects with new strings for every request, so
 * no string hash or cache line is left warm by the previous round.
 */

const SEED = 0xc1a5_2026;
const REQUESTS = 12_000;
const WARMUP_ROUNDS = 2;
const ROUNDS = 15;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

type Header = { name: string; value?: string };

/** Reads what a classifier would at least read: URL, method, type and the header array. */
function touchLoop(requests: readonly AiRequestInput[]): number {
  let sink = 0;
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    sink += request.url.length + request.method.length + (request.type?.length ?? 0) + ((request.requestHeaders as Header[] | undefined)?.length ?? 0);
  }
  return sink;
}

function classifyLoop(requests: readonly AiRequestInput[]): number {
  let hits = 0;
  for (let i = 0; i < requests.length; i++) if (classifyAiRequest(requests[i]!) !== null) hits++;
  return hits;
}

interface Loop {
  readonly label: string;
  readonly requests: readonly AiRequestInput[];
  readonly run: (requests: readonly AiRequestInput[]) => number;
}

/** ns per request of one timed pass over a fresh clone. */
function timeRound(loop: Loop): { ns: number; result: number } {
  const fresh = structuredClone(loop.requests) as AiRequestInput[];
  globalThis.gc?.(); // one full collection: the previous round's garbage is not collected on this round's clock
  const start = process.hrtime.bigint();
  const result = loop.run(fresh);
  const ns = Number(process.hrtime.bigint() - start) / fresh.length;
  return { ns, result };
}

function checkAnswers(samples: readonly RequestSample[]): { aiExpected: number; aiRecognised: number; ordinaryFlagged: number; wrongProtocol: number } {
  let aiExpected = 0;
  let aiRecognised = 0;
  let ordinaryFlagged = 0;
  let wrongProtocol = 0;
  for (const sample of samples) {
    const answer = classifyAiRequest(structuredClone(sample.details));
    if (sample.expected === null) {
      if (answer !== null) ordinaryFlagged++;
      continue;
    }
    aiExpected++;
    if (answer === null) continue;
    if (answer.protocol === sample.expected) aiRecognised++;
    else wrongProtocol++;
  }
  return { aiExpected, aiRecognised, ordinaryFlagged, wrongProtocol };
}

export function runClassifierSuite(): { text: string; consistent: boolean } {
  const started = process.hrtime.bigint();
  const loadAtStart = os.loadavg()[0] ?? 0;
  log(`classifier: generating ${REQUESTS.toLocaleString('en-US')} request details`);
  const samples = generateRequests(createRng(SEED), REQUESTS);
  const all = samples.map((s) => s.details);
  const ordinary = samples.filter((s) => s.expected === null).map((s) => s.details);
  const ai = samples.filter((s) => s.expected !== null).map((s) => s.details);
  const answers = checkAnswers(samples);

  const loops: Loop[] = [
    { label: 'touch-only baseline (reads url, method, type, header array)', requests: all, run: touchLoop },
    { label: '`classifyAiRequest`, full mix', requests: all, run: classifyLoop },
    { label: '`classifyAiRequest`, ordinary traffic only', requests: ordinary, run: classifyLoop },
    { label: '`classifyAiRequest`, AI-API calls only', requests: ai, run: classifyLoop },
  ];
  const samplesNs = loops.map(() => [] as number[]);
  const expectedHits = [null, answers.aiRecognised + answers.wrongProtocol + answers.ordinaryFlagged, answers.ordinaryFlagged, answers.aiRecognised + answers.wrongProtocol];
  let hitMismatch = false;
  log(`classifier: ${WARMUP_ROUNDS} warm-up + ${ROUNDS} timed rounds of ${loops.length} loops`);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Rotate the order, so no loop always runs right after the same neighbour.
    for (let k = 0; k < loops.length; k++) {
      const index = (k + round) % loops.length;
      const { ns, result } = timeRound(loops[index]!);
      const expected = expectedHits[index];
      if (expected !== null && expected !== undefined && result !== expected) hitMismatch = true;
      if (round >= WARMUP_ROUNDS) samplesNs[index]!.push(ns);
    }
  }

  const baselineNs = median(samplesNs[0]!);
  const rows = loops.map((loop, i) => {
    const med = median(samplesNs[i]!);
    const min = Math.min(...samplesNs[i]!);
    const max = Math.max(...samplesNs[i]!);
    const digits = med < 10 ? 2 : 1;
    return [
      loop.label,
      int(loop.requests.length),
      fixed(med, digits),
      int(1e9 / med),
      `${fixed(min, digits)}–${fixed(max, digits)}`,
      i === 0 ? '—' : fixed(med - baselineNs, digits),
    ];
  });
  const table = markdownTable(
    ['loop', 'requests per round', 'ns per request (median)', 'requests/s (median)', 'min–max ns over rounds', 'ns above touch-only'],
    ['l', 'r', 'r', 'r', 'r', 'r'],
    rows,
  );

  const totalWeight = REQUEST_MIX.reduce((sum, [, w]) => sum + w, 0);
  const mix = REQUEST_MIX.map(([kind, w]) => `${fixed((w / totalWeight) * 100, 1)}% ${kind}`).join(', ');
  const consistent = answers.aiRecognised === answers.aiExpected && answers.ordinaryFlagged === 0 && !hitMismatch;
  const totalS = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  const text = [
    '## Request classifier throughput (`classifyAiRequest`)',
    '',
    `Node ${process.version} (${process.platform}/${process.arch}) · CPU: ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} logical CPUs, load average ${loadAtStart.toFixed(2)} at start) · gc ${typeof globalThis.gc === 'function' ? 'exposed' : 'NOT exposed (GC may run inside timed rounds)'}`,
    '',
    table,
    '',
    `Answers: ${int(answers.aiRecognised)}/${int(answers.aiExpected)} AI-API calls recognised with the right protocol, ${int(answers.wrongProtocol)} with another protocol; ${int(answers.ordinaryFlagged)}/${int(REQUESTS - answers.aiExpected)} ordinary requests flagged (expected 0)${hitMismatch ? '; **timed loops returned a different hit count than the check**' : ''}.`,
    '',
    'Method:',
    `- ${int(REQUESTS)} request details (url, method, webRequest type, a Chromium-like requestHeaders array of 7–14 headers), seeded (0x${SEED.toString(16)}); mix by weight: ${mix}. AI calls carry generated credentials (tests/support/generated-keys.ts shapes: OpenAI project keys, new-api / one-api / sub2api relay tokens, OpenRouter, DeepSeek-shaped, Anthropic API keys and OAuth tokens, Google API keys, Azure keys); ordinary REST calls carry bearer JWT session tokens, and a share of them sit on /api/v1/… paths (POST /api/v1/messages included), so they pass the classifier's cheap substring test and pay the URL parse.`,
    `- One round = one pass of one loop over a fresh structuredClone of its requests (cloning and one full GC happen outside the timed region), timed with process.hrtime.bigint() around the whole pass; ns per request = pass time / requests. ${WARMUP_ROUNDS} warm-up rounds, then the median (and min–max) of ${ROUNDS} rounds; the four loops take turns within each round in rotating order. requests/s = 1e9 / median ns.`,
    '- The touch-only loop reads url.length, method.length, type.length and the header array length of every request: the cost of walking the same fresh objects with nothing classified. "ns above touch-only" is the classifier\'s median minus that.',
    '- "ordinary traffic only" and "AI-API calls only" are the two parts of the same mix, timed as separate loops.',
    `- classifier section time: ${totalS} s`,
  ].join('\n');
  return { text, consistent };
}
