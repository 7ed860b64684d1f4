import type { CDPSession, Frame, Locator, Page } from 'playwright-core';
import { pollUntil } from './poll.ts';

/**
 * RelayGuard's surfaces inside a web page, read only through the contract's hooks
 * (docs/test-contract.md, "In-page warning" and "Key paste guard"):
 *
 * - the hosts `[data-relayguard="warning"][data-level]`, `[data-relayguard="paste-guard"]` and
 *   `[data-relayguard="notice"]` are in the page's DOM, where Playwright's locators find them;
 * - everything else lives in closed shadow roots, which no page script (and so no Playwright
 *   locator or `page.evaluate`) can reach. `ClosedSurface` reaches them through the DevTools
 *   protocol, as the contract says: `DOM.getDocument` with `pierce: true` lists closed roots,
 *   `DOM.querySelector` finds an element in one, `DOM.getBoxModel` gives its position, and a
 *   button is pressed with real pointer input there (`page.mouse`), never through page script.
 *   A surface in a frame is looked for in that frame's document: through the page's session for
 *   a frame in the page's process (its document is in the pierced tree), through the frame's own
 *   session for a cross-site frame (its positions then count from the frame's corner).
 */

export const WARNING_SELECTOR = '[data-relayguard="warning"]';
export const PASTE_GUARD_SELECTOR = '[data-relayguard="paste-guard"]';
/** The small, non-blocking notice after a key paste on an unknown page that called AI APIs. */
export const NOTICE_SELECTOR = '[data-relayguard="notice"]';

export function warningHost(page: Page): Locator {
  return page.locator(WARNING_SELECTOR);
}

/** The warning's `data-level`, or null while there is no warning (never waits). */
export async function warningLevel(page: Page): Promise<string | null> {
  return page.evaluate((selector) => document.querySelector(selector)?.getAttribute('data-level') ?? null, WARNING_SELECTOR);
}

/** The parts of a DOM.getDocument node this reads. */
interface DomNode {
  readonly nodeId: number;
  readonly nodeName: string;
  readonly attributes?: string[];
  readonly children?: DomNode[];
  readonly shadowRoots?: DomNode[];
  readonly contentDocument?: DomNode;
}

const sessions = new WeakMap<Page | Frame, Promise<CDPSession | null>>();

/** A DevTools session for the page, or for a cross-site frame (null for a frame in the page's process). */
function sessionOf(target: Page | Frame): Promise<CDPSession | null> {
  let session = sessions.get(target);
  if (!session) {
    const page = 'page' in target ? target.page() : target;
    // Playwright opens sessions only for frames with a target of their own (out-of-process iframes).
    session = page.context().newCDPSession(target).catch((error: unknown) => {
      if (target === page) throw error;
      return null;
    });
    sessions.set(target, session);
  }
  return session;
}

/** The first element with `attribute="value"` in the pierced tree (shadow roots and frames included), depth first. */
function findByAttribute(node: DomNode, attribute: string, value: string): DomNode | null {
  const attributes = node.attributes ?? [];
  for (let index = 0; index < attributes.length; index += 2) {
    if (attributes[index] === attribute && attributes[index + 1] === value) return node;
  }
  const inside = [...(node.shadowRoots ?? []), ...(node.children ?? []), ...(node.contentDocument ? [node.contentDocument] : [])];
  for (const child of inside) {
    const found = findByAttribute(child, attribute, value);
    if (found) return found;
  }
  return null;
}

/** Where to look: a session, the document node to search from, and where that document's viewport sits in the page's. */
interface Scope {
  readonly session: CDPSession;
  readonly root: DomNode;
  readonly offset: { readonly x: number; readonly y: number };
}

async function scopeOf(target: Page | Frame): Promise<Scope | null> {
  const isFrame = 'page' in target && target !== target.page().mainFrame();
  const own = await sessionOf(target);
  if (own) {
    const { root } = (await own.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: DomNode };
    if (!isFrame) return { session: own, root, offset: { x: 0, y: 0 } };
    // A cross-site frame counts positions from its own viewport: add where its content box sits in the page.
    const element = await (target as Frame).frameElement();
    const corner = await element.evaluate((node) => {
      const frame = node as HTMLIFrameElement;
      const box = frame.getBoundingClientRect();
      return { x: box.left + frame.clientLeft, y: box.top + frame.clientTop };
    });
    return { session: own, root, offset: corner };
  }
  // A frame in the page's process: its document is inside the page's pierced tree, under its <iframe>.
  const frame = target as Frame;
  const session = (await sessionOf(frame.page()))!;
  const { root } = (await session.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: DomNode };
  const id = await (await frame.frameElement()).getAttribute('id');
  const owner = id ? findByAttribute(root, 'id', id) : null;
  return owner?.contentDocument ? { session, root: owner.contentDocument, offset: { x: 0, y: 0 } } : null;
}

/** A point on the page, in CSS pixels of the viewport. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * One of RelayGuard's surfaces, reached inside its closed shadow root through the DevTools
 * protocol. Node ids are only good until the next `DOM.getDocument`, so every read starts over.
 */
class ClosedSurface {
  /** The page, or the frame inside it whose document shows the surface. */
  readonly page: Page | Frame;
  /** The host's `data-relayguard` value: `warning`, `paste-guard` or `notice`. */
  readonly kind: string;

  constructor(page: Page | Frame, kind: string) {
    this.page = page;
    this.kind = kind;
  }

  /** The tab the surface is in, whose mouse presses its buttons. */
  get tab(): Page {
    return 'page' in this.page ? this.page.page() : this.page;
  }

  get host(): Locator {
    return this.page.locator(`[data-relayguard="${this.kind}"]`);
  }

  /** The node id of the first element matching `selector` inside the host's shadow root, or null. */
  async #find(selector: string): Promise<{ session: CDPSession; nodeId: number; offset: Scope['offset'] } | null> {
    const shadowRoot = await this.#shadowRoot();
    if (!shadowRoot) return null;
    const { nodeId } = await shadowRoot.session.send('DOM.querySelector', { nodeId: shadowRoot.node.nodeId, selector });
    return nodeId ? { session: shadowRoot.session, nodeId, offset: shadowRoot.offset } : null;
  }

  async #shadowRoot(): Promise<{ session: CDPSession; node: DomNode; offset: Scope['offset'] } | null> {
    const scope = await scopeOf(this.page);
    const node = scope ? findByAttribute(scope.root, 'data-relayguard', this.kind)?.shadowRoots?.[0] : undefined;
    return scope && node ? { session: scope.session, node, offset: scope.offset } : null;
  }

  /** Whether an element matching `selector` is in the surface now. */
  async has(selector: string): Promise<boolean> {
    return (await this.#find(selector)) !== null;
  }

  async attribute(selector: string, name: string): Promise<string | null> {
    const found = await this.#find(selector);
    if (!found) return null;
    const { attributes } = await found.session.send('DOM.getAttributes', { nodeId: found.nodeId });
    const index = attributes.findIndex((entry, position) => position % 2 === 0 && entry === name);
    return index === -1 ? null : (attributes[index + 1] ?? null);
  }

  /** The centre of the element's border box, or null while it has none (absent, not rendered). */
  async centre(selector: string): Promise<Point | null> {
    const found = await this.#find(selector);
    if (!found) return null;
    try {
      // A question in a small frame scrolls inside its card: bring the element into view first, as a person would.
      await found.session.send('DOM.scrollIntoViewIfNeeded', { nodeId: found.nodeId });
      const { model } = await found.session.send('DOM.getBoxModel', { nodeId: found.nodeId });
      const quad = model.border;
      const xs = [quad[0]!, quad[2]!, quad[4]!, quad[6]!];
      const ys = [quad[1]!, quad[3]!, quad[5]!, quad[7]!];
      return { x: found.offset.x + (Math.min(...xs) + Math.max(...xs)) / 2, y: found.offset.y + (Math.min(...ys) + Math.max(...ys)) / 2 };
    } catch {
      return null; // "Could not compute box model": not rendered
    }
  }

  /** What the element says (`innerText`, whitespace collapsed), read by the DevTools protocol. */
  async text(selector: string): Promise<string> {
    return ((await this.#call(selector, 'function () { return this.innerText; }')) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The whole markup of the shadow root (to prove what is not in it). */
  async markup(): Promise<string> {
    const shadowRoot = await this.#shadowRoot();
    if (!shadowRoot) return '';
    const { object } = await shadowRoot.session.send('DOM.resolveNode', { nodeId: shadowRoot.node.nodeId });
    const { result } = await shadowRoot.session.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration: 'function () { return this.innerHTML; }', returnByValue: true });
    return String(result.value ?? '');
  }

  async #call(selector: string, functionDeclaration: string): Promise<string | null> {
    const found = await this.#find(selector);
    if (!found) return null;
    const { object } = await found.session.send('DOM.resolveNode', { nodeId: found.nodeId });
    const { result } = await found.session.send('Runtime.callFunctionOn', { objectId: object.objectId!, functionDeclaration, returnByValue: true });
    return typeof result.value === 'string' ? result.value : null;
  }

  /** Waits until the element is rendered; resolves to its centre. */
  async waitRendered(selector: string, timeout = 10_000): Promise<Point> {
    return (await pollUntil(() => this.centre(selector), (point) => point !== null, {
      timeout,
      interval: 50,
      message: `${selector} in the ${this.kind} surface was never rendered`,
    }))!;
  }

  /** Whether the surface's buttons act yet (lib/page/arming.ts): `data-armed` on its actions. */
  async armed(): Promise<boolean> {
    return (await this.has('[data-armed="true"]'));
  }

  /** Waits until the buttons act: the surface was seen whole and unobscured for the arming delay. */
  async waitArmed(timeout = 10_000): Promise<void> {
    await pollUntil(() => this.armed(), (armed) => armed, { timeout, interval: 100, message: `the ${this.kind} surface never armed its buttons` });
  }

  /** A real click at the element's centre, now, armed or not (for the clickjacking tests). */
  async clickNow(selector: string): Promise<Point> {
    const point = await this.waitRendered(selector);
    await this.tab.mouse.click(point.x, point.y);
    return point;
  }

  /** A real click at the element's centre once the buttons act, as a person's would be. */
  async click(selector: string): Promise<void> {
    await this.waitRendered(selector);
    await this.waitArmed();
    await this.clickNow(selector);
  }

  /** A button of the surface, with the small part of Playwright's Locator the tests use. */
  control(selector: string): SurfaceControl {
    return { click: () => this.click(selector), textContent: () => this.text(selector), centre: () => this.centre(selector) };
  }
}

export interface SurfaceControl {
  click(): Promise<void>;
  textContent(): Promise<string>;
  centre(): Promise<Point | null>;
}

/** The paste question (test-contract.md, "Key paste guard"). */
export class PasteGuardDialog extends ClosedSurface {
  constructor(page: Page | Frame) {
    super(page, 'paste-guard');
  }

  get pasteAnyway(): SurfaceControl {
    return this.control('[data-testid="paste-anyway"]');
  }

  get cancel(): SurfaceControl {
    return this.control('[data-testid="cancel-paste"]');
  }

  /** Waits for the question to be shown (rendered, not necessarily armed). */
  async waitShown(): Promise<void> {
    await this.waitRendered('[role="dialog"]');
  }

  /** Waits for the question to be shown and its buttons to act. */
  async waitOpen(): Promise<void> {
    await this.waitShown();
    await this.waitArmed();
  }

  /** Waits for the question to leave the page (host element and all). */
  async waitClosed(): Promise<void> {
    await this.host.waitFor({ state: 'detached' });
  }

  /** Everything the question says, whitespace collapsed. */
  override async text(selector = '[role="dialog"]'): Promise<string> {
    return super.text(selector);
  }

  /** The `lang` the question is rendered in. */
  async lang(): Promise<string | null> {
    return this.attribute('[lang]', 'lang');
  }
}

/** The in-page warning card (docs/test-contract.md, "In-page warning"). */
export class WarningCard extends ClosedSurface {
  constructor(page: Page) {
    super(page, 'warning');
  }

  /** Waits for the card to be shown (rendered, not necessarily armed). */
  async waitShown(): Promise<Point> {
    return this.waitRendered('.rg-card');
  }
}
