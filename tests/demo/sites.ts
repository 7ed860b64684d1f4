import { FIXTURE_SITES, HOSTS } from '../e2e/support/sites.ts';
import type { TestList } from '../e2e/support/lists.ts';

/**
 * What the demo shows: one host per thing RelayGuard tells apart, each with the level the popup
 * must show there and one line for the index page saying what a person should see. The pages are
 * the e2e fixture sites (tests/fixtures/sites/, tests/e2e/fixtures/), under the same made-up
 * (or borrowed, never contacted) host names; only the index page is the demo's own.
 */

type Level = 'official' | 'vetted' | 'unknown' | 'unvetted' | 'blocked';

/** How the headless run visits a site. */
type Visit =
  /** Open the page; nothing to do on it. */
  | 'open'
  /** Open the page, then paste a vendor key into the relay's key field (the paste guard). */
  | 'open-and-paste'
  /** Open the chat app, type a relay token and press Send: the OpenAI SDK calls the relay. */
  | 'chat'
  /** Type the URL: the browser must land on RelayGuard's block page instead. */
  | 'blocked';

export interface DemoSite {
  /** Short name: the summary table's row and the screenshots' file names. */
  readonly id: string;
  /** What the site is, for people. */
  readonly title: string;
  readonly url: string;
  readonly expected: Level;
  /** One line: what RelayGuard should show there (index page). */
  readonly shows: string;
  readonly visit: Visit;
}

export const DEMO_HOSTS = {
  /** The index page linking every demo site. */
  index: 'relayguard-demo.test',
  /** Serves the demo blocklist the demo subscribes RelayGuard to. */
  lists: 'lists.relayguard-demo.test',
} as const;

/** Where the chat app's OpenAI SDK sends its request (its `baseURL` is this host's /v1). */
export const CHAT_RELAY_ENDPOINT = `http://${HOSTS.openAiRelayEndpoint}/v1/chat/completions`;

/** The relay's answer to the chat app, in the shape the OpenAI SDK expects. */
export const CHAT_REPLY = {
  id: 'chatcmpl-demo0001',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! (answered by a relay that saw your prompt and your key)', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
} as const;

export const DEMO_BLOCKLIST_URL = `http://${DEMO_HOSTS.lists}/demo-blocklist.json`;
export const DEMO_BLOCKLIST: TestList = {
  name: 'RelayGuard demo blocklist',
  version: '2026.11.26-demo',
  updated: '2026-11-26',
  entries: [
    {
      pattern: HOSTS.listedRelay,
      level: 'blocked',
      reason: 'Logged and resold its customers’ API keys (made up for the demo)',
      evidence: ['https://relayguard.example/demo/reports/banned-relay'],
    },
  ],
};

export const DEMO_SITES: readonly DemoSite[] = [
  {
    id: 'relay',
    title: 'A relay: one-api’s “add channel” page',
    url: `http://${HOSTS.oneApiChannelForm}/`,
    expected: 'unvetted',
    shows:
      'unvetted: amber ! badge and a warning on the page, naming one-api’s own markup (meta description, title, footer credit); ' +
      'paste the demo key below into 密钥 and RelayGuard holds it and asks first.',
    visit: 'open-and-paste',
  },
  {
    id: 'chat-app',
    title: 'A chat app calling a relay with the real OpenAI SDK',
    url: `http://${HOSTS.openAiSdkChat}/`,
    expected: 'unvetted',
    shows:
      `unknown at first; type any token and press Send: the SDK calls ${HOSTS.openAiRelayEndpoint}, and the tab turns unvetted, ` +
      'naming that endpoint.',
    visit: 'chat',
  },
  {
    id: 'look-alike',
    title: 'A vendor console look-alike',
    url: `http://${HOSTS.consoleBrandWithKeyword}/`,
    expected: 'unvetted',
    shows: 'unvetted: amber ! and a warning that the host imitates anthropic.com (a vendor’s name joined with “api”).',
    visit: 'open',
  },
  {
    id: 'blocked',
    title: 'A relay on a blocklist',
    url: `http://${HOSTS.listedRelay}/`,
    expected: 'blocked',
    shows:
      'blocked: RelayGuard’s block page instead of the site, naming the demo blocklist and its reason; ' +
      '“Continue once” lets this one tab through, still marked blocked (red ✕).',
    visit: 'blocked',
  },
  {
    id: 'vetted',
    title: 'A vetted gateway (OpenRouter)',
    url: 'http://openrouter.ai/',
    expected: 'vetted',
    shows: 'vetted: blue ✓ and no warning; the popup names the bundled list of vetted intermediaries.',
    visit: 'open',
  },
  {
    id: 'official',
    title: 'A vendor’s own console (GroqCloud)',
    url: 'http://console.groq.com/',
    expected: 'official',
    shows: 'official: green ✓ and no warning; the popup names the bundled vendors list.',
    visit: 'open',
  },
];

/**
 * Host → directory for the fixture server. Hosts not named here (openrouter.ai, console.groq.com)
 * are served from tests/e2e/fixtures/<host>/, the server's default.
 */
export function demoSiteDirs(indexDir: string, sdkBundleDir: string): Record<string, string> {
  return {
    ...FIXTURE_SITES,
    [HOSTS.sdkCdn]: sdkBundleDir,
    [DEMO_HOSTS.index]: indexDir,
  };
}

/** Real (non-.test) hosts the demo plays: each needs its own resolver rule (browser.ts). */
export function realHostsOf(sites: readonly DemoSite[]): string[] {
  return [...new Set(sites.map((site) => new URL(site.url).hostname).filter((host) => !host.endsWith('.test')))];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The index page: every demo site with one line on what RelayGuard should show there, and a
 * made-up vendor key to paste into the relay's form. `pasteKey` is generated at run time.
 */
export function indexPage(sites: readonly DemoSite[], pasteKey: string): string {
  const rows = sites
    .map(
      (site) => `
        <li data-site="${escapeHtml(site.id)}">
          <a href="${escapeHtml(site.url)}" target="_blank">${escapeHtml(site.title)}</a>
          <code>${escapeHtml(new URL(site.url).host)}</code>
          <p>${escapeHtml(site.shows)}</p>
        </li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>RelayGuard demo</title>
    <style>
      body { margin: 0 auto; max-width: 860px; padding: 24px; font: 15px/1.5 system-ui, sans-serif; color: #222; }
      h1 { margin-bottom: 4px; }
      ol { padding-left: 20px; }
      li { margin: 14px 0; }
      li a { font-weight: 600; }
      li code { margin-left: 8px; color: #666; }
      li p { margin: 2px 0 0; }
      .hint { padding: 10px 14px; background: #f1f5ff; border-radius: 6px; }
      .key { display: flex; gap: 8px; }
      .key input { flex: 1; font: 12px monospace; padding: 6px; }
    </style>
  </head>
  <body>
    <h1>RelayGuard demo</h1>
    <p>Every site below is played by a local server on 127.0.0.1 under a made-up or borrowed host name; nothing leaves this machine.</p>
    <p class="hint">
      Pin RelayGuard (the puzzle-piece icon in the toolbar → pin) to see its badge on each tab, and click it for the popup with
      the verdict and its reasons. Each link opens in a new tab. (Chromium’s bar about an unsupported command-line flag
      is the demo’s own DNS mapping, <code>--host-resolver-rules</code>.)
    </p>
    <ol>${rows}
    </ol>
    <h2>A made-up key to paste</h2>
    <p>Shaped like an OpenAI project key, generated for this demo; it works nowhere. Copy it, then paste it (Ctrl+V) into the relay’s 密钥 field.</p>
    <div class="key">
      <input id="demo-key" readonly value="${escapeHtml(pasteKey)}" aria-label="demo key" />
      <button id="copy-key" type="button">Copy</button>
    </div>
    <script>
      document.getElementById('copy-key').addEventListener('click', function () {
        var field = document.getElementById('demo-key');
        field.focus();
        field.select();
        // This page is plain http, where navigator.clipboard is missing; execCommand still copies.
        document.execCommand('copy');
        this.textContent = 'Copied';
      });
    </script>
  </body>
</html>
`;
}
