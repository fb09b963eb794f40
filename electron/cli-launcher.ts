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

nodeModule.enableCompileCache?.();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, after the cache is on; kept out of this bundle.
require('./cli-main.cjs');
