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

/** What `--help` prints. */
const USAGE = `Usage: npm run web [-- --port N]   (or: node dist/electron/web.cjs [--port N])

Starts Prompt Workbench in the browser: the engine, and the app served on 127.0.0.1 only, at a
URL that carries a random access token (printed below; open it in a browser).

Options:
  --port <n>   the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one). Without it, a busy
               ${DEFAULT_PORT} falls back to a free port, and says so.
  -h, --help   show this help.

Environment:
  WORKBENCH_DATA_DIR      the data folder (database, settings); default: the desktop app’s.
  WORKBENCH_PROMPTS_DIR   the sample library seeded into an empty data folder; default: prompts/.
  OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST: provider keys and the Ollama host, as in the app.`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help === true) {
    console.log(USAGE);
    return;
  }
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
    console.log(`Port ${DEFAULT_PORT} is in use (another workbench?); using ${new URL(host.url).port} instead.`);
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

/** An error said for the console: an unknown option plainly, with where the options are listed. */
function startError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if ((error as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message;
  const option = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
  return `Unknown option ${option} (--help lists the options)`;
}

main().catch((error: unknown) => {
  console.error(`Prompt Workbench could not start: ${startError(error)}`);
  process.exit(1);
});
