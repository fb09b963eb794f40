/**
 * `npm run web`: the workbench in a browser. Starts the engine and serves the renderer and the
 * bridge on 127.0.0.1, printing a URL that carries a random access token.
 *
 * Options: `--port N` (default 5178; 0 picks a free port; a busy default falls back to a free
 * one). Environment: `WORKBENCH_DATA_DIR` (data folder), `WORKBENCH_PROMPTS_DIR` (sample
 * library seeded on first start).
 */

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from './core/engine';
import { defaultDataDir } from './core/paths';
import { startWebHost, type WebHost } from './web/web-host';

const DEFAULT_PORT = 5178;

function readVersion(): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' } }, strict: true });
  const requestedPort = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not '${values.port}'`);
  }
  const rendererDir = path.join(__dirname, '..', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} has no index.html): run 'npm run build' first`);
  }
  const dataDir = defaultDataDir();
  const promptsDir = process.env.WORKBENCH_PROMPTS_DIR
    ? path.resolve(process.env.WORKBENCH_PROMPTS_DIR)
    : path.join(__dirname, '..', '..', 'prompts');
  const engine = createEngine({ dataDir, promptsDir, host: 'web', appVersion: readVersion() });

  const start = (port: number) =>
    startWebHost({ handlers: engine.handlers, subscribe: (listener) => engine.subscribe(listener), rendererDir, port });
  let host: WebHost;
  try {
    host = await start(requestedPort);
  } catch (error) {
    const isBusy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!isBusy || values.port !== undefined) {
      engine.close();
      throw error;
    }
    host = await start(0);
  }

  console.log(`Prompt Workbench is running at ${host.url}`);
  console.log(`Data folder: ${dataDir}`);
  console.log('Open the URL above in a browser; press Ctrl+C to stop.');

  let isClosing = false;
  const shutdown = () => {
    if (isClosing) return;
    isClosing = true;
    void host.close().finally(() => {
      engine.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`Prompt Workbench could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
