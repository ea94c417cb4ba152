import { defineConfig } from 'vitest/config';

/**
 * Unit files that share one module cache: pure functions over src/, no engine, no module-level
 * process state left behind (fs-atomic.test.ts restores CCQL_HOME after each test, fake timers are
 * restored in afterEach). Importing src/ and the SDK again for each of them cost more CPU than
 * their tests (75 CPU-s isolated against 41 s shared, measured on this set).
 *
 * Kept out, in isolated forks: test/unit/engine/ (sets process.env.TZ at import and starts PGlite),
 * and the three files that each spend 15–30 s in one call (regenerating providers/ or docs/), so that
 * they run beside everything else instead of queueing behind the shared worker.
 */
const SHARED_UNIT = 'test/unit/**/*.test.ts';
const ISOLATED_UNIT = ['test/unit/engine/**/*.test.ts', 'test/unit/catalog/generate.test.ts', 'test/unit/catalog/stackql-names.test.ts', 'test/unit/docs/generate.test.ts'];

/**
 * Integration files (an emulator and Sessions in the test's process) that share one worker
 * thread's module cache, and so one embedded engine: each of them isolated paid about 2 CPU-s to
 * load src/ and the SDK and to start PGlite again (108 CPU-s for these 29 files; 52 in one
 * thread). Each starts and stops its own emulator and Sessions, and leaves nothing else behind.
 * (A thread, not a fork: the forks pool's isolation is one setting for all its projects.)
 *
 * Kept out, in isolated forks: the files that each spend 15–30 s on every resource type (and
 * the AWS CLI ones, spent in its Python processes), so that they run beside the others instead
 * of queueing behind them in the one thread.
 */
const SHARED_INTEGRATION = 'test/{integration,emulator}/**/*.test.ts';
const HEAVY_INTEGRATION = ['test/integration/templates*.test.ts', 'test/integration/stackql-suite.test.ts', 'test/emulator/emulator-roundtrip.test.ts', 'test/emulator/*awscli*.test.ts'];

const ISOLATED = ['test/{conformance,e2e}/**/*.test.ts', ...HEAVY_INTEGRATION, ...ISOLATED_UNIT];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Most test time is spent waiting (spawned CLIs, emulator latency, real clients), so more files
    // than cores run at once: on the 2-core CI machines this takes the suite from 466 s to 262 s.
    maxWorkers: '150%',
    minWorkers: 1,
    poolOptions: {
      // One thread for the shared unit files, then for the shared integration files (a module cache each).
      threads: { isolate: false, maxThreads: 1, minThreads: 1 },
      // Isolation is one setting for the whole forks pool (vitest 3): every forks file runs alone.
      forks: { isolate: true },
    },
    reporters: ['default'],
    // The SDK warns on every Node 20 process that its 2027 releases will need Node 22: noise in test logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: [SHARED_UNIT], exclude: ISOLATED_UNIT, pool: 'threads' } },
      { extends: true, test: { name: 'integration', include: [SHARED_INTEGRATION], exclude: HEAVY_INTEGRATION, pool: 'threads' } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, pool: 'forks' } },
    ],
  },
});
