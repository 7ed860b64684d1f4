import { GATEWAY_STORAGE_KEYS, RELAY_VOCABULARY } from '../../lib/detection/page-fingerprint.ts';
import { createRng, type Rng } from './prng.ts';

/**
 * The large page the content-script benchmark loads: a long news/magazine article page, as an
 * ordinary site serves it. Navigation, 100 sections of mixed English and Chinese prose, data
 * tables, a comment list, a sidebar, a fat footer, one small inline script of the page's own.
 * It is NOT a relay: none of RELAY_VOCABULARY, no gateway storage keys, no gateway title, no
 * meta description or footer credit of a gateway (assertNotARelay checks the first three).
 * Seeded: every run serves the same bytes.
 */

export const FIXTURE_HOST = 'daily-harbor-news.test';

const EN_WORDS = [
  'harbor', 'council', 'weather', 'market', 'ferry', 'schedule', 'river', 'bridge', 'library', 'festival',
  'season', 'report', 'budget', 'school', 'station', 'garden', 'museum', 'district', 'street', 'traffic',
  'volunteer', 'community', 'transport', 'housing', 'energy', 'water', 'coast', 'island', 'fishing', 'tourism',
  'the', 'a', 'of', 'and', 'to', 'in', 'for', 'with', 'on', 'by', 'after', 'before', 'during', 'near',
  'residents', 'officials', 'said', 'announced', 'opened', 'closed', 'expected', 'reported', 'planned', 'voted',
];
// Everyday news Chinese; deliberately none of the gateway dashboard vocabulary.
const ZH_PHRASES = [
  '港口', '天气', '市场', '渡轮', '时刻表', '河流', '大桥', '图书馆', '节日', '季节', '报告', '预算', '学校',
  '车站', '花园', '博物馆', '社区', '交通', '住房', '能源', '水务', '海岸', '岛屿', '渔业', '旅游', '居民',
  '官员表示', '宣布', '开放', '关闭', '预计', '计划', '投票', '本周', '明年', '昨天', '市政府', '志愿者',
  '新闻', '记者', '采访', '活动', '公园', '医院', '道路', '维修', '通知', '报名',
];

function sentence(rng: Rng): string {
  const zh = rng.chance(CHINESE_SENTENCE_SHARE);
  const count = zh ? rng.int(6, 14) : rng.int(8, 22);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(rng.pick(zh ? ZH_PHRASES : EN_WORDS));
  if (zh) return `${words.join('')}。`;
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rng: Rng, sentences: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(sentence(rng));
  return parts.join(' ');
}

const SECTIONS = 100;
const COMMENTS = 190;
const TABLE_ROWS = 20;
const CHINESE_SENTENCE_SHARE = 0.3;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface FixturePage {
  readonly html: string;
  /** Element count as generated (the browser's `document.getElementsByTagName('*').length` is reported separately). */
  readonly elements: number;
  readonly bytes: number;
  /** What is on it, for the report. */
  readonly summary: string;
}

/** Builds the page; `elements` counts every opening tag emitted (what a DOM element count sees). */
export function generateFixturePage(seed = 0x9a6e_2026): FixturePage {
  const rng = createRng(seed);
  const out: string[] = [];
  let elements = 0;
  /** Appends markup and counts its elements (opening tags; `<!` is not one). */
  const emit = (markup: string) => {
    out.push(markup);
    elements += markup.match(/<[a-z]/gi)?.length ?? 0;
  };

  emit('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  emit('<meta name="viewport" content="width=device-width, initial-scale=1">');
  emit('<title>Daily Harbor News · 海港日报 — Long read: the harbor district in numbers</title>');
  emit('<meta name="description" content="Local news from the harbor district: council, transport, weather, culture. 海港日报本地新闻。">');
  emit(
    '<style>body{font:16px/1.5 Georgia,serif;margin:0;color:#222}header,footer{background:#1d2b3a;color:#eee;padding:12px 24px}' +
      'nav a{color:#cde;margin-right:12px}main{display:flex;gap:24px;padding:24px}article{flex:3}aside{flex:1;font-size:14px}' +
      'table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:2px 6px}.byline{color:#666}' +
      '.comment{border-top:1px solid #eee;padding:6px 0}footer .cols{display:flex;gap:32px}footer ul{list-style:none;padding:0}</style>',
  );
  emit('</head><body>');

  // Header with navigation.
  emit('<header><div class="masthead"><strong>Daily Harbor News</strong> <span>海港日报</span></div><nav>');
  for (let i = 0; i < 40; i++) emit(`<a href="/section/${i}">${escape(rng.pick(EN_WORDS))} ${rng.pick(ZH_PHRASES)}</a>`);
  emit('</nav></header><main><article>');
  emit(`<h1>${escape(sentence(rng))}</h1><p class="byline">By <span>Staff reporter</span> · <time datetime="2026-11-26">26 Nov 2026</time></p>`);

  // Sections of prose, a table every sixth section, a list every fourth.
  let tables = 0;
  for (let s = 0; s < SECTIONS; s++) {
    emit(`<section id="s${s}"><h2>${escape(sentence(rng))}</h2>`);
    for (let p = 0; p < 4; p++) emit(`<p>${escape(paragraph(rng, rng.int(3, 6)))} <a href="/story/${s}-${p}">${escape(rng.pick(EN_WORDS))}</a> <em>${escape(rng.pick(EN_WORDS))}</em></p>`);
    if (s % 4 === 1) {
      emit('<ul>');
      for (let i = 0; i < 8; i++) emit(`<li>${escape(sentence(rng))}</li>`);
      emit('</ul>');
    }
    if (s % 6 === 2) {
      tables++;
      emit('<table><thead><tr><th>District 区</th><th>Ferries</th><th>Riders</th><th>On time</th><th>Change</th></tr></thead><tbody>');
      for (let r = 0; r < TABLE_ROWS; r++) {
        emit(
          `<tr><td>${rng.pick(ZH_PHRASES)} ${r + 1}</td><td>${rng.int(2, 40)}</td><td>${rng.int(100, 90000).toLocaleString('en-US')}</td>` +
            `<td>${rng.int(70, 99)}%</td><td>${rng.chance(0.5) ? '+' : '−'}${rng.int(0, 12)}.${rng.int(0, 9)}%</td></tr>`,
        );
      }
      emit('</tbody></table>');
    }
    emit('</section>');
  }

  // Comments.
  emit('<section id="comments"><h2>Comments 评论</h2>');
  for (let c = 0; c < COMMENTS; c++) {
    emit(`<div class="comment"><b>reader${rng.int(1, 9999)}</b> <time>${rng.int(1, 59)} min ago</time><p>${escape(paragraph(rng, rng.int(1, 3)))}</p><button type="button">Reply</button></div>`);
  }
  emit('</section></article><aside><h3>Most read 热门</h3><ol>');
  for (let i = 0; i < 30; i++) emit(`<li><a href="/popular/${i}">${escape(sentence(rng))}</a></li>`);
  emit('</ol><form action="/search"><input name="q" placeholder="Search 搜索"><textarea name="tip" rows="3"></textarea><button>Send a tip</button></form></aside></main>');

  // Fat footer: four columns of links, the usual legal line.
  emit('<footer><div class="cols">');
  for (let col = 0; col < 4; col++) {
    emit(`<div><h4>${escape(rng.pick(EN_WORDS))}</h4><ul>`);
    for (let i = 0; i < 12; i++) emit(`<li><a href="/footer/${col}/${i}">${escape(rng.pick(EN_WORDS))} ${rng.pick(ZH_PHRASES)}</a></li>`);
    emit('</ul></div>');
  }
  emit('</div><p>© 2026 Daily Harbor News Ltd. 海港日报版权所有。 <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/contact">Contact</a></p></footer>');

  // The page's own script: a reading-time badge and a clock, as news sites have.
  emit(
    '<script>document.addEventListener("DOMContentLoaded",function(){var n=document.querySelectorAll("article p").length;' +
      'var b=document.createElement("span");b.className="reading-time";b.textContent=" · "+Math.round(n/3)+" min read";' +
      'document.querySelector(".byline").appendChild(b);});' +
      'setTimeout(function(){var t=document.querySelector(".byline time");if(t)t.title=new Date().toISOString();},1000);</script>',
  );
  emit('</body></html>');

  const html = out.join('\n');
  const summary =
    `header with 40 links, ${SECTIONS} article sections of prose (${CHINESE_SENTENCE_SHARE * 100}% of sentences Chinese), ` +
    `${tables} tables of ${TABLE_ROWS} rows, ${COMMENTS} comments, sidebar with a form, 4-column footer, one small inline script of its own`;
  return { html, elements, bytes: Buffer.byteLength(html), summary };
}

/** Throws if the page carries anything the fingerprint treats as a relay signal. */
export function assertNotARelay(html: string): void {
  const term = RELAY_VOCABULARY.find((t) => html.includes(t));
  if (term !== undefined) throw new Error(`fixture page contains relay vocabulary "${term}"`);
  const key = [...GATEWAY_STORAGE_KEYS].find((k) => html.includes(k));
  if (key !== undefined) throw new Error(`fixture page mentions gateway storage key "${key}"`);
  if (/<title>\s*(?:one api|new api|one hub|done hub|veloera)/i.test(html)) throw new Error('fixture page has a gateway default title');
}
