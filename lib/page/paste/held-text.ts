/**
 * A paste or drop the guard is holding: its text, and where it was aimed. Shared by the page
 * watch, which holds a Claude subscription credential before the page guard is there to ask
 * about it, and the page guard, which asks.
 */
import type { InsertInputType, InsertionPoint } from './insert-text.ts';

/** The only holder of a held paste's text; `take` hands it over once and forgets it. */
export class HeldText {
  #text: string | null;

  constructor(text: string) {
    this.#text = text;
  }

  get present(): boolean {
    return this.#text !== null;
  }

  /** For deciding again once the context is known; the text stays held. */
  peek(): string {
    return this.#text ?? '';
  }

  take(): string {
    const text = this.#text ?? '';
    this.#text = null;
    return text;
  }

  drop(): void {
    this.#text = null;
  }
}

export interface HeldPaste {
  readonly held: HeldText;
  /** The caret, selection or drop point when it happened. */
  readonly point: InsertionPoint;
  readonly inputType: InsertInputType;
}
