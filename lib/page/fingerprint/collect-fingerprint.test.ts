// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { collectFingerprint } from './collect-fingerprint.ts';
import type { KeyValueStorage, PageLocation } from './collect-fingerprint.ts';
import { FINGERPRINT_LIMITS, STOCK_META_DESCRIPTION, signalsFromFingerprint } from '../../detection/page-fingerprint.ts';
import { pageFingerprintSchema } from '../../detection/page-fingerprint-schema.ts';
import type { PageFingerprint } from '../../detection/page-fingerprint.ts';
import { scoreSignals } from '../../detection/scoring.ts';
import { sampleKeys } from '../../../tests/support/generated-keys.ts';

// The same fixture sites the end-to-end tests serve, so these tests also prove the fixtures.
// (A path, not `new URL(…, import.meta.url)`: under happy-dom `URL` is the DOM's, not node's.)
const FIXTURE_SITES_DIR = join(import.meta.dirname, '../../../tests/fixtures/sites');
type FixtureSite = 'oneapi-default' | 'newapi-rebranded' | 'relay-blog' | 'api-docs';

function fixtureHtml(site: FixtureSite): string {
  return readFileSync(join(FIXTURE_SITES_DIR, site, 'index.html'), 'utf8');
}

/** Replaces the test document with a fixture page, as served (its scripts have not run). */
function loadPage(html: string): void {
  document.documentElement.innerHTML = html;
}

/**
 * happy-dom does not evaluate page scripts; the fixtures' inline scripts are ours, so run them
 * here against the test window, as the browser would while parsing.
 */
function runInlineScripts(): void {
  for (const script of document.querySelectorAll('script:not([src])')) {
    new Function(script.textContent ?? '')();
  }
}

function at(pathname: string, hash = ''): PageLocation {
  return { pathname, hash };
}

/** A storage whose keys and values are given; `getItem` records what was read. */
function fakeStorage(entries: Record<string, string>): KeyValueStorage & { readonly valuesRead: string[] } {
  const keys = Object.keys(entries);
  const valuesRead: string[] = [];
  return {
    valuesRead,
    get length() {
      return keys.length;
    },
    key: (index) => keys[index] ?? null,
    getItem: (key) => {
      valuesRead.push(key);
      return entries[key] ?? null;
    },
  };
}

/** The page's own localStorage, as the content script asks for it. */
const pageStorage = () => localStorage;
/** A page without storage (sandboxed, storage blocked). */
const noStorage = () => null;

function collectedSignals(fp: PageFingerprint) {
  expect(pageFingerprintSchema().safeParse(fp).success).toBe(true);
  return signalsFromFingerprint(fp);
}

beforeEach(() => {
  localStorage.clear();
  loadPage('<head><title></title></head><body></body>');
});

describe('fixture: stock one-api (oneapi-default)', () => {
  test('at document_end: meta description, served title, footer credit, vocabulary → unvetted one-api', () => {
    loadPage(fixtureHtml('oneapi-default'));
    const fp = collectFingerprint(document, pageStorage, at('/'));

    expect(fp.metaDescription).toBe(STOCK_META_DESCRIPTION);
    expect(fp.servedTitle).toBe('One API');
    expect(fp.footerText).toContain('由 JustSong 构建');
    const signals = collectedSignals(fp);
    expect(signals.map((signal) => signal.id)).toEqual(['gateway-meta-description', 'gateway-footer-credit', 'gateway-default-title', 'relay-vocabulary']);
    expect(scoreSignals(signals)).toMatchObject({ unvetted: true, family: 'one-api' });
    expect(collectedSignals(fp).length > 0).toBe(true); // worth a report
  });

  test('after the SPA renamed the tab, the title captured earlier is still the served one', () => {
    loadPage(fixtureHtml('oneapi-default'));
    const initialTitle = document.querySelector('title')?.textContent ?? undefined;
    runInlineScripts();
    window.dispatchEvent(new Event('load'));
    expect(document.title).toBe('控制台 | 某某 API');

    const late = collectFingerprint(document, pageStorage, at('/token'));
    expect(late.servedTitle).toBe('控制台 | 某某 API');
    expect(collectedSignals(late).map((signal) => signal.id)).not.toContain('gateway-default-title');

    const withInitialTitle = collectFingerprint(document, pageStorage, at('/token'), initialTitle);
    expect(withInitialTitle.servedTitle).toBe('One API');
    // A capture taken before <title> was parsed is empty: the element is read instead.
    expect(collectFingerprint(document, pageStorage, at('/'), '').servedTitle).toBe('控制台 | 某某 API');
    expect(collectedSignals(withInitialTitle).map((signal) => signal.id)).toEqual([
      'gateway-meta-description',
      'gateway-footer-credit',
      'gateway-default-title',
      'gateway-route',
      'relay-vocabulary',
    ]);
  });
});

describe('fixture: rebranded new-api (newapi-rebranded)', () => {
  test('own title and description, but its storage and footer credit give it away → unvetted new-api', () => {
    loadPage(fixtureHtml('newapi-rebranded'));
    runInlineScripts();
    const fp = collectFingerprint(document, pageStorage, at('/'));

    expect(fp.servedTitle).toBe('星河API');
    expect(fp.storageKeys).toEqual(expect.arrayContaining(['status', 'system_name', 'quota_per_unit']));
    expect(fp.statusStorage).toEqual({ systemName: true, quotaPerUnit: true });
    expect(fp.footerText).toContain('由 Calcium-Ion 开发，基于 One API');
    const signals = collectedSignals(fp);
    expect(signals.map((signal) => signal.id)).toEqual(['gateway-status-storage', 'gateway-storage-keys', 'gateway-footer-credit', 'relay-vocabulary']);
    expect(scoreSignals(signals)).toMatchObject({ unvetted: true, family: 'new-api' });
  });

  test('storage values never enter the fingerprint', () => {
    loadPage(fixtureHtml('newapi-rebranded'));
    runInlineScripts();
    const { servedTitle, ...rest } = collectFingerprint(document, pageStorage, at('/'));
    const sent = JSON.stringify(rest);
    for (const value of ['500000', '1735689600', 'v0.6.6', '/logo.png']) expect(sent).not.toContain(value);
    expect(servedTitle).toBe('星河API');
  });
});

describe('fixture: a blog post about relays (relay-blog)', () => {
  test('vocabulary only: at most a weak signal, stays unknown', () => {
    loadPage(fixtureHtml('relay-blog'));
    runInlineScripts();
    const fp = collectFingerprint(document, pageStorage, at('/2025/03/02/one-api-relay/'));

    expect(fp.servedTitle).toContain('小林的技术笔记');
    // The post quotes the stock credit in its article; only footers are read.
    expect(fp.footerText).not.toContain('JustSong');
    expect(fp.vocabulary.length).toBeGreaterThanOrEqual(3);
    const signals = collectedSignals(fp);
    expect(signals.map((signal) => signal.id)).toEqual(['relay-vocabulary']);
    expect(scoreSignals(signals)).toMatchObject({ unvetted: false, suspect: false });
  });
});

describe('fixture: API docs with code samples (api-docs)', () => {
  test('nothing relay-related: no signals, nothing to report', () => {
    loadPage(fixtureHtml('api-docs'));
    const fp = collectFingerprint(document, pageStorage, at('/docs/quickstart'));

    expect(fp.servedTitle).toBe('Quickstart — Model API Docs');
    expect(fp.vocabulary).toEqual([]);
    expect(collectedSignals(fp)).toEqual([]);
    expect(collectedSignals(fp)).toEqual([]); // nothing to report
  });
});

describe('collectFingerprint stays bounded', () => {
  test('an empty page gives the minimal fingerprint and is not reported', () => {
    const fp = collectFingerprint(document, noStorage, at('/'));
    expect(fp).toEqual({ storageKeys: [], path: '/', vocabulary: [] });
    expect(collectedSignals(fp)).toEqual([]); // nothing to report
  });

  test('vocabulary is read from a bounded sample: terms past it are not seen', () => {
    const filler = Array.from({ length: 2000 }, (_, index) => `<p>Paragraph ${index} of an ordinary long page.</p>`).join('');
    loadPage(`<head><title>Long</title></head><body>${filler}<p>令牌 额度 渠道 充值</p></body>`);
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual([]);

    loadPage(`<head><title>Short</title></head><body><p>令牌 额度 渠道 充值</p>${filler}</body>`);
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual(['令牌', '额度', '充值', '渠道']);
  });

  test('script, style and template text is not page prose', () => {
    loadPage(
      '<head><title>App</title><style>.令牌{}</style></head><body><script>window.i18n={"令牌":1,"额度":2,"渠道":3}</script>' +
        '<template><p>令牌 额度 渠道</p></template><noscript>令牌 额度 渠道</noscript><p>Hello</p></body>',
    );
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual([]);
  });

  test('footer text is bounded and read from the first few footer-like elements, nested ones once', () => {
    const longFooter = '<footer><div class="custom-footer">' + '很长的页脚 '.repeat(500) + '</div></footer>';
    loadPage(`<head><title>x</title></head><body>${longFooter}<div class="footer-links">由 JustSong 构建</div></body>`);
    const fp = collectFingerprint(document, noStorage, at('/'));
    expect(fp.footerText?.length).toBeLessThanOrEqual(FINGERPRINT_LIMITS.footerText);
    expect(pageFingerprintSchema().safeParse(fp).success).toBe(true);

    loadPage('<head><title>x</title></head><body><footer><div class="custom-footer">One API 由 JustSong 构建</div></footer></body>');
    expect(collectFingerprint(document, noStorage, at('/')).footerText).toBe('One API 由 JustSong 构建');
  });

  test('a footer named only by its class is found near the end of the page', () => {
    loadPage('<head><title>x</title></head><body><main><p>Hello</p></main><div class="app-footer"><span>One API 由 JustSong 构建</span></div><div id="modal-root"></div></body>');
    expect(collectFingerprint(document, noStorage, at('/')).footerText).toBe('One API 由 JustSong 构建');

    // <footer> and .custom-footer come first: with one of them on the page, other classes are not read.
    loadPage('<head><title>x</title></head><body><div class="post-footer">由 JustSong 构建</div><footer>© Example</footer></body>');
    expect(collectFingerprint(document, noStorage, at('/')).footerText).toBe('© Example');

    // Bounded: a class-named footer far from the end of a large page is not looked for.
    const filler = '<p>para</p>'.repeat(1000);
    loadPage(`<head><title>x</title></head><body><div class="app-footer">由 JustSong 构建</div>${filler}</body>`);
    expect(collectFingerprint(document, noStorage, at('/')).footerText).toBeUndefined();
  });

  test('an oversized meta description or title is cut to the schema limit', () => {
    loadPage(`<head><meta name="description" content="${'描述 '.repeat(5000)}"><title>${'T'.repeat(5000)}</title></head><body></body>`);
    const fp = collectFingerprint(document, noStorage, at('/'));
    expect(fp.metaDescription?.length).toBeLessThanOrEqual(FINGERPRINT_LIMITS.metaDescription);
    expect(fp.servedTitle?.length).toBe(FINGERPRINT_LIMITS.servedTitle);
    expect(pageFingerprintSchema().safeParse(fp).success).toBe(true);
  });

  test('storage: at most 64 key names, over-long names skipped, only `status` is read', () => {
    const entries: Record<string, string> = { ['k'.repeat(65)]: 'x' };
    for (let index = 0; index < 200; index++) entries[`key_${index}`] = 'secret value';
    const storage = fakeStorage(entries);
    const fp = collectFingerprint(document, () => storage, at('/'));
    expect(fp.storageKeys).toHaveLength(FINGERPRINT_LIMITS.storageKeys - 1);
    expect(fp.storageKeys.every((key) => key.length <= FINGERPRINT_LIMITS.storageKeyLength)).toBe(true);
    expect(storage.valuesRead).toEqual(['status']);
    expect(JSON.stringify(fp)).not.toContain('secret value');
  });

  test.each([
    ['not JSON', '{system_name', undefined],
    ['a JSON string', '"system_name quota_per_unit"', undefined],
    ['a JSON array', '["system_name","quota_per_unit"]', undefined],
    ['too large to be the gateway’s', JSON.stringify({ system_name: 'x', quota_per_unit: 1, pad: 'p'.repeat(70_000) }), undefined],
    ['another app’s status', '{"online":true}', { systemName: false, quotaPerUnit: false }],
    ['the gateway’s status', '{"system_name":"One API","quota_per_unit":500000}', { systemName: true, quotaPerUnit: true }],
  ])('status %s → %j', (_, status, expected) => {
    const fp = collectFingerprint(document, () => fakeStorage({ status }), at('/'));
    expect(fp.statusStorage).toEqual(expected);
  });

  test('storage that throws on access counts as empty', () => {
    const throwing: KeyValueStorage = {
      get length(): number {
        throw new DOMException('denied', 'SecurityError');
      },
      key: () => null,
      getItem: () => null,
    };
    expect(collectFingerprint(document, () => throwing, at('/')).storageKeys).toEqual([]);
  });

  test('the path keeps a hash route without its query, and drops other fragments', () => {
    expect(collectFingerprint(document, noStorage, at('/', '#/token?p=2')).path).toBe('/#/token');
    expect(collectFingerprint(document, noStorage, at('/callback', '#access_token=abc123')).path).toBe('/callback');
    expect(collectFingerprint(document, noStorage, at('/' + 'a'.repeat(500))).path).toHaveLength(FINGERPRINT_LIMITS.path);
  });
});

describe('what a person typed never enters the fingerprint', () => {
  test('text in an editable region of the footer is skipped, and key-shaped text is cut out', () => {
    document.body.innerHTML = `<footer>由 JustSong 构建 <span>${sampleKeys.anthropic}</span><div contenteditable="true">typed ${sampleKeys.openai}</div></footer>`;
    const fp = collectFingerprint(document, noStorage, { pathname: '/', hash: '' });
    expect(fp.footerText).toBe('由 JustSong 构建 …');
    expect(JSON.stringify(fp)).not.toContain(sampleKeys.anthropic.slice(20, 40));
    expect(JSON.stringify(fp)).not.toContain('typed');
  });
});

describe('how far a look goes', () => {
  /** A storage getter that counts how often the page's storage was asked for. */
  function countedStorage(entries: Record<string, string> = {}) {
    const storage = fakeStorage(entries);
    let opened = 0;
    return {
      storage,
      get opened() {
        return opened;
      },
      open: () => {
        opened++;
        return storage;
      },
    };
  }

  const GATEWAY_STORAGE = { status: '{"system_name":"One API","quota_per_unit":500000}', system_name: 'One API', quota_per_unit: '500000' };

  test('a quick look at a page whose markup shows nothing reads neither its words nor its storage', () => {
    loadPage('<head><title>Pricing</title></head><body><main><p>令牌 额度 渠道 充值</p></main></body>');
    const quick = countedStorage(GATEWAY_STORAGE);
    const fp = collectFingerprint(document, quick.open, at('/pricing'), undefined, { thorough: false });
    expect(fp.vocabulary).toEqual([]);
    expect(fp.storageKeys).toEqual([]);
    // Opening a page's storage area is a round trip to the browser: an ordinary page never pays it.
    expect(quick.opened).toBe(0);

    // The same page looked at thoroughly (it was an app shell when parsed) shows both.
    const thorough = countedStorage(GATEWAY_STORAGE);
    const full = collectFingerprint(document, thorough.open, at('/pricing'), undefined, { thorough: true });
    expect(full.vocabulary).toEqual(['令牌', '额度', '充值', '渠道']);
    expect(full.statusStorage).toEqual({ systemName: true, quotaPerUnit: true });
    expect(thorough.opened).toBe(1);
  });

  test('the default look is thorough', () => {
    loadPage('<head><title>Pricing</title></head><body><p>令牌 额度 渠道</p></body>');
    const counted = countedStorage();
    expect(collectFingerprint(document, counted.open, at('/')).vocabulary).toEqual(['令牌', '额度', '渠道']);
    expect(counted.opened).toBe(1);
  });

  test('a quick look reads the footer, words and storage once the head shows a gateway trait', () => {
    loadPage('<head><title>One API</title></head><body><p>令牌 额度 渠道</p><footer>由 Calcium-Ion 开发，基于 One API</footer></body>');
    const counted = countedStorage(GATEWAY_STORAGE);
    const fp = collectFingerprint(document, counted.open, at('/'), undefined, { thorough: false });
    expect(fp.vocabulary).toEqual(['令牌', '额度', '渠道']);
    expect(fp.statusStorage).toEqual({ systemName: true, quotaPerUnit: true });
    expect(collectedSignals(fp).map((signal) => signal.id)).toEqual([
      'gateway-status-storage',
      'gateway-storage-keys',
      'gateway-footer-credit',
      'gateway-default-title',
      'relay-vocabulary',
    ]);
    expect(counted.opened).toBe(1);
  });

  test('a quick look does not read the footer when the head and route show nothing (gateways render theirs by script)', () => {
    loadPage('<head><title>星河API</title></head><body><p>令牌 额度 渠道</p><footer>由 Calcium-Ion 开发，基于 One API</footer></body>');
    const counted = countedStorage(GATEWAY_STORAGE);
    const fp = collectFingerprint(document, counted.open, at('/'), undefined, { thorough: false });
    expect(fp).toEqual({ servedTitle: '星河API', storageKeys: [], path: '/', vocabulary: [] });
    expect(counted.opened).toBe(0);
  });

  test('a dashboard route is a trait too', () => {
    loadPage('<head><title>Console</title></head><body><p>令牌 额度 渠道</p></body>');
    const counted = countedStorage();
    const fp = collectFingerprint(document, counted.open, at('/', '#/token'), undefined, { thorough: false });
    expect(fp.vocabulary).toEqual(['令牌', '额度', '渠道']);
    expect(counted.opened).toBe(1);
  });

  test('storage whose getter throws (sandboxed frame, storage blocked) counts as none', () => {
    loadPage('<head><title>One API</title></head><body></body>');
    const fp = collectFingerprint(document, () => {
      throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError');
    }, at('/'));
    expect(fp.storageKeys).toEqual([]);
    expect(fp.statusStorage).toBeUndefined();
    expect(fp.servedTitle).toBe('One API');
  });
});

describe('editable text is never sampled', () => {
  test('words in an editable region are skipped, the rest of the page is read', () => {
    loadPage(
      '<head><title>x</title></head><body><div contenteditable="true"><p>令牌 额度</p></div><div contenteditable="plaintext-only">充值</div>' +
        '<div contenteditable="false"><p>渠道</p></div><p>倍率</p></body>',
    );
    // contenteditable="false" is not editable: its words are the page's.
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual(['倍率', '渠道']);
  });

  test('a body that is itself editable gives no words', () => {
    loadPage('<head><title>x</title></head><body contenteditable="true"><p>令牌 额度 渠道</p></body>');
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual([]);
  });

  test('a document in design mode gives no text at all', () => {
    loadPage('<head><title>x</title></head><body><p>令牌 额度 渠道</p><footer>One API 由 JustSong 构建</footer></body>');
    // happy-dom has no designMode of its own: set it as a browser reports it for such a document.
    Object.defineProperty(document, 'designMode', { value: 'on', configurable: true });
    try {
      const fp = collectFingerprint(document, noStorage, at('/'));
      expect(fp.vocabulary).toEqual([]);
      expect(fp.footerText).toBeUndefined();
    } finally {
      delete (document as { designMode?: string }).designMode;
    }
    expect(collectFingerprint(document, noStorage, at('/')).vocabulary).toEqual(['令牌', '额度', '渠道']);
  });
});
