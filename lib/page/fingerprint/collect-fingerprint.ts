/**
 * Collects a page's `PageFingerprint` in the content script (at document_end, on every page the
 * extension runs on), so its cost has to stay near zero on ordinary pages:
 * - a handful of `querySelector` calls and lookups in the tag and class indexes, no full-DOM
 *   walk or attribute-substring query, no layout: `innerText` forces layout and is never used;
 * - text is read through a TreeWalker capped by node count and characters, so a huge page costs
 *   the same as a small one (`body.textContent` would build the whole page's text, scripts and
 *   JSON blobs included, before it could be sliced);
 * - on a page its server rendered, only the head and route, and the rest only once they show a
 *   gateway trait (LookDepth); storage: key names only, at most 64 of them; the one value read
 *   is `status`, parsed in place to learn two booleans and then dropped.
 * Nothing page-written leaves this function except short bounded fields, and vocabulary leaves as
 * the matched terms only.
 *
 * The document, storage and location come in as parameters, so this runs under happy-dom in
 * tests and never touches a browser global at import time.
 */
import { FINGERPRINT_LIMITS, RELAY_VOCABULARY, collapseWhitespace, signalsFromFingerprint } from '../../detection/page-fingerprint.ts';
import type { PageFingerprint, RelayTerm } from '../../detection/page-fingerprint.ts';

/** What is read from `location`; a plain object in tests. */
export type PageLocation = Pick<Location, 'pathname' | 'hash'>;
/** What is read from localStorage. */
export type KeyValueStorage = Pick<Storage, 'length' | 'key' | 'getItem'>;

/** `NodeFilter.SHOW_TEXT`, spelled out so nothing reads a DOM global at import time. */
const SHOW_TEXT = 4;
/** `Node.ELEMENT_NODE`. */
const ELEMENT_NODE = 1;
/** `Node.DOCUMENT_POSITION_FOLLOWING`. */
const DOCUMENT_POSITION_FOLLOWING = 4;
/** Elements whose text is not page prose: code, styles, JSON payloads. */
const NON_PROSE_PARENTS: ReadonlySet<string> = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);

/** Editable regions: their text may be what the person typed, never sampled. */
const EDITABLE_REGION = '[contenteditable]:not([contenteditable="false"])';
/** Whether a document has any candidate at all: the plainest selector, for one pass over it. */
const EDITABLE_ATTRIBUTE = '[contenteditable]';

/** The vocabulary sample: enough for a dashboard's navigation and cards, bounded on any page. */
const VOCABULARY_SAMPLE_CHARS = 4000;
const VOCABULARY_SAMPLE_NODES = 600;

/**
 * Footer-like elements: `<footer>` and one-api's `.custom-footer`, found through the browser's
 * tag and class indexes at almost no cost. Only on a page with neither is a class that merely
 * contains "footer" (`app-footer`, `layout-footer`) looked for, among the last elements of the
 * body, where footers are: a `[class*=footer]` query would test every element of a large page.
 */
const FOOTER_TAG = 'footer';
const FOOTER_CLASS = 'custom-footer';
const FOOTER_CLASS_PART = 'footer';
/** How many elements, counted back from the end of the body, are checked for a footer-like class. */
const FOOTER_TAIL_ELEMENTS = 400;
/** At most this many `<footer>`s and as many `.custom-footer`s are considered. */
const FOOTER_CANDIDATES = 16;
/** Footers checked: the credit sits in the page's one footer; wrappers and nested parts come first. */
const FOOTER_ELEMENTS_READ = 4;
const FOOTER_TEXT_NODES = 60;

/** A `status` value larger than this is not the gateway's (a few KB at most) and is not parsed. */
const STATUS_VALUE_MAX_CHARS = 64 * 1024;

/** How far a look goes beyond the document's head and route. */
export interface LookDepth {
  /**
   * Read the whole fingerprint (footer, words, storage) even when the head and route show no
   * gateway trait: for a page that was an app shell when parsed, whose content (footer, menus)
   * its scripts render, as gateway dashboards do.
   */
  readonly thorough: boolean;
}

/**
 * @param storage the page's localStorage, asked for only when it is to be read (opening a page's
 *   storage area is work of its own, so an ordinary page never has it opened: see below)
 * @param initialTitle the `<title>` text captured before the SPA could rename it (the served
 *   title); when absent or empty, the `<title>` element is read now, which is still the served
 *   one at document_end on pages that rename it after load (setting `document.title` rewrites
 *   that element, so reading it later shows the new name).
 * @param depth a quick look (`thorough: false`) reads the head (title, meta description) and the
 *   route, and the rest only if they show a gateway trait. Gateway front ends are single-page
 *   apps: what a page its server rendered could share with one is its head and its route;
 *   everything else a gateway shows, its scripts render, and an app shell's thorough look reads.
 */
export function collectFingerprint(
  doc: Document,
  storage: () => KeyValueStorage | null,
  location: PageLocation,
  initialTitle?: string,
  depth: LookDepth = { thorough: true },
): PageFingerprint {
  const metaDescription = readMetaDescription(doc);
  // An empty capture means the <title> had not been parsed yet when it was taken; read it now.
  const titleText = initialTitle?.trim() ? initialTitle : (doc.querySelector('title')?.textContent ?? '');
  // Bound before collapsing, as for the meta description: a title can be megabytes.
  const servedTitle = bounded(collapseWhitespace(titleText.slice(0, FINGERPRINT_LIMITS.servedTitle * 2)), FINGERPRINT_LIMITS.servedTitle);
  const head: PageFingerprint = {
    ...(metaDescription && { metaDescription }),
    ...(servedTitle && { servedTitle }),
    storageKeys: [],
    path: readPath(location),
    vocabulary: [],
  };
  if (!depth.thorough && signalsFromFingerprint(head).length === 0) return head;
  const footerText = withoutSecrets(readFooterText(doc));
  const vocabulary = doc.body ? matchVocabulary(boundedText(doc.body, VOCABULARY_SAMPLE_CHARS, VOCABULARY_SAMPLE_NODES)) : [];
  // Storage confirms a gateway's front end, and is read only here (never on an ordinary
  // rendered page): the first touch of localStorage opens the origin's storage area (a round
  // trip to the browser), which such a page should not pay for.
  const { storageKeys, statusStorage } = readStorage(openStorage(storage));
  return {
    ...(metaDescription && { metaDescription }),
    ...(servedTitle && { servedTitle }),
    ...(footerText && { footerText }),
    storageKeys,
    ...(statusStorage && { statusStorage }),
    path: head.path,
    vocabulary,
  };
}

/** The storage, or null where even asking for it throws (sandboxed, storage blocked). */
function openStorage(storage: () => KeyValueStorage | null): KeyValueStorage | null {
  try {
    return storage();
  } catch {
    return null;
  }
}

function bounded(text: string, maxChars: number): string {
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}

function readMetaDescription(doc: Document): string {
  const content = doc.querySelector('meta[name="description" i]')?.getAttribute('content') ?? '';
  // Bound before collapsing too: the attribute could be megabytes.
  return bounded(collapseWhitespace(content.slice(0, FINGERPRINT_LIMITS.metaDescription * 2)), FINGERPRINT_LIMITS.metaDescription);
}

/**
 * Text of the first few footer-like elements, skipping any inside one already read (one-api's
 * `.custom-footer` sits inside the footer segment). Each element's text is capped, not built whole.
 */
function readFooterText(doc: Document): string {
  const read: Element[] = [];
  const parts: string[] = [];
  let length = 0;
  for (const element of footerElements(doc)) {
    if (read.length >= FOOTER_ELEMENTS_READ || length >= FINGERPRINT_LIMITS.footerText) break;
    if (read.some((outer) => outer.contains(element))) continue;
    read.push(element);
    const text = collapseWhitespace(boundedText(element, FINGERPRINT_LIMITS.footerText, FOOTER_TEXT_NODES));
    if (!text) continue;
    parts.push(text);
    length += text.length + 1;
  }
  return bounded(parts.join(' '), FINGERPRINT_LIMITS.footerText);
}

/** The footer-like elements, in document order (see FOOTER_TAG). */
function footerElements(doc: Document): Element[] {
  const found = new Set<Element>();
  for (const collection of [doc.getElementsByTagName(FOOTER_TAG), doc.getElementsByClassName(FOOTER_CLASS)]) {
    for (let index = 0; index < FOOTER_CANDIDATES; index++) {
      const element = collection[index];
      if (!element) break;
      found.add(element);
    }
  }
  if (found.size === 0) return footerClassesNearTheEnd(doc);
  return [...found].sort((a, b) => (a.compareDocumentPosition(b) & DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

/** Elements whose class contains "footer" among the last FOOTER_TAIL_ELEMENTS of the body, in document order. */
function footerClassesNearTheEnd(doc: Document): Element[] {
  const root = doc.body;
  if (!root) return [];
  const found: Element[] = [];
  let element: Element | null = lastDescendant(root);
  for (let visited = 0; element && visited < FOOTER_TAIL_ELEMENTS; visited++) {
    if (element.getAttribute('class')?.includes(FOOTER_CLASS_PART)) found.push(element);
    element = element === root ? null : element.previousElementSibling ? lastDescendant(element.previousElementSibling) : element.parentElement;
  }
  return found.reverse();
}

/** The last element in document order within `element` (itself when it has no children). */
function lastDescendant(element: Element): Element {
  let last = element;
  while (last.lastElementChild) last = last.lastElementChild;
  return last;
}

/** Up to `maxChars` of prose text under `root`, visiting at most `maxNodes` text nodes. */
function boundedText(root: Node, maxChars: number, maxNodes: number): string {
  const ownerDocument = root.ownerDocument;
  if (!ownerDocument) return '';
  // A document in design mode is editable as a whole: nothing in it is the page's own text.
  if (ownerDocument.designMode === 'on') return '';
  // Checked once for the subtree instead of an ancestor match per text node: most pages have no
  // editable region at all, and then no node needs the check.
  const rootElement = root.nodeType === ELEMENT_NODE ? (root as Element) : null;
  if (rootElement?.closest(EDITABLE_REGION)) return '';
  const mayBeEditable = rootElement ? rootElement.querySelector(EDITABLE_ATTRIBUTE) !== null : true;
  const walker = ownerDocument.createTreeWalker(root, SHOW_TEXT);
  let text = '';
  for (let visited = 0; visited < maxNodes && text.length < maxChars; visited++) {
    const node = walker.nextNode();
    if (!node) break;
    const parent = node.parentElement;
    if (!parent || NON_PROSE_PARENTS.has(parent.tagName)) continue;
    // What a person types (a key in an editable region) is theirs, not the page's fingerprint.
    if (mayBeEditable && parent.closest(EDITABLE_REGION)) continue;
    // Separate nodes so words from adjacent elements do not run together. Only what still fits
    // is taken: a text node can be megabytes.
    text += (node.nodeValue ?? '').slice(0, maxChars - text.length) + ' ';
  }
  return bounded(text, maxChars);
}

/**
 * Long runs of key characters (`[A-Za-z0-9_-]`) are cut out of page text before it goes
 * anywhere (defence in depth): every key and token format is one (the shortest, 35 characters),
 * and a footer credit never is. Cruder than naming the secret, on purpose: nothing key-shaped
 * leaves, and the page watch needs no key classifier for it.
 */
const KEY_SHAPED_RUN = /[\w-]{32,}/g;

function withoutSecrets(text: string): string {
  return text.replace(KEY_SHAPED_RUN, '…');
}

function matchVocabulary(text: string): RelayTerm[] {
  return RELAY_VOCABULARY.filter((term) => text.includes(term)).slice(0, FINGERPRINT_LIMITS.vocabulary);
}

/**
 * Key names, bounded in count and length, and what `status` holds. Storage can throw on every
 * access (disabled cookies, sandboxed frames, a full quota in some engines): then it counts as empty.
 */
function readStorage(keyValues: KeyValueStorage | null): Pick<PageFingerprint, 'storageKeys' | 'statusStorage'> {
  const storageKeys: string[] = [];
  if (!keyValues) return { storageKeys };
  let statusStorage: PageFingerprint['statusStorage'];
  try {
    const keyCount = Math.min(keyValues.length, FINGERPRINT_LIMITS.storageKeys);
    for (let index = 0; index < keyCount; index++) {
      const key = keyValues.key(index);
      if (key !== null && key.length <= FINGERPRINT_LIMITS.storageKeyLength) storageKeys.push(key);
    }
    statusStorage = readStatusStorage(keyValues.getItem('status'));
  } catch {
    // Unreadable storage tells nothing; keep what was read.
  }
  return { storageKeys, ...(statusStorage && { statusStorage }) };
}

/** The gateway caches its `/api/status` answer here; only whether two fields exist is kept. */
function readStatusStorage(raw: string | null): PageFingerprint['statusStorage'] {
  if (raw === null || raw.length > STATUS_VALUE_MAX_CHARS) return undefined;
  let status: unknown;
  try {
    status = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof status !== 'object' || status === null || Array.isArray(status)) return undefined;
  return { systemName: Object.hasOwn(status, 'system_name'), quotaPerUnit: Object.hasOwn(status, 'quota_per_unit') };
}

/**
 * The pathname, plus the hash when it is a hash route (`#/token`); its query is dropped. Other
 * fragments (`#access_token=…` from an OAuth redirect) are not routes and are not sent.
 */
function readPath(location: PageLocation): string {
  const hash = location.hash.startsWith('#/') ? (location.hash.slice(0, FINGERPRINT_LIMITS.path).split('?', 1)[0] ?? '') : '';
  return bounded(location.pathname.slice(0, FINGERPRINT_LIMITS.path) + hash, FINGERPRINT_LIMITS.path);
}
