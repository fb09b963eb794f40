// Bundles the Node-side entry points with esbuild: the Electron main process and preload,
// the browser host and the CLI. better-sqlite3 stays external (native), electron is provided
// by Electron itself.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  // A sandboxed preload may only require('electron') and a few built-ins: bundle everything else.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', target: 'chrome140' }),
  build({ ...common, entryPoints: ['electron/web.ts'], outfile: 'dist/electron/web.cjs' }),
]);
console.log('built dist/electron/{main,preload,web}.cjs');
