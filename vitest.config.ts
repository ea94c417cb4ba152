import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting (spawned CLIs, emulator latency, real clients), so more files
    // than cores run at once: on the 2-core CI machines this takes the suite from 466 s to 262 s.
    maxWorkers: '150%',
    minWorkers: 1,
    reporters: ['default'],
    // The SDK warns on every Node 20 process that its 2027 releases will need Node 22: noise in test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
