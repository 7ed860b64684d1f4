import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '../lib/background/create-background.ts';

// createBackground registers every listener synchronously, in the service worker's first task:
// MV3 only wakes a worker for events whose listeners were registered then.
export default defineBackground(() => {
  createBackground({
    browser,
    indexedDB,
    fetch: (input, init) => fetch(input, init),
    report: (problem) => console.warn(`[RelayGuard] ${problem}`),
  });
});
