// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { ADVERSARIAL_CHARS, adversarialCases, fill } from '../../tests/support/adversarial-inputs.ts';
import { collectFingerprint } from '../page/fingerprint/collect-fingerprint.ts';
import { seededRandom } from '../../tests/support/seeded-random.ts';
import { canonicalPath } from '../core/url-path.ts';
import { classifyAiRequest } from './ai-request.ts';

// Each classifier that reads page-controlled text, on a 2 MB input built to hurt it: the answer
// must be the right one. How long it takes is `npm run bench`'s to say (no clock here).
describe(`${ADVERSARIAL_CHARS / 1024 / 1024} MB adversarial inputs get the right answer`, () => {
  for (const { classifier, input, run, expected } of adversarialCases()) {
    test(`${classifier}: ${input}`, () => {
      expect(run()).toEqual(expected);
    }, 30_000);
  }

  test('page collector: collectFingerprint on a 2 MB title, meta description, footer, route and storage', () => {
    const huge = fill('a b ');
    document.head.innerHTML = '<title></title><meta name="description">';
    document.title = `New API${fill(' ')}x`;
    document.querySelector('meta')!.setAttribute('content', huge);
    document.body.innerHTML = '<footer></footer>';
    document.querySelector('footer')!.textContent = `${fill('由 Calcium-Ion 开')}`;
    const storage = { length: 2, key: (index: number) => [fill('k'), 'status'][index] ?? null, getItem: () => huge };
    const fingerprint = collectFingerprint(document, () => storage, { pathname: `/console${fill('/')}token`, hash: `#/${huge}` });
    expect(fingerprint.servedTitle).toBe('New API');
    expect(fingerprint.metaDescription?.length).toBeLessThanOrEqual(400);
    expect(fingerprint.footerText?.length).toBeLessThanOrEqual(600);
    expect(fingerprint.path.length).toBeLessThanOrEqual(300);
    expect(fingerprint.storageKeys).toEqual(['status']);
    expect(fingerprint.statusStorage).toBeUndefined();
  }, 30_000);
});

describe('the Gemini action path, read without a backtracking pattern', () => {
  // The pattern it replaced (super-linear on `/v1` + `/v1/`×n + `models:x`), kept as the oracle.
  // eslint-plugin-regexp does not flag it (its checks miss this shape), so the bench and this
  // test, not the linter, keep it from coming back.
  const ORACLE = /\/v1(?:beta|alpha)?\/(?:[^:]*\/)?models\/[^/:]+:([A-Za-z]+)$/;
  const PIECES = ['/', 'v1', '/v1/', '/v1beta/', '/v1alpha/', '/v2/', 'models/', '/models/', 'gemini-2.5', ':generateContent', ':countTokens', ':', 'x', 'projects/', 'a:b/', 'models/m:generateContent', '/models/m:countTokens'];
  const GEMINI_ACTIONS = new Map(['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents'].map((action) => [action.toLowerCase(), action]));

  // Heavy by design (20,000 URL parses and classifications: under 1 s alone, over 6 s on a busy
  // 2-core machine), so it gets a generous explicit timeout rather than vitest's default 5 s.
  test('agrees with the old pattern on 20,000 generated paths', () => {
    const random = seededRandom(0x6e_3141);
    let geminiSeen = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 8);
      const path = '/' + Array.from({ length }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
      const url = new URL(`https://relay.example${path}`);
      // The classifier reads the canonical path (lib/core/url-path.ts): lower case, slashes merged.
      const pathname = canonicalPath(url.pathname);
      const oracleAction = ORACLE.exec(pathname)?.[1];
      const expected = oracleAction === undefined ? undefined : GEMINI_ACTIONS.get(oracleAction);
      const result = classifyAiRequest({ url: url.href, method: 'POST' });
      const actual = result?.protocol === 'gemini' ? result.operation : undefined;
      expect({ path: pathname, action: actual }).toEqual({ path: pathname, action: expected });
      if (expected !== undefined) geminiSeen++;
    }
    // The generator must reach the interesting case, or the agreement says little.
    expect(geminiSeen).toBeGreaterThan(100);
  }, 60_000);
});
