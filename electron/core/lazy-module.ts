/**
 * Packages loaded on first use instead of at start-up.
 *
 * For large packages a host may never need: the tokenizer's rank tables (~90 MB), the SDK of a
 * provider nobody configured. They stay out of the bundles and are resolved from node_modules
 * (production dependencies, shipped with the app) the first time they are called for.
 */

import { createRequire } from 'node:module';

// In the CommonJS bundles __filename is the bundle; under Vitest (ES modules) the source file.
const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/** A getter that loads `specifier` the first time it is called and returns the same module after. */
export function lazyModule<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  return () => (loaded ??= requireHere(specifier) as Module);
}
