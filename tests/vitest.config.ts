import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and component tests live beside the code they test (lib/core/host.test.ts); this config
// only says where. WxtVitest wires WXT's fake browser and the project's aliases.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [WxtVitest()],
  test: {
    include: ['lib/**/*.test.ts', 'components/**/*.test.ts', 'components/**/*.test.tsx', 'entrypoints/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/setup-unit.ts'],
    restoreMocks: true,
  },
});
