import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope, ResponseFor } from '../../../lib/protocol/messages.ts';
import type { ExtensionBrowser } from './browser.ts';
import { pollUntil } from './poll.ts';

/**
 * A managed policy for the extension under test, the way an administrator deploys one on Linux:
 * a JSON file in Chromium's managed policy folder (Debian's chromium reads
 * /etc/chromium/policies/managed/*.json), the extension's keys under
 * `3rdparty.extensions.<extension id>`. Chromium notices a changed file by itself (a few seconds)
 * and hands the new policy to storage.managed, so one browser sees several policies in turn.
 *
 * Other test runs may share the folder (each with its own unpacked copy, so its own id): the file
 * is named after this extension's id and holds nothing but its policy, and it is removed after each
 * test and when the process exits, whatever happened.
 */

const POLICY_DIR = process.env.RELAYGUARD_E2E_POLICY_DIR ?? '/etc/chromium/policies/managed';
/** Chromium waits for a policy file to settle (about 5 s) before it reloads it; margin on a busy machine. */
const POLICY_PICKUP_MS = 30_000;

declare const chrome: { storage: { managed: { get(): Promise<Record<string, unknown>> } } };

/** The id Chromium gives an unpacked extension: SHA-256 of its absolute path, first 16 bytes as hex, digits 0–f written a–p. */
function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(digit, 16))).join('');
}

export class ManagedPolicyFile {
  readonly path: string;
  readonly #extensionId: string;
  readonly #removeOnExit = () => this.remove();

  private constructor(extensionId: string) {
    this.#extensionId = extensionId;
    this.path = join(POLICY_DIR, `relayguard-e2e-${extensionId}.json`);
    process.once('exit', this.#removeOnExit);
  }

  /**
   * For the extension at `extensionPath`, checked against the id the running browser gave it.
   * Fails at once, saying why, where the folder cannot be written (it needs root, as in CI).
   */
  static for(browser: ExtensionBrowser, extensionPath: string): ManagedPolicyFile {
    const computed = unpackedExtensionId(extensionPath);
    if (computed !== browser.extensionId) {
      throw new Error(`The unpacked extension at ${extensionPath} runs as ${browser.extensionId}, not ${computed} as its path says: a policy keyed by the wrong id would never apply.`);
    }
    try {
      mkdirSync(POLICY_DIR, { recursive: true });
      accessSync(POLICY_DIR, constants.W_OK);
    } catch (error) {
      throw new Error(
        `The managed-policy tests write Chromium's policy folder ${POLICY_DIR}, which this user cannot write (${error instanceof Error ? error.message : String(error)}). ` +
          'Run them as root (CI does), or point RELAYGUARD_E2E_POLICY_DIR at the folder your Chromium reads.',
      );
    }
    return new ManagedPolicyFile(browser.extensionId);
  }

  /** Writes `policy` as this extension's managed policy (readable by everyone, as Chromium wants it). */
  write(policy: Record<string, unknown>): void {
    writeFileSync(this.path, JSON.stringify({ '3rdparty': { extensions: { [this.#extensionId]: policy } } }, null, 2), { mode: 0o644 });
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }

  /** Removes the file for good and stops watching for the process's exit. */
  dispose(): void {
    this.remove();
    process.off('exit', this.#removeOnExit);
  }

  /**
   * Writes `policy` and waits until RelayGuard applies it: the browser hands it to storage.managed,
   * and the background's view of it (what the options page shows) names exactly its keys.
   */
  async apply(browser: ExtensionBrowser, policy: Record<string, unknown>): Promise<void> {
    this.write(policy);
    await waitForManaged(browser, policy);
  }

  /** Removes the policy and waits until RelayGuard runs without one. */
  async clear(browser: ExtensionBrowser): Promise<void> {
    this.remove();
    await waitForManaged(browser, {});
  }
}

async function waitForManaged(browser: ExtensionBrowser, policy: Record<string, unknown>): Promise<void> {
  const wanted = JSON.stringify(sortKeys(policy));
  await pollUntil(
    async () => JSON.stringify(sortKeys(await (await browser.serviceWorker()).evaluate(() => chrome.storage.managed.get()))),
    (seen) => seen === wanted,
    { timeout: POLICY_PICKUP_MS, interval: 250, message: `Chromium never handed RelayGuard the managed policy ${wanted}` },
  );
  const keys = Object.keys(policy).sort();
  await pollUntil(
    async () => (await browser.sendToBackground<Envelope<ResponseFor<'user-entries/list'>>>({ type: 'user-entries/list' })),
    (answer) => answer.ok && JSON.stringify([...answer.data.managed.keys].sort()) === JSON.stringify(keys) && answer.data.managed.problems.length === 0,
    { timeout: 10_000, interval: 100, message: `RelayGuard never applied the managed policy with the keys ${keys.join(', ')}` },
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, sortKeys(item)]));
  return value;
}
