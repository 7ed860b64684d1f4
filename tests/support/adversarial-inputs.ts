/**
 * 2 MB inputs a hostile page can hand each classifier that reads page-controlled text (Chrome's
 * URL limit is 2 MB; headers, titles, footers, storage and JSON bodies can be as long), each
 * with the answer the classifier must give. The unit test (lib/detection/adversarial-input.test.ts)
 * checks the answers; `npm run bench` times the same calls and holds each to a bound.
 */
import { classifyAiRequest } from '../../lib/detection/ai-request.ts';
import { containsClaudeSubscriptionCredential, isClaudeHost } from '../../lib/detection/claude-credentials.ts';
import { signalsFromRequestHeaders, signalsFromResponseHeaders } from '../../lib/detection/gateway-headers.ts';
import { classifySecret, findSecrets } from '../../lib/detection/keys.ts';
import { createLookalikeDetector, lookalikeCheck } from '../../lib/detection/lookalike.ts';
import { signalsFromFingerprint } from '../../lib/detection/page-fingerprint.ts';
import { statusProbeSignals } from '../../lib/detection/status-probe.ts';
import { familyOfTitle, mayBeStartupCall, signalFromStartupCall } from '../../lib/detection/gateway-families.ts';
import { normalizeHost } from '../../lib/core/host.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The size every adversarial input is built to: Chrome's URL length limit. */
export const ADVERSARIAL_CHARS = 2 * 1024 * 1024;

/** `unit` repeated to (about) ADVERSARIAL_CHARS, with `head` before it and `tail` after it. */
export function fill(unit: string, head = '', tail = ''): string {
  return head + unit.repeat(Math.max(1, Math.floor((ADVERSARIAL_CHARS - head.length - tail.length) / unit.length))) + tail;
}

export interface AdversarialCase {
  /** The classifier, as `file: function`. */
  readonly classifier: string;
  readonly input: string;
  /** Runs the classifier on the (prebuilt) input and returns its answer. */
  readonly run: () => unknown;
  readonly expected: unknown;
}

/** The bundled list's official hosts, as the background builds its look-alike detector from. */
function officialHosts(): string[] {
  const vendors = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../assets/lists/vendors.json'), 'utf8')) as { entries: { pattern: string; level: string }[] };
  return vendors.entries.filter((entry) => entry.level === 'official').map((entry) => entry.pattern);
}

/** Builds the inputs once (a few hundred MB of string work is not free). */
export function adversarialCases(): AdversarialCase[] {
  const lookalike = lookalikeCheck(createLookalikeDetector(officialHosts()));
  const geminiBacktrack = fill('/v1/', 'https://relay.example/v1', 'models:x');
  const geminiLongPrefix = fill('a/', 'https://relay.example/', 'v1beta/models/gemini-2.5-pro:generateContent');
  const longBearer = fill('a', 'Bearer ');
  const digits = fill('1');
  const litellmName = fill('a', 'x-litellm-');
  const spaces = fill(' \u00a0\u3000', 'New API', 'x');
  const footerNearMiss = fill('由 Calcium-Ion 开');
  const routePath = fill('/', '/console', 'token');
  const keyRun = fill('A');
  const keyishTokens = fill(`sk-${'a1'.repeat(24)} `);
  const claudeNearMiss = fill(' sk-ant-sid01-' + 'a'.repeat(257));
  const claudeWithOneAtTheEnd = fill(' sk-ant-sid01-' + 'a'.repeat(257), '', ` sk-ant-oat01-${'b'.repeat(100)}.`);
  const host = fill('a.', '', 'openai.com');
  const bigSystemName = fill('x');
  // The lettered request id's timestamp, then digits and letters that never end: the pattern's
  // nanosecond digits and 8-character tail must not backtrack over 2 MB.
  const requestIdNearMiss = fill('1a', '20251203064512');
  const startupPathNearMiss = fill('/', '/admin/oem-settings');
  const titleEndingInSuffix = fill('x', '', ' - Sub2API');

  return [
    {
      classifier: 'ai-request: classifyAiRequest',
      input: 'POST /v1 + /v1/×n + models:x',
      run: () => classifyAiRequest({ url: geminiBacktrack, method: 'POST' }),
      expected: null,
    },
    {
      classifier: 'ai-request: classifyAiRequest',
      input: 'POST a/×n + v1beta/models/m:generateContent',
      run: () => classifyAiRequest({ url: geminiLongPrefix, method: 'POST' }),
      expected: { protocol: 'gemini', operation: 'generateContent', host: 'relay.example', credential: null },
    },
    {
      classifier: 'ai-request: classifyAiRequest',
      input: 'chat/completions with a 2 MB bearer token',
      run: () =>
        classifyAiRequest({ url: 'https://relay.example/v1/chat/completions', method: 'POST', requestHeaders: [{ name: 'Authorization', value: longBearer }] }),
      expected: { protocol: 'openai', operation: 'chat.completions', host: 'relay.example', credential: { carrier: 'authorization-bearer', kind: 'unknown' } },
    },
    {
      classifier: 'gateway-headers: signalsFromResponseHeaders',
      input: 'X-Oneapi-Request-Id of 2 MB digits, x-litellm-… name of 2 MB',
      run: () =>
        signalsFromResponseHeaders([
          { name: 'X-Oneapi-Request-Id', value: digits },
          { name: litellmName, value: '1' },
        ]),
      expected: [{ id: 'litellm-proxy-header', detail: litellmName.slice(0, 200), family: 'litellm' }],
    },
    {
      classifier: 'gateway-headers: signalsFromRequestHeaders',
      input: 'a 2 MB header name',
      run: () => signalsFromRequestHeaders([{ name: litellmName, value: digits }]),
      expected: [],
    },
    {
      classifier: 'page-fingerprint: signalsFromFingerprint',
      input: '2 MB meta description, title ("New API" + whitespace + x), footer, path',
      run: () =>
        signalsFromFingerprint({
          metaDescription: spaces,
          servedTitle: spaces,
          footerText: footerNearMiss,
          storageKeys: [keyRun],
          path: routePath,
          vocabulary: [],
        }),
      // Only twice each limit is read: the title is "New API" and whitespace as far as that goes.
      expected: [{ id: 'gateway-default-title', detail: 'New API', family: 'new-api' }],
    },
    {
      classifier: 'keys: findSecrets',
      input: '2 MB of one key-character run',
      run: () => findSecrets(keyRun),
      expected: [],
    },
    {
      classifier: 'keys: findSecrets',
      input: '2 MB of new-api-shaped tokens',
      run: () => findSecrets(keyishTokens).length,
      expected: Math.floor(ADVERSARIAL_CHARS / 52),
    },
    {
      classifier: 'keys: classifySecret',
      input: 'a 2 MB token',
      run: () => classifySecret(keyRun),
      expected: null,
    },
    {
      classifier: 'claude-credentials: containsClaudeSubscriptionCredential',
      input: 'sk-ant-sid01- + 257 key characters, repeated',
      run: () => containsClaudeSubscriptionCredential(claudeNearMiss),
      expected: false,
    },
    {
      classifier: 'claude-credentials: containsClaudeSubscriptionCredential',
      input: 'the same near misses, then one credential at the end',
      run: () => containsClaudeSubscriptionCredential(claudeWithOneAtTheEnd),
      expected: true,
    },
    {
      classifier: 'claude-credentials: isClaudeHost',
      input: 'a 2 MB host',
      run: () => isClaudeHost(host),
      expected: false,
    },
    {
      classifier: 'lookalike: lookalikeCheck',
      input: 'a 2 MB host ending in openai.com',
      run: () => lookalike(host),
      expected: null,
    },
    {
      classifier: 'host: normalizeHost',
      input: 'a 2 MB host',
      run: () => normalizeHost(host).ok,
      expected: false,
    },
    {
      classifier: 'gateway-headers: signalsFromResponseHeaders',
      input: 'X-Oneapi-Request-Id: a timestamp then 2 MB of digits and letters',
      run: () => signalsFromResponseHeaders([{ name: 'X-Oneapi-Request-Id', value: requestIdNearMiss }]),
      expected: [],
    },
    {
      classifier: 'gateway-families: signalFromStartupCall',
      input: 'a start-up route followed by 2 MB of slashes',
      run: () => [signalFromStartupCall(startupPathNearMiss), mayBeStartupCall(startupPathNearMiss)],
      expected: [undefined, false],
    },
    {
      classifier: 'gateway-families: familyOfTitle',
      input: "a 2 MB title ending in sub2api's router suffix",
      run: () => familyOfTitle(titleEndingInSuffix),
      expected: undefined,
    },
    {
      classifier: 'status-probe: statusProbeSignals',
      input: 'one-api status with a 2 MB system_name',
      run: () => statusProbeSignals({ success: true, data: { system_name: bigSystemName, quota_per_unit: 500000 } }),
      expected: [{ id: 'gateway-status-endpoint', detail: '/api/status' }],
    },
  ];
}
