/**
 * `workbench eval` at scale: 1,000 cells (250 cases x 2 versions x 2 models, cheap assertions)
 * against an instant local OpenAI-protocol server, run as a real CLI process at concurrency 4.
 * Prints the wall time of the whole process (start-up included), cells per second, peak RSS,
 * and the engine's own cost per cell: the eval's time and CPU over a bare `openai` SDK client
 * sending the same 1,000 requests four at a time from its own process.
 * (Goals: under 3 s, under 200 MB, well under 1 ms of overhead per cell.) The CLI runs as the
 * `workbench` bin does (launcher and compile cache); the first round starts with an empty cache.
 */

import { spawn } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createEngine, DATABASE_FILE_NAME } from '../../electron/core/engine';
import { dispatchCall } from '../../electron/core/rpc';
import { startOpenAiServer } from '../fixtures/openai-server';
import { cleanUp, heading, makeTempDir, ms, percentile, row } from './bench-support';

const CASES = 250;
const MODELS = ['gpt-4o-mini', 'gpt-4o'];
const CONCURRENCY = 4;
const ROUNDS = 5;
const KEY = 'bench-key';
/** The project: run-bench.mjs points NODE_PATH at its node_modules (this file runs bundled from a temp folder). */
const ROOT = process.env.NODE_PATH ? path.dirname(process.env.NODE_PATH) : process.cwd();
const NODE_PATH = path.join(ROOT, 'node_modules');

interface CliStats {
  evalMs: number;
  cells: number;
  maxRssKb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  cpuBeforeEvalMs: number;
  uptimeMs: number;
}

/** Runs a Node process to its end; its wall time, exit code and output. */
function runProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; code: number | null; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ wallMs: performance.now() - started, code, stdout, stderr })));
}

/** A data folder with the built-in OpenAI provider on `baseUrl` and the Bench prompt (two versions, 250 cases). */
async function prepareData(baseUrl: string): Promise<string> {
  const dataDir = makeTempDir();
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: 'bench', environment: {} });
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await dispatchCall(engine.handlers, channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  await call('providers:save', { id: 1, kind: 'openai', label: 'OpenAI', baseUrl, keySource: 'environment', keyVariable: 'OPENAI_API_KEY' });
  const { prompt } = await call<{ prompt: { id: number } }>('prompts:create', { name: 'Bench' });
  for (const tag of ['V1', 'V2']) {
    await call('versions:save', {
      promptId: prompt.id,
      content: { model: 'openai/gpt-4o-mini', parameters: {}, messages: [{ role: 'system', content: `${tag}: one sentence.` }, { role: 'user', content: 'Tell me about {{topic}}.' }] },
      variables: {},
      note: tag,
    });
  }
  await call('evals:saveSuite', {
    promptId: prompt.id,
    defaultAssertions: [{ type: 'word-count', min: 1, max: 50 }],
    cases: Array.from({ length: CASES }, (_, index) => ({
      description: `Case ${index + 1}`,
      variables: { topic: `topic number ${index + 1}` },
      expected: 'Hello, side by side!',
      assertions: [{ type: 'contains', value: 'side' }, { type: 'regex', pattern: '^Hello' }],
    })),
  });
  engine.close();
  return dataDir;
}

/** The bare SDK: the same requests, four at a time, from a process of its own. */
const BARE_CLIENT = `
const { OpenAI } = require('openai');
const [baseURL, key, total, concurrency] = process.argv.slice(1);
const client = new OpenAI({ apiKey: key, baseURL, maxRetries: 0, organization: null, project: null });
const models = ${JSON.stringify(MODELS)};
(async () => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < Number(total)) {
      const index = next++;
      const stream = await client.chat.completions.create({
        model: models[index % models.length],
        messages: [{ role: 'system', content: 'V1: one sentence.' }, { role: 'user', content: 'Tell me about topic number ' + index + '.' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      if (!text.includes('side')) throw new Error('unexpected answer ' + text);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }));
})();
`;

async function main(): Promise<void> {
  const server = await startOpenAiServer({ apiKey: KEY, models: MODELS });
  try {
    // Bundled as the build bundles the `workbench` bin (a launcher turning on Node's compile
    // cache, and the CLI); by a child, since esbuild's API cannot run from this bundled file.
    const folder = makeTempDir();
    const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', external: ['better-sqlite3', './cli-main.cjs'], logLevel: 'error' };
    const bundled = await runProcess(
      [
        '-e',
        `const { buildSync } = require('esbuild');
         buildSync(${JSON.stringify({ ...common, entryPoints: [path.join(ROOT, 'electron', 'cli.ts')], outfile: path.join(folder, 'cli-main.cjs') })});
         buildSync(${JSON.stringify({ ...common, entryPoints: [path.join(ROOT, 'electron', 'cli-launcher.ts')], outfile: path.join(folder, 'cli.cjs') })});`,
      ],
      {},
    );
    if (bundled.code !== 0) throw new Error(`Bundling the CLI failed: ${bundled.stderr}`);
    const cli = path.join(folder, 'cli.cjs');
    // A compile cache of its own: the first round starts cold, as a CI machine's first run does.
    const compileCache = makeTempDir();

    const cells = CASES * 2 * MODELS.length;
    const runs: { wallMs: number; stats: CliStats }[] = [];
    const bare: { wallMs: number; cpuMs: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const dataDir = await prepareData(server.baseUrl);
      const result = await runProcess(
        [cli, 'eval', 'Bench', '--versions', '1,2', '--models', MODELS.map((model) => `openai:${model}`).join(','), '--concurrency', String(CONCURRENCY), '--data-dir', dataDir],
        { OPENAI_API_KEY: KEY, WORKBENCH_CLI_STATS: '1', NODE_COMPILE_CACHE: compileCache },
      );
      const statsLine = /workbench-stats (.+)/.exec(result.stderr);
      if (result.code !== 0 || statsLine === null) throw new Error(`The CLI failed (exit ${result.code}): ${result.stderr}\n${result.stdout}`);
      const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME), { readonly: true });
      const stored = database.prepare("SELECT count(*) AS passed FROM eval_cells WHERE status = 'passed'").get() as { passed: number };
      database.close();
      if (stored.passed !== cells) throw new Error(`Expected ${cells} passed cells, found ${stored.passed}`);
      runs.push({ wallMs: result.wallMs, stats: JSON.parse(statsLine[1]) as CliStats });

      const bareResult = await runProcess(['-e', BARE_CLIENT, server.baseUrl, KEY, String(cells), String(CONCURRENCY)], {});
      if (bareResult.code !== 0) throw new Error(`The bare client failed: ${bareResult.stderr}`);
      bare.push(JSON.parse(bareResult.stdout) as { wallMs: number; cpuMs: number });
    }

    const median = (values: number[]) => percentile(values, 0.5);
    const wall = median(runs.map((run) => run.wallMs));
    const evalMs = median(runs.map((run) => run.stats.evalMs));
    const rssMb = median(runs.map((run) => run.stats.maxRssKb)) / 1024;
    const maxRssMb = Math.max(...runs.map((run) => run.stats.maxRssKb)) / 1024;
    const evalCpu = median(runs.map((run) => run.stats.cpuUserMs + run.stats.cpuSystemMs - run.stats.cpuBeforeEvalMs));
    const startup = median(runs.map((run) => run.stats.uptimeMs - run.stats.evalMs));
    const bareWall = median(bare.map((entry) => entry.wallMs));
    const bareCpu = median(bare.map((entry) => entry.cpuMs));

    heading(`workbench eval: ${cells} cells (${CASES} cases x 2 versions x ${MODELS.length} models), concurrency ${CONCURRENCY}, instant local server (median of ${ROUNDS})`);
    row('wall time of the CLI process (goal < 3 s)', `${ms(wall)} (rounds: ${runs.map((run) => ms(run.wallMs)).join(', ')}; the first without compile cache)`);
    row('cells per second, whole process', `${((cells * 1000) / wall).toFixed(0)} cells/s`);
    row('cells per second, eval alone', `${((cells * 1000) / evalMs).toFixed(0)} cells/s (${ms(evalMs)})`);
    row('start-up and exit (process time outside the eval)', ms(startup));
    row('peak RSS (goal < 200 MB)', `${rssMb.toFixed(1)} MB (highest round ${maxRssMb.toFixed(1)} MB)`);
    row('bare openai SDK, same requests x4 (own process)', `${ms(bareWall)}, CPU ${ms(bareCpu)}`);
    row('engine overhead per cell, wall (eval - bare) / cells', ms((evalMs - bareWall) / cells));
    row('engine CPU per cell over the bare SDK', ms((evalCpu - bareCpu) / cells));
    row('CLI CPU per cell during the eval', ms(evalCpu / cells));
  } finally {
    await server.close();
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
