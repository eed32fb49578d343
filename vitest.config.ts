import { defineConfig } from 'vitest/config';

/**
 * Most suites run without per-file isolation: each worker imports the server (fastify, kysely,
 * node-datachannel, the AWS SDK…) once instead of once per file, which took about 3 s per file
 * (measured: the SQLite integration suite went from 216 s to 133 s, the unit suite from 65 s
 * to about 35 s). Nothing in them stubs modules or globals. The Electron main-process specs
 * replace the `electron` module with `vi.mock`, and the packaging specs read that same module
 * graph, so those keep a fresh module registry per file.
 */
const ISOLATED = ['tests/unit/electron/**/*.test.ts', 'tests/unit/packaging/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers and WebRTC peers; much of their time is real-time audio
    // (waiting, not computing), so three workers on two cores finish sooner than two (measured:
    // 185 s against 228 s for the SQLite suite) without starving the media threads.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'unit-isolated', include: ISOLATED } },
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], isolate: false } },
    ],
  },
});
