// Bundles the Node-side entry points with esbuild: the Electron main process and preload,
// the browser host and the CLI. better-sqlite3 stays external (native), electron is provided
// by Electron itself.
import fs from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // The token estimator reads import.meta.url only where __filename is missing (ES modules under
  // Vitest); in these CommonJS bundles __filename is always there.
  logOverride: { 'empty-import-meta': 'silent' },
  external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  // A sandboxed preload may only require('electron') and a few built-ins: bundle everything else.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', target: 'chrome140' }),
  build({ ...common, entryPoints: ['electron/web.ts'], outfile: 'dist/electron/web.cjs' }),
  // The `workbench` bin: a launcher (run directly, so it starts with a shebang) that turns on
  // Node's compile cache before loading the CLI's own, large bundle.
  build({ ...common, entryPoints: ['electron/cli.ts'], outfile: 'dist/electron/cli-main.cjs' }),
  build({
    ...common,
    entryPoints: ['electron/cli-launcher.ts'],
    outfile: 'dist/electron/cli.cjs',
    external: [...common.external, './cli-main.cjs'],
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
// Executable, so the `workbench` bin also runs straight from a checkout.
fs.chmodSync('dist/electron/cli.cjs', 0o755);
console.log('built dist/electron/{main,preload,web,cli,cli-main}.cjs');
