import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers and WebRTC peers; much of their time is real-time audio
    // (waiting, not computing), so three workers on two cores finish sooner than two (measured:
    // 185 s against 228 s for the SQLite suite) without starving the media threads.
    maxWorkers: 3,
  },
});
