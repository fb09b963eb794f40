// `npm run bench`: runs every tests/bench/*.bench.ts (or those named on the command line) in
// its own Node process, one after the other, and prints their figures. Each is bundled with
// esbuild first (plain Node cannot load the project's extensionless TypeScript imports);
// better-sqlite3 stays external and is found in the project's node_modules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'tests', 'bench');
const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((filter) => name.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(`No benchmark in ${benchDir} matches ${wanted.join(', ') || '*.bench.ts'}`);
  process.exit(1);
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-build-'));
let failed = 0;
try {
  for (const name of benches) {
    const outfile = path.join(outDir, name.replace(/\.ts$/, '.cjs'));
    await build({
      entryPoints: [path.join(benchDir, name)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      sourcemap: 'inline',
      external: ['better-sqlite3'],
      logLevel: 'error',
    });
    console.log(`\n== ${name}`);
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--enable-source-maps', outfile], {
      stdio: 'inherit',
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
    });
    console.log(`== ${name}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result.status !== 0) failed += 1;
  }
} finally {
  fs.rmSync(outDir, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
