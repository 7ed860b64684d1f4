// @vitest-environment happy-dom
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { signalsFromFingerprint, type PageFingerprint } from '../../detection/page-fingerprint.ts';
import type { PageRequest } from '../../protocol/page-protocol.ts';
import type { KeyValueStorage, PageLocation } from './collect-fingerprint.ts';
import { RENDERED_PAGE_ELEMENTS, reportPage, SECOND_LOOK_DELAY_MS, type ReportPageDeps } from './report-page.ts';

const STOCK_DESCRIPTION = 'OpenAI 接口聚合管理，支持多种渠道包括 Azure，可用于二次分发管理 key，仅单可执行文件，已打包好 Docker 镜像，一键部署，开箱即用';
const ONE_API_FOOTER = '<footer><div class="custom-footer">One API v0.6.10 由 JustSong 构建</div></footer>';

let send: ReturnType<typeof vi.fn<(message: PageRequest) => Promise<unknown>>>;
let storageOpened: number;
let storageEntries: Record<string, string>;
/** What the single-page app does while the watch waits for its second look. */
let whileWaiting: () => void;
let waits: number[];

beforeEach(() => {
  send = vi.fn(async (_message: PageRequest) => ({ ok: true, data: { recorded: true } }));
  storageOpened = 0;
  storageEntries = {};
  whileWaiting = () => undefined;
  waits = [];
});

function storage(): KeyValueStorage {
  storageOpened++;
  const keys = Object.keys(storageEntries);
  return { length: keys.length, key: (index) => keys[index] ?? null, getItem: (key) => storageEntries[key] ?? null };
}

function deps(location: PageLocation = { pathname: '/', hash: '' }): ReportPageDeps {
  return {
    send,
    document,
    storage,
    location,
    wait: async (ms) => {
      waits.push(ms);
      whileWaiting();
    },
  };
}

/** The document as parsed: `body` markup, padded with plain paragraphs to `elements` elements in all. */
function loadPage(head: string, body: string, elements?: number): void {
  document.documentElement.innerHTML = `<head>${head}</head><body>${body}</body>`;
  if (elements === undefined) return;
  const missing = elements - document.getElementsByTagName('*').length;
  document.body.insertAdjacentHTML('beforeend', '<p>An ordinary paragraph.</p>'.repeat(missing));
  expect(document.getElementsByTagName('*').length).toBe(elements);
}

function reported(): PageFingerprint[] {
  return send.mock.calls.map(([message]) => {
    expect(message.type).toBe('page/fingerprint');
    return (message as Extract<PageRequest, { type: 'page/fingerprint' }>).fingerprint;
  });
}

const signalIds = (fingerprint: PageFingerprint) => signalsFromFingerprint(fingerprint).map((signal) => signal.id);

describe('reportPage on a page that came rendered', () => {
  test('an ordinary page: one look at its markup, no words, no storage, no second look, no message', async () => {
    // Relay words in an article are not enough to read further: the markup shows no gateway trait.
    loadPage('<title>Notes</title>', '<article><p>令牌 额度 渠道 充值</p></article>', RENDERED_PAGE_ELEMENTS);
    await reportPage(deps());
    expect(send).not.toHaveBeenCalled();
    expect(storageOpened).toBe(0);
    expect(waits).toEqual([]);
  });

  test('a page whose head shows a gateway trait is reported, read in full, and looked at again', async () => {
    storageEntries = { status: '{"system_name":"One API","quota_per_unit":500000}' };
    loadPage('<title>One API</title>', `<p>令牌 额度 渠道</p>${ONE_API_FOOTER}`, RENDERED_PAGE_ELEMENTS + 5);
    await reportPage(deps());
    expect(reported().map(signalIds)).toEqual([['gateway-status-storage', 'gateway-footer-credit', 'gateway-default-title', 'relay-vocabulary']]);
    expect(waits).toEqual([SECOND_LOOK_DELAY_MS]);
    // The second look showed nothing more: no second message.
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('a rendered page whose head and route show nothing is not read further: not its footer, words or storage', async () => {
    storageEntries = { status: '{"system_name":"星河","quota_per_unit":500000}' };
    loadPage('<title>星河API</title>', `<p>令牌 额度 渠道</p>${ONE_API_FOOTER}`, RENDERED_PAGE_ELEMENTS + 5);
    await reportPage(deps());
    // Gateways render their footer by script: on a page its server rendered, it is not theirs.
    expect(send).not.toHaveBeenCalled();
    expect(storageOpened).toBe(0);
    expect(waits).toEqual([]);
  });

  test('reported again when the second look shows more', async () => {
    loadPage('<title>One API</title>', ONE_API_FOOTER, RENDERED_PAGE_ELEMENTS);
    whileWaiting = () => document.body.insertAdjacentHTML('afterbegin', '<nav>令牌 额度 倍率 渠道</nav>');
    await reportPage(deps());
    expect(reported().map(signalIds)).toEqual([['gateway-footer-credit', 'gateway-default-title'], ['gateway-footer-credit', 'gateway-default-title', 'relay-vocabulary']]);
  });
});

describe('reportPage on an app shell', () => {
  test('is looked at thoroughly, and again once the app rendered: only that look is reported', async () => {
    loadPage('<title>Console</title><script src="/assets/index.js"></script>', '<div id="root"></div>');
    whileWaiting = () => {
      document.getElementById('root')!.innerHTML = `<nav>令牌 额度 渠道 充值</nav>${ONE_API_FOOTER}`;
    };
    await reportPage(deps());
    expect(storageOpened).toBe(2);
    expect(waits).toEqual([SECOND_LOOK_DELAY_MS]);
    expect(reported().map(signalIds)).toEqual([['gateway-footer-credit', 'relay-vocabulary']]);
  });

  test('that stays empty sends nothing', async () => {
    loadPage('<title>App</title>', '<div id="root"></div>');
    await reportPage(deps());
    expect(waits).toEqual([SECOND_LOOK_DELAY_MS]);
    expect(send).not.toHaveBeenCalled();
  });

  test('whose first look already shows a signal is reported at once, and again only for more', async () => {
    storageEntries = { status: '{"system_name":"One API","quota_per_unit":500000}' };
    loadPage(`<meta name="description" content="${STOCK_DESCRIPTION}"><title>One API</title>`, '<div id="root"></div>');
    // The app renames the tab once it runs: the served title is what counts, on both looks.
    whileWaiting = () => {
      document.title = '控制台';
      document.getElementById('root')!.innerHTML = ONE_API_FOOTER;
    };
    await reportPage(deps());
    const [first, second] = reported();
    expect(signalIds(first!)).toEqual(['gateway-meta-description', 'gateway-status-storage', 'gateway-default-title']);
    expect(signalIds(second!)).toEqual(['gateway-meta-description', 'gateway-status-storage', 'gateway-footer-credit', 'gateway-default-title']);
    expect(second!.servedTitle).toBe('One API');
  });

  test('the line between a shell and a rendered page is the element count when parsed', async () => {
    loadPage('<title>x</title>', '', RENDERED_PAGE_ELEMENTS - 1);
    await reportPage(deps());
    expect({ storageOpened, waits }).toEqual({ storageOpened: 2, waits: [SECOND_LOOK_DELAY_MS] });

    storageOpened = 0;
    waits = [];
    loadPage('<title>x</title>', '', RENDERED_PAGE_ELEMENTS);
    await reportPage(deps());
    expect({ storageOpened, waits }).toEqual({ storageOpened: 0, waits: [] });
  });
});

test('a gateway route on a rendered page counts as a trait', async () => {
  loadPage('<title>Console</title>', '<p>令牌 额度 渠道</p>', RENDERED_PAGE_ELEMENTS);
  await reportPage(deps({ pathname: '/', hash: '#/token' }));
  expect(reported().map(signalIds)).toEqual([['gateway-route', 'relay-vocabulary']]);
  expect(waits).toEqual([SECOND_LOOK_DELAY_MS]);
});

test('a background that cannot be reached is not an error: the second look still happens', async () => {
  send.mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
  loadPage('<title>Console</title>', '<div id="root"></div>');
  whileWaiting = () => {
    document.getElementById('root')!.innerHTML = ONE_API_FOOTER;
  };
  await expect(reportPage(deps())).resolves.toBeUndefined();
  expect(send).toHaveBeenCalledTimes(1);
});
