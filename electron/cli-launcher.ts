/**
 * The `workbench` bin (dist/electron/cli.cjs): turns on Node's compile cache, then loads the
 * CLI itself (dist/electron/cli-main.cjs, bundled from cli.ts).
 *
 * The CLI bundle is large (the SDKs, the tokenizer's ranks, the price catalog); parsing and
 * compiling it is a third of a CI run's start-up. With the cache (in the OS temp folder, or
 * NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off) later runs skip that work.
 * The cache only covers code loaded after it is on, hence this separate, tiny entry.
 */

import nodeModule from 'node:module';

/**
 * V8's heap, sized for a CLI that holds little and allocates a lot (tests/bench/eval-cli.bench.ts,
 * 1,000 cells):
 * - the young generation grows to ~64 MB under an eval's allocation rate while holding a few MB;
 *   4 MB semi-spaces keep the peak ~50 MB lower at no measurable cost in time;
 * - `--optimize-for-size` grows the old generation in smaller steps: over five alternating
 *   runs the peak fell from a median of 187-207 MB (single rounds up to 210 MB) to 156-165 MB
 *   (up to 182 MB), the wall time rose about a tenth (1.7-2.3 s against 1.5-2.0 s).
 * The flags only work at start-up, so the launcher replaces itself (execve: same process, no
 * child) with a Node started with them, where the platform can.
 */
const HEAP_FLAGS = ['--max-semi-space-size=4', '--optimize-for-size'];
const isHeapConfigured = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((option) => option.includes('--max-semi-space-size'));
if (!isHeapConfigured && typeof process.execve === 'function' && process.platform !== 'win32') {
  process.execve(process.execPath, [process.execPath, ...HEAP_FLAGS, ...process.execArgv, __filename, ...process.argv.slice(2)], process.env);
}

nodeModule.enableCompileCache?.();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, after the cache is on; kept out of this bundle.
require('./cli-main.cjs');
