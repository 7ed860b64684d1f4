import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Real-browser end-to-end tests: the built extension in Debian's Chromium, fixture sites on a
// local server. globalSetup builds the extension once; each test file launches one browser.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    // One Chromium at a time: the machine has two cores, and two browsers starve each other.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
