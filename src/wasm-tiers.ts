/**
 * How V8 compiles ccql's two WebAssembly modules: the SQL parser (libpg-query, 1.7 MB) and the
 * embedded engine (PGlite, 9 MB). V8 compiles a module at once with Liftoff, its baseline
 * compiler, and by default compiles the hot functions again with TurboFan on background
 * threads. In a command that runs for seconds that second pass costs more CPU than it saves
 * (and about 90 MB for PGlite: bench/RESULTS.md, "(c)"; a `ccql deploy plan` of the IVS example
 * takes 2.0 CPU-s instead of 2.9 without the parser's). So only Liftoff, unless
 * CCQL_PGLITE_OPTIMIZE=1 (a long-lived process with heavy queries). `ccql serve`, which parses
 * every distinct statement its clients send for hours, keeps the parser's second pass.
 */
import v8 from 'node:v8';

/**
 * From now on, WebAssembly compiled in this process gets Liftoff code only. A V8 flag is
 * process-wide and read when a module is compiled: call it before loading a module.
 */
export function baselineWasmOnly(): void {
  if (process.env.CCQL_PGLITE_OPTIMIZE !== '1') v8.setFlagsFromString('--liftoff-only');
}
