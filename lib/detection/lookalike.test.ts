import { describe, expect, it } from 'vitest';
import vendors from '../../assets/lists/vendors.json';
import { normalizeHost, type NormalizedHost } from '../core/host.ts';
import { createLookalikeDetector, lookalikeCheck, type LookalikeTechnique } from './lookalike.ts';

const OFFICIAL: readonly string[] = vendors.entries.filter((entry) => entry.level === 'official').map((entry) => entry.pattern);
const detector = createLookalikeDetector(OFFICIAL);

function host(input: string): NormalizedHost {
  const result = normalizeHost(input);
  if (!result.ok) throw new Error(`test host ${input}: ${result.error.message}`);
  return result.value;
}

const check = (input: string) => detector.check(host(input));

describe('brands derived from the official list', () => {
  it('keeps AI brands and aliases, skips generic platforms and one-letter names', () => {
    expect(detector.brands).toEqual([
      'anthropic', 'baichuan', 'baichuan-ai', 'bigmodel', 'chatgpt', 'claude', 'cohere', 'deepseek',
      'fireworks', 'gemini', 'groq', 'lingyiwanwu', 'minimax', 'minimaxi', 'mistral', 'moonshot',
      'openai', 'perplexity', 'qwen', 'siliconflow', 'stepfun', 'together',
    ]);
    for (const generic of ['googleapis', 'google', 'azure', 'amazonaws', 'amazon', 'aliyuncs', 'aliyun', 'baidubce', 'baidu', 'tencentcloudapi', 'tencent', 'volces', 'volcengine', 'x', 'z']) {
      expect(detector.brands).not.toContain(generic);
    }
    // Tenants of private suffixes in the list (aiplatform.googleapis.com) yield no brand either.
    expect(detector.brands.some((brand) => brand.includes('aiplatform') || brand.includes('bedrock'))).toBe(false);
  });

  it('activates an alias only when its vendor is in the list', () => {
    const small = createLookalikeDetector(['api.anthropic.com']);
    expect(small.brands).toEqual(['anthropic', 'claude']);
    expect(small.check(host('chatgpt-proxy.com'))).toBeNull();
    expect(small.check(host('claudeapi.net'))).toEqual({ host: 'claudeapi.net', imitates: 'anthropic.com', technique: 'brand-with-keyword' });
    expect(createLookalikeDetector([]).check(host('openai-proxy.com'))).toBeNull();
  });

  it('accepts exact-host patterns and ignores patterns that are not hosts', () => {
    const d = createLookalikeDetector(['.api.openai.com', 'not a host', '10.0.0.1']);
    expect(d.brands).toEqual(['chatgpt', 'openai']);
    expect(d.check(host('platform.openai.com'))).toBeNull();
    expect(d.check(host('0penai.com'))?.imitates).toBe('openai.com');
  });
});

describe('look-alikes', () => {
  // [host, imitates, technique]
  const positives: readonly (readonly [string, string, LookalikeTechnique])[] = [
    // (a) edit distance on the registrable name: 1 edit from 5 letters, 2 from 9.
    ['deepsek.com', 'deepseek.com', 'edit-distance'],
    ['api.deepseeek.com', 'deepseek.com', 'edit-distance'],
    ['anthroipc.com', 'anthropic.com', 'edit-distance'], // transposition
    ['antrhopic.ai', 'anthropic.com', 'edit-distance'],
    ['anthropik.net', 'anthropic.com', 'edit-distance'],
    ['anthrpoic.io', 'anthropic.com', 'edit-distance'], // two edits, allowed from 9 letters
    ['openaai.com', 'openai.com', 'edit-distance'],
    ['opnai.org', 'openai.com', 'edit-distance'],
    ['siliconfolw.com', 'siliconflow.cn', 'edit-distance'],
    ['stepfnu.com', 'stepfun.com', 'edit-distance'],
    ['minimaxx.com', 'minimaxi.com', 'edit-distance'],
    ['lingyiwanwo.com', 'lingyiwanwu.com', 'edit-distance'],
    ['deepsek-api.com', 'deepseek.com', 'edit-distance'], // a typo next to relay keywords
    // (b) character swaps: 0↔o, 1↔l↔i, 5↔s, rn↔m, vv↔w. Checked before edit distance because it
    // names what the eye misses; `openal` and `anthrop1c` are also one edit away.
    ['0penai.com', 'openai.com', 'character-swap'],
    ['openal.com', 'openai.com', 'character-swap'],
    ['api.openal.xyz', 'openai.com', 'character-swap'],
    ['0pena1.net', 'openai.com', 'character-swap'], // two swaps: beyond edit distance 1
    ['anthrop1c.com', 'anthropic.com', 'character-swap'],
    ['c1aude.ai', 'claude.ai', 'character-swap'],
    ['ciaude.com', 'claude.ai', 'character-swap'],
    ['gr0q.com', 'groq.com', 'character-swap'],
    ['deep5eek.com', 'deepseek.com', 'character-swap'],
    ['rnoonshot.ai', 'moonshot.cn', 'character-swap'],
    ['m1stral.ai', 'mistral.ai', 'character-swap'],
    ['c0here.com', 'cohere.com', 'character-swap'],
    ['lingyivvanvvu.com', 'lingyiwanwu.com', 'character-swap'],
    ['0penai-api.com', 'openai.com', 'character-swap'], // swap plus keyword
    ['api.0penai.example.com', 'openai.com', 'character-swap'], // subdomain swap next to `api`
    // (c) IDN homoglyphs: the confusable skeleton spells the brand.
    ['аpi.openаi.com', 'openai.com', 'homoglyph'], // Cyrillic а twice
    ['ореnаі.com', 'openai.com', 'homoglyph'], // Cyrillic о р е а і
    ['сlaude.ai', 'claude.ai', 'homoglyph'], // Cyrillic с
    ['сlaude.com', 'claude.ai', 'homoglyph'],
    ['deepѕeek.com', 'deepseek.com', 'homoglyph'], // Cyrillic ѕ
    ['grοq.com', 'groq.com', 'homoglyph'], // Greek ο
    ['anthrοpic.ai', 'anthropic.com', 'homoglyph'], // Greek ο
    ['mіstral.ai', 'mistral.ai', 'homoglyph'], // Cyrillic і: ordinary-word brands still count
    ['օpenai.net', 'openai.com', 'homoglyph'], // Armenian օ
    ['openäi.com', 'openai.com', 'homoglyph'], // diacritics are folded
    ['claude-аpi.com', 'claude.ai', 'homoglyph'], // homoglyph in the keyword
    ['openаi.example.com', 'openai.com', 'homoglyph'], // a homoglyph subdomain needs no context
    // (d) brand plus relay vocabulary on a domain that is not the vendor's.
    ['openai-platform.com', 'openai.com', 'brand-with-keyword'],
    ['platform-openai-api.com', 'openai.com', 'brand-with-keyword'],
    ['anthropic-console.net', 'anthropic.com', 'brand-with-keyword'],
    ['console-anthropic.com', 'anthropic.com', 'brand-with-keyword'],
    ['deepseek-login.com', 'deepseek.com', 'brand-with-keyword'],
    ['openai-proxy.com', 'openai.com', 'brand-with-keyword'],
    ['api-openai.xyz', 'openai.com', 'brand-with-keyword'],
    ['claudeapi.net', 'claude.ai', 'brand-with-keyword'],
    ['openai.relay-hub.xyz', 'openai.com', 'brand-with-keyword'],
    ['openai中转.com', 'openai.com', 'brand-with-keyword'],
    ['openai-hk.com', 'openai.com', 'brand-with-keyword'],
    ['freedeepseek.cn', 'deepseek.com', 'brand-with-keyword'],
    ['deepseek-mirror.top', 'deepseek.com', 'brand-with-keyword'],
    ['api.anthropic-relay.com', 'anthropic.com', 'brand-with-keyword'],
    ['siliconflowapi.com', 'siliconflow.cn', 'brand-with-keyword'],
    ['chatgpt-free.com', 'openai.com', 'brand-with-keyword'],
    ['gemini-api.xyz', 'google.com', 'brand-with-keyword'],
    ['qwenproxy.com', 'aliyun.com', 'brand-with-keyword'],
    ['moonshot-api.com', 'moonshot.cn', 'brand-with-keyword'], // ordinary word + strong keyword
    ['groq-gateway.dev', 'groq.com', 'brand-with-keyword'],
    ['api.openai.com.evil.xyz', 'openai.com', 'brand-with-keyword'],
    ['anthropic.api-gateway.dev', 'anthropic.com', 'brand-with-keyword'],
    ['openai-proxy.vercel.app', 'openai.com', 'brand-with-keyword'], // tenant of a private suffix
    ['claude-relay.myname.workers.dev', 'claude.ai', 'brand-with-keyword'],
    ['openai-proxy.oss-cn-hangzhou.aliyuncs.com', 'openai.com', 'brand-with-keyword'], // a bucket on a listed platform
    // Full-width forms are mapped to ASCII by IDNA before anything else sees the host.
    ['ｏｐｅｎａｉ-proxy.com', 'openai.com', 'brand-with-keyword'],
  ];

  it.each(positives)('%s imitates %s (%s)', (input, imitates, technique) => {
    expect(check(input)).toEqual({ host: host(input).display, imitates, technique });
  });

  it('shows IDN hosts in Unicode and punycode', () => {
    expect(check('аpi.openаi.com')?.host).toBe('аpi.openаi.com (xn--pi-6kc.xn--openi-7ve.com)');
  });
});

describe('never flagged', () => {
  /**
   * Every host here must stay clean (false positives are the top complaint). Decisions on the
   * ambiguous ones:
   * - openal.org: OpenAL, the audio API, since 2000. Exempt as a domain only: `openal` is one dot
   *   away from `openai` in lower case, so openal.com / api.openal.xyz stay flagged (see above).
   * - open.ai: two edits from `openai` and an ordinary word: clean.
   * - openapis.org, openapi.tools, openei.org, openair.ch, openam.org: established names within
   *   one edit of `openai`, on the known-distinct list.
   * - grok.com: xAI's own product. `groq` has four letters, too short for edit distance.
   * - deepl.com, anthropology.org, entropic.com, anthropoid.com: not look-alikes (distance or
   *   known-distinct words found by a dictionary run).
   * - The brand on another suffix (moonshot.com, mistral.fr, claude.com, chatgpt.com,
   *   siliconflow.com, stepfun.ai, minimax.io, gemini.com, perplexity.com, together.com,
   *   cohere.org, qwen.ai, openai.com.cn) is never reported: vendors own suffixes the list does
   *   not name (siliconflow.com, stepfun.ai, claude.com, chatgpt.com, minimax.io are theirs), and
   *   for ordinary-word brands the name is simply someone else's. Relays rarely use the bare
   *   brand; they add keywords, which is reported.
   * - openai-community.github.io: `community` is not relay vocabulary (it is the Hugging Face
   *   organisation that holds OpenAI's legacy models). Tenants of private suffixes are not
   *   fuzzed: openai.github.io and anthropics.github.io are the vendors' GitHub organisations.
   * - Ordinary-word brands need a strong keyword: fireworks-hub.com, moonshot-free.com clean.
   * - A bare brand in a subdomain needs relay context: anthropic.helicone.ai, openai.zendesk.com.
   */
  const vendorHosts = [
    ...OFFICIAL,
    'platform.openai.com', 'api.anthropic.com', 'docs.anthropic.com', 'claude.ai', 'ai.google.dev',
    'openai.com', 'help.openai.com', 'status.openai.com', 'anthropic.com', 'console.anthropic.com',
    'chat.deepseek.com', 'deepseek.com', 'gemini.google.com', 'kimi.moonshot.cn', 'chat.mistral.ai',
    'docs.mistral.ai', 'groq.com', 'x.ai', 'z.ai', 'chatglm.cn', 'myresource.openai.azure.com',
    'myres.cognitiveservices.azure.com', 'europe-west1-aiplatform.googleapis.com',
    'chatgpt.com', 'claude.com', 'grok.com', 'siliconflow.com', 'cloud.siliconflow.com', 'stepfun.ai',
    'minimax.io', 'api.minimax.io', 'qwen.ai', 'chat.qwen.ai', 'copilot.microsoft.com', 'deepmind.google',
  ];
  const vetted = [
    'openrouter.ai', 'huggingface.co', 'router.huggingface.co', 'gateway.ai.cloudflare.com',
    'ai-gateway.vercel.sh', 'api.portkey.ai', 'oai.helicone.ai', 'anthropic.helicone.ai',
    'api.replicate.com', 'api.novita.ai',
  ];
  const ordinary = [
    'google.com', 'www.google.com', 'youtube.com', 'facebook.com', 'wikipedia.org', 'en.wikipedia.org',
    'amazon.com', 'twitter.com', 'x.com', 'instagram.com', 'linkedin.com', 'reddit.com', 'netflix.com',
    'microsoft.com', 'apple.com', 'github.com', 'gitlab.com', 'stackoverflow.com', 'bing.com',
    'yahoo.com', 'baidu.com', 'bilibili.com', 'zhihu.com', 'weibo.com', 'qq.com', 'taobao.com',
    'jd.com', 'csdn.net', 'juejin.cn', 'gitee.com', 'npmjs.com', 'www.npmjs.com', 'pypi.org',
    'docs.python.org', 'developer.mozilla.org', 'medium.com', 'notion.so', 'slack.com', 'discord.com',
    'zoom.us', 'dropbox.com', 'paypal.com', 'cloudflare.com', 'vercel.com', 'openstreetmap.org',
    'openssl.org', 'opencv.org', 'openjdk.org', 'opentable.com', 'openvpn.net', 'opentelemetry.io',
    'opensea.io', 'openart.ai', 'openapis.org', 'openapi.tools', 'open.ai', 'openei.org', 'openair.ch',
    'openam.org', 'openal.org', 'www.openal.org', 'openal-soft.org', 'openal.sourceforge.net',
    'deepl.com', 'anthropology.org', 'entropic.com', 'anthropoid.com', 'moonshot.com', 'mistral.fr',
    'coherent.com', 'clause.io', 'gemini.com', 'exchange.gemini.com', 'fireworks.com', 'together.com',
    'perplexity.com', 'cohere.org', 'bigmode.com', 'openai.com.cn', 'openai.github.io',
    'anthropics.github.io', 'openai-community.github.io', 'deepseek-ai.github.io',
    'fireworks-hub.com', 'moonshot-free.com', 'openai.zendesk.com', 'deepsek.example.com',
    'grokipedia.com', 'stepstone.com', 'siliconvalley.com', 'claudemonet.org', 'qwerty.com',
  ];
  const notPublic = [
    'localhost', 'openai-proxy.localhost', 'openai-proxy.lan', 'anthropic-relay.internal',
    '127.0.0.1', '192.168.1.10', '10.0.0.5', '8.8.8.8', '[::1]', '[2001:db8::1]',
  ];

  it('has a popular-site table of at least 60 hosts', () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(60);
  });

  it.each([...vendorHosts, ...vetted, ...ordinary, ...notPublic])('%s', (input) => {
    expect(check(input)).toBeNull();
  });

  it('honours exempt hosts and their subdomains', () => {
    const d = createLookalikeDetector(OFFICIAL, { exemptHosts: ['openai-proxy.mycorp.com', '.claude-api.example'] });
    expect(d.check(host('openai-proxy.mycorp.com'))).toBeNull();
    expect(d.check(host('eu.openai-proxy.mycorp.com'))).toBeNull();
    expect(d.check(host('claude-api.example'))).toBeNull();
    expect(d.check(host('openai-relay.mycorp.com'))).not.toBeNull();
  });
});

describe('a mixed sample of ordinary and look-alike hosts', () => {
  // How fast check() runs is a bench figure (`npm run bench`), never a unit-test assertion.
  it('reports exactly the look-alikes, and answers the same every time it is asked', () => {
    const sample = [
      'google.com', 'en.wikipedia.org', 'github.com', 'stackoverflow.com', 'api.openai.com',
      'platform.deepseek.com', 'openai-proxy.com', 'аpi.openаi.com', 'deepsek.com', 'news.ycombinator.com',
      'www.bilibili.com', 'openal.com', 'some-long-subdomain.cdn.example-provider.net', 'c1aude.ai',
      'docs.python.org', 'anthropology.org', 'static.zhihu.com', 'api.siliconflow.cn', 'a.b.c.d.e.f.example.co.uk',
      'lingyiwanwu-relay.xyz',
    ].map(host);
    const found = () => sample.filter((candidate) => detector.check(candidate) !== null).map((candidate) => candidate.host);
    const first = found();
    expect(first).toEqual(['openai-proxy.com', host('аpi.openаi.com').host, 'deepsek.com', 'openal.com', 'c1aude.ai', 'lingyiwanwu-relay.xyz']);
    for (let round = 0; round < 50; round++) expect(found()).toEqual(first);
  });
});

describe('lookalikeCheck: the reason TabVerdicts shows', () => {
  const check = lookalikeCheck(createLookalikeDetector(['api.openai.com', 'platform.openai.com']));

  it('names the host as displayed and the vendor it imitates, at unvetted', () => {
    expect(check('openai-proxy.com')).toEqual({ kind: 'lookalike', level: 'unvetted', source: 'openai-proxy.com', detail: 'openai.com' });
  });

  it('is silent for the vendor itself and for text that is not a host', () => {
    expect(check('platform.openai.com')).toBeNull();
    expect(check('not a host')).toBeNull();
  });
});
