import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Which directory the fixture server plays each made-up host from. The detection fixtures live in
 * tests/fixtures/sites/ (shared with unit tests, named by what they imitate, not by host); a
 * host not listed here is served from tests/e2e/fixtures/<host>/ as before.
 */

const SITES_DIR = fileURLToPath(new URL('../../fixtures/sites/', import.meta.url));
const site = (name: string) => `${SITES_DIR}${name}`;
const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));

/** A page of the false-positive corpus (tests/fixtures/corpus/corpus.json, written by its generate.py). */
export interface CorpusPage {
  readonly name: string;
  /** What kind of page it imitates (a Chinese blog about relays, a vendor console, …). */
  readonly kind: string;
  /** The level it must keep: never `unvetted`. */
  readonly expected: 'unknown' | 'official' | 'vetted';
  readonly host: string;
  readonly path: string;
}

export const CORPUS: readonly CorpusPage[] = (JSON.parse(readFileSync(`${CORPUS_DIR}corpus.json`, 'utf8')) as { pages: CorpusPage[] }).pages;

/** The corpus pages on real hostnames (vendor consoles): the resolver must send them here too. */
export const CORPUS_REAL_HOSTS: readonly string[] = CORPUS.filter((page) => !page.host.endsWith('.test')).map((page) => page.host);

export const HOSTS = {
  /** A stock one-api deployment (meta description, footer credit, default title). */
  oneApi: 'oneapi.test',
  /** The same software's "add channel" form: a key input, a batch textarea, a contenteditable (paste guard). */
  oneApiChannelForm: 'channels.oneapi-console.test',
  /** new-api rebranded by its operator: own title and description; storage and footer give it away. */
  newApiRebranded: 'xinghe-api.test',
  /** A plain-looking dashboard whose only tell is new-api's `New-API-User` header on its /api calls. */
  headerOnlyDashboard: 'panel.quiet-gateway.test',
  /** A chat app calling a relay on another host with the OpenAI SDK. */
  openAiSdkChat: 'ask-anything.test',
  /** A writing helper calling a relay on another host with the Anthropic SDK. */
  anthropicSdkChat: 'writing-helper.test',
  /** The relay the OpenAI SDK page calls (`baseURL`), and the one the Anthropic SDK page calls. */
  openAiRelayEndpoint: 'api.relay-endpoint.test',
  anthropicRelayEndpoint: 'claude.relay-endpoint.test',
  /** Pages that talk about relays and APIs without being one. */
  relayBlog: 'relay-blog.test',
  apiDocs: 'api-docs.test',
  /**
   * Typosquats of a vendor console on real TLDs (lib/detection/lookalike.ts flags both: a brand joined with
   * a relay keyword, and a one-transposition typo). Real names need their own resolver MAP entry:
   * browser.ts lists them in REAL_FIXTURE_HOSTS.
   */
  consoleBrandWithKeyword: 'console.anthropic-api.com',
  consoleTypo: 'console.anthroipc.com',
  /** A relay a test blocklist names, and a forum post linking to it. */
  listedRelay: 'banned-relay.test',
  forum: 'forum.test',
  /**
   * Relay gateway families as deployed, stock and rebranded (tests/e2e/families.e2e.ts): each
   * plays its server (`_site.json`: API answers, headers, redirects) and its front end's start-up.
   */
  oneApiRenamed: 'gpt.renamed-panel.test',
  veloeraRebranded: 'ai.qingyun-api.test',
  oneHubStock: 'onehub-demo.test',
  doneHubRebranded: 'api.yunzhan-ai.test',
  sub2apiStock: 'sub2api-demo.test',
  sub2apiRebranded: 'api.aurora-relay.test',
  claudeRelayServiceStock: 'crs-demo.test',
  claudeRelayServiceRebranded: 'cc.xingtu-ai.test',
  /** Serves the SDK bundles built by global-setup.ts (its directory is only known at run time). */
  sdkCdn: 'sdk-cdn.test',
} as const;

export const FIXTURE_SITES: Readonly<Record<string, string>> = {
  [HOSTS.oneApi]: site('oneapi-default'),
  [HOSTS.oneApiChannelForm]: site('oneapi-channel-form'),
  [HOSTS.newApiRebranded]: site('newapi-rebranded'),
  [HOSTS.headerOnlyDashboard]: site('header-only-dashboard'),
  [HOSTS.openAiSdkChat]: site('openai-sdk-chat'),
  [HOSTS.anthropicSdkChat]: site('anthropic-sdk-chat'),
  [HOSTS.relayBlog]: site('relay-blog'),
  [HOSTS.apiDocs]: site('api-docs'),
  [HOSTS.consoleBrandWithKeyword]: site('vendor-console-lookalike'),
  [HOSTS.consoleTypo]: site('vendor-console-lookalike'),
  [HOSTS.listedRelay]: site('listed-relay'),
  [HOSTS.forum]: site('forum-post'),
  [HOSTS.oneApiRenamed]: site('oneapi-renamed'),
  [HOSTS.veloeraRebranded]: site('veloera-rebranded'),
  [HOSTS.oneHubStock]: site('onehub-stock'),
  [HOSTS.doneHubRebranded]: site('donehub-rebranded'),
  [HOSTS.sub2apiStock]: site('sub2api-stock'),
  [HOSTS.sub2apiRebranded]: site('sub2api-rebranded'),
  [HOSTS.claudeRelayServiceStock]: site('crs-stock'),
  [HOSTS.claudeRelayServiceRebranded]: site('crs-rebranded'),
  ...Object.fromEntries(CORPUS.map((page) => [page.host, `${CORPUS_DIR}${page.name}`])),
};
