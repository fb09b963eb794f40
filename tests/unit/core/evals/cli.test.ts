/**
 * `workbench eval` as a real process (the CLI bundled as the build bundles it) against the
 * OpenAI-protocol fixture: exit codes around the threshold, JSON that matches the database,
 * usage errors, a `.prompt.yml` file imported as a prompt and its suite, Ctrl+C.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import type { EvalDetail } from '../../../../shared/eval-types';
import { startOpenAiServer, type OpenAiChatRequest, type OpenAiServer } from '../../../fixtures/openai-server';
import { bundleForNode, makeTempDir } from '../../support';
import { afterTest, startWorkbench } from '../runs/run-harness';
import { createEvalPrompt, readRequest, replyText, topicCase } from './eval-harness';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');
const CHAT = '/v1/chat/completions';
const KEY = 'test-openai-key';
const TOPICS = ['tides', 'volcanoes', 'glaciers', 'deserts'];

let cli = '';

beforeAll(async () => {
  // Not makeTempDir's: those go after each test, and the bundle serves them all.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-cli-'));
  cli = path.join(folder, 'cli.cjs');
  await bundleForNode(path.join(ROOT, 'electron', 'cli.ts'), cli);
  return () => fs.rmSync(folder, { recursive: true, force: true });
}, 60_000);

/** v2 no longer names tides. */
function factReply(request: OpenAiChatRequest) {
  const { tag, topic } = readRequest(request);
  return replyText(tag === 'V2' && topic === 'tides' ? 'I would rather not say.' : `Here is a fact about ${topic}.`);
}

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end. */
function runCli(args: string[], options: { onStart?: (child: ReturnType<typeof spawn>) => void; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), OPENAI_API_KEY: KEY, WORKBENCH_DATA_DIR: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  afterTest(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** A data folder whose built-in OpenAI provider points at the fixture (key from OPENAI_API_KEY); with `setUp`, more is stored first. */
async function emptyData(server: OpenAiServer, setUp?: (workbench: ReturnType<typeof startWorkbench>) => Promise<unknown>): Promise<string> {
  const dataDir = makeTempDir();
  const workbench = startWorkbench({ dataDir });
  await workbench.call('providers:save', { id: 1, kind: 'openai', label: 'OpenAI', baseUrl: server.baseUrl, keySource: 'environment', keyVariable: 'OPENAI_API_KEY' });
  await setUp?.(workbench);
  workbench.engine.close();
  return dataDir;
}

/** That folder holding the Facts prompt too. */
function prepareData(server: OpenAiServer): Promise<string> {
  return emptyData(server, (workbench) => createEvalPrompt(workbench, TOPICS.map((topic) => topicCase(topic))));
}

/** Writes a `.prompt.yml` named `name` that asks about {{topic}}, with `rest` (testData, evaluators...) after its messages; returns its path. */
function writeFactsFile(fileName: string, name: string, rest: readonly string[]): string {
  const file = path.join(makeTempDir(), fileName);
  fs.writeFileSync(file, [`name: ${name}`, 'model: openai/gpt-4o-mini', 'messages:', '  - role: user', '    content: "Tell me about {{topic}}."', ...rest, ''].join('\n'));
  return file;
}

async function startServer(options: Parameters<typeof startOpenAiServer>[0] = {}): Promise<OpenAiServer> {
  const server = await startOpenAiServer({ apiKey: KEY, replyFor: factReply, ...options });
  afterTest(server.close);
  return server;
}

describe('workbench eval', () => {
  test('exits 0 when every column reaches the threshold and 1 when one does not, printing the table, failures, regressions and improvements', async () => {
    const server = await startServer();
    const dataDir = await prepareData(server);
    const passing = await runCli(['eval', 'Facts', '--versions', '1,2', '--threshold', '0.75', '--baseline', '1', '--data-dir', dataDir]);
    expect([passing.code, passing.stderr]).toStrictEqual([0, '']);
    expect(passing.stdout).toContain('PASS: every column reached 75%');
    const failing = await runCli(['eval', 'facts', '--versions', '1,2', '--baseline', '1', '--data-dir', dataDir]);
    expect([failing.code, failing.stderr]).toStrictEqual([1, '']);
    const lines = failing.stdout.split('\n');
    expect(lines.filter((line) => /^v\d · OpenAI \/ gpt-4o-mini/.test(line)).map((line) => line.split(/\s{2,}/).slice(0, 2))).toStrictEqual([
      ['v1 · OpenAI / gpt-4o-mini', '100%'],
      ['v2 · OpenAI / gpt-4o-mini', '75%'],
    ]);
    expect(lines).toContain('Failures on v2 · OpenAI / gpt-4o-mini (1):');
    expect(lines.some((line) => line.startsWith('  fail   case 1 "About tides": '))).toBe(true);
    expect(lines).toContain('Regressions: passed on v1, fail now (1):');
    expect(lines).toContain('  case 1 "About tides" on v2 · OpenAI / gpt-4o-mini');
    expect(lines.at(-2)).toBe('FAIL: 1 column is below 100%');
    // Against v2, the same case reads as fixed on v1.
    const reversed = (await runCli(['eval', 'Facts', '--versions', '1,2', '--baseline', '2', '--data-dir', dataDir])).stdout.split('\n');
    expect(reversed.slice(reversed.findIndex((line) => line.startsWith('Improvements:')), -3)).toStrictEqual([
      'Improvements: failed on v2, pass now (1):',
      '  case 1 "About tides" on v1 · OpenAI / gpt-4o-mini',
    ]);
    expect(reversed.some((line) => line.startsWith('Regressions:'))).toBe(false);
    // The later runs were answered from the cache: the server heard 8 requests in all.
    expect(server.requestsTo(CHAT)).toHaveLength(8);
  });

  test('--json prints the eval as stored: it parses and matches the SQLite file', async () => {
    const server = await startServer();
    const dataDir = await prepareData(server);
    const result = await runCli(['eval', 'Facts', '--versions', '1,2', '--json', '--threshold', '0.8', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    const printed = JSON.parse(result.stdout) as EvalDetail & { promptName: string; threshold: number; isPassing: boolean };
    expect([printed.promptName, printed.threshold, printed.isPassing, printed.status, printed.cellCount]).toStrictEqual(['Facts', 0.8, false, 'done', 8]);

    const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME), { readonly: true });
    afterTest(() => {
      database.close();
    });
    const stored = database
      .prepare<[number], Record<string, unknown>>(
        `SELECT status, cell_count AS cellCount, done_count AS doneCount, passed_count AS passedCount, failed_count AS failedCount,
                error_count AS errorCount, cost_usd AS costUsd, finished_at AS finishedAt FROM evals WHERE id = ?`,
      )
      .get(printed.id);
    const cells = database
      .prepare<[number], { caseId: number; columnKey: string; status: string; score: number; runId: number; costUsd: number; latencyMs: number; runCost: number }>(
        `SELECT c.case_id AS caseId, col.key AS columnKey, c.status, c.score, c.run_id AS runId, c.cost_usd AS costUsd,
                c.latency_ms AS latencyMs, r.cost_usd AS runCost
         FROM eval_cells c JOIN eval_columns col ON col.id = c.column_id JOIN runs r ON r.id = c.run_id
         WHERE c.eval_id = ? ORDER BY c.case_id, col.position`,
      )
      .all(printed.id);
    expect({
      status: printed.status,
      cellCount: printed.cellCount,
      doneCount: printed.doneCount,
      passedCount: printed.passedCount,
      failedCount: printed.failedCount,
      errorCount: printed.errorCount,
      costUsd: printed.costUsd,
      finishedAt: printed.finishedAt,
    }).toStrictEqual({ ...stored, costUsd: Math.round((stored?.costUsd as number) * 1e12) / 1e12 });
    expect(printed.cells.map((cell) => [cell.caseId, cell.columnKey, cell.status, cell.score, cell.runId, cell.costUsd, cell.latencyMs])).toStrictEqual(
      cells.map((cell) => [cell.caseId, cell.columnKey, cell.status, cell.score, cell.runId, cell.costUsd, cell.latencyMs]),
    );
    expect(cells.every((cell) => cell.costUsd === cell.runCost && cell.runCost > 0)).toBe(true);
    // And it is what the app reads back.
    const workbench = startWorkbench({ dataDir });
    const { promptName, threshold, isPassing, ...detail } = printed;
    void [promptName, threshold, isPassing];
    expect(detail).toStrictEqual(await workbench.call('evals:get', { evalId: printed.id }));
  });

  test('bad arguments and unknown prompts, providers or versions exit 2 with a message saying what to fix', async () => {
    const server = await startServer();
    const dataDir = await prepareData(server);
    const cases: [string[], string][] = [
      [['eval', 'Nope', '--data-dir', dataDir], `workbench: No prompt named "Nope" in ${dataDir} (its prompts: "Facts"); give a name, or the path of a .prompt.yml file\n`],
      [['eval', 'Facts', '--concurrency', '0', '--data-dir', dataDir], 'workbench: --concurrency must be a whole number from 1 to 32, not "0"\n'],
      [['eval', 'Facts', '--threshold', '2', '--data-dir', dataDir], 'workbench: --threshold must be a pass rate from 0 to 1 (or 0% to 100%), not "2"\n'],
      [['eval', 'Facts', '--models', 'gpt-4o', '--data-dir', dataDir], 'workbench: --models entry "gpt-4o" is not provider:model (for example openai:gpt-4o-mini or ollama:llama3.2)\n'],
      [
        ['eval', 'Facts', '--models', 'mistral:large', '--data-dir', dataDir],
        'workbench: --models: no provider "mistral"; the configured providers are "OpenAI" (openai), "Anthropic" (anthropic), "Ollama" (ollama). Add one in the app’s settings, or use one of these labels or kinds\n',
      ],
      [['eval', 'Facts', '--versions', '7', '--data-dir', dataDir], `workbench: The prompt “Facts” has no version 7\n`],
      [['eval', 'Facts', '--frobnicate', '--data-dir', dataDir], 'workbench: Unknown option --frobnicate (workbench eval --help lists the options)\n'],
      [['eval', 'Facts', '--model', 'openai:gpt-4o', '--data-dir', dataDir], 'workbench: Unknown option --model; did you mean --models? (workbench eval --help lists the options)\n'],
      [['deploy'], expect.stringMatching(/^workbench: Unknown command "deploy"/) as unknown as string],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect([args.join(' '), result.code, result.stderr, result.stdout]).toStrictEqual([args.join(' '), 2, message, '']);
    }
    expect(server.requestsTo(CHAT)).toHaveLength(0);
  });

  test('a data folder given by --data-dir that cannot be used is said with --data-dir as the way to another folder; given by WORKBENCH_DATA_DIR, with that', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    fs.writeFileSync(file, 'not a database, but long enough to be read as one '.repeat(100));
    const problem =
      `workbench: The file ${file} is not a Prompt Workbench database (SQLite says “file is not a database”). It was left unchanged. ` +
      'Restore it from a backup, move it aside (with any workbench.sqlite-wal and -shm files beside it) and start again to begin with an empty database, ';
    const byOption = await runCli(['eval', 'Facts', '--data-dir', dataDir]);
    const byEnvironment = await runCli(['eval', 'Facts'], { env: { WORKBENCH_DATA_DIR: dataDir } });
    expect([byOption.code, byOption.stderr, byEnvironment.code, byEnvironment.stderr]).toStrictEqual([
      2,
      `${problem}or give --data-dir another data folder.\n`,
      2,
      `${problem}or set WORKBENCH_DATA_DIR to another data folder.\n`,
    ]);
  });

  test('a model whose provider has no API key here is setup, not a regression: exit 2, nothing run or stored', async () => {
    const server = await startServer();
    const dataDir = await prepareData(server);
    const result = await runCli(['eval', 'Facts', '--versions', '1', '--data-dir', dataDir], { env: { OPENAI_API_KEY: '' } });
    expect([result.code, result.stderr, result.stdout]).toStrictEqual([
      2,
      'workbench: Cannot run the eval: OpenAI needs an API key, and OPENAI_API_KEY is not set: set it in this command’s environment. Nothing was run.\n',
      '',
    ]);
    expect(server.requestsTo(CHAT)).toHaveLength(0);
    const workbench = startWorkbench({ dataDir });
    expect(await workbench.call('evals:list', { promptId: (await workbench.call('prompts:list', {}))[0].id })).toStrictEqual([]);
  });

  test('a .prompt.yml file is imported as a prompt with its test data as the suite; the same file again adds no version and reuses the cache', async () => {
    const server = await startServer();
    const dataDir = await emptyData(server);
    const file = path.join(makeTempDir(), 'facts.prompt.yml');
    fs.writeFileSync(
      file,
      [
        'name: Facts from a file',
        'description: One fact per topic',
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: system',
        '    content: "V1: answer with one fact."',
        '  - role: user',
        '    content: "Tell me about {{topic}}."',
        'testData:',
        '  - topic: tides',
        '  - topic: volcanoes',
        'evaluators:',
        '  - name: names the topic',
        '    string:',
        "      contains: '{{topic}}'",
        '',
      ].join('\n'),
    );
    const first = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([first.code, first.stderr]).toStrictEqual([0, '']);
    const second = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([second.code, second.stderr]).toStrictEqual([0, '']);
    const [one, two] = [JSON.parse(first.stdout) as EvalDetail, JSON.parse(second.stdout) as EvalDetail];
    expect([one.versions, one.caseCount, one.cells.map((cell) => cell.status), two.versions, two.cases, two.cells.map((cell) => cell.isCached)]).toStrictEqual([
      [1],
      2,
      ['passed', 'passed'],
      [1],
      one.cases,
      [true, true],
    ]);
    const reopened = startWorkbench({ dataDir });
    const [prompt] = await reopened.call('prompts:list', {});
    expect([prompt.name, prompt.description, prompt.versionCount]).toStrictEqual(['Facts from a file', 'One fact per topic', 1]);
    expect((await reopened.call('evals:suite', { promptId: prompt.id })).cases.map((testCase) => [testCase.variables, testCase.assertions])).toStrictEqual([
      [{ topic: 'tides' }, [{ type: 'icontains', value: 'tides', label: 'names the topic' }]],
      [{ topic: 'volcanoes' }, [{ type: 'icontains', value: 'volcanoes', label: 'names the topic' }]],
    ]);
    expect(server.requestsTo(CHAT)).toHaveLength(2);

    // The file changes while the prompt has unsaved edits: a new version is evaluated, the edits stay in the draft.
    const edited = { model: 'openai/gpt-4o-mini', parameters: {}, messages: [{ role: 'user' as const, content: 'My unsaved edit about {{topic}}' }] };
    await reopened.call('drafts:save', { promptId: prompt.id, content: edited, variables: { topic: 'glaciers' } });
    reopened.engine.close();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('V1: answer with one fact.', 'V2: answer with one fact.'));
    const third = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([third.code, (JSON.parse(third.stdout) as EvalDetail).versions, server.requestsTo(CHAT).length]).toStrictEqual([1, [2], 4]);
    const last = startWorkbench({ dataDir });
    const detail = await last.call('prompts:get', { id: prompt.id });
    expect([detail.prompt.versionCount, detail.draft.content, detail.draft.variables]).toStrictEqual([2, edited, { topic: 'glaciers' }]);
  });

  test('a .prompt.yml asking for a JSON schema is evaluated with that schema sent', async () => {
    const server = await startServer({ replyFor: () => replyText('{"fact": "Tides follow the moon."}') });
    const dataDir = await emptyData(server);
    const schema = { type: 'object', properties: { fact: { type: 'string' } }, required: ['fact'], additionalProperties: false };
    const file = writeFactsFile('facts.prompt.yml', 'Facts as JSON', [
      'responseFormat: json_schema',
      'jsonSchema: |-',
      ...JSON.stringify({ name: 'fact', strict: true, schema }, null, 2).split('\n').map((line) => `  ${line}`),
      'testData:',
      '  - topic: tides',
    ]);
    const result = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([result.code, result.stderr, server.requestsTo(CHAT).map((request) => (request.body as { response_format?: unknown }).response_format)]).toStrictEqual([
      0,
      '',
      [{ type: 'json_schema', json_schema: { name: 'fact', schema, strict: true } }],
    ]);
  });

  test('--judge (or the judge in Settings) grades the github/coherence evaluator of a .prompt.yml; without one it is skipped with a warning', async () => {
    const server = await startServer({
      // Answers are facts; the judge finds the one about volcanoes incoherent.
      replyFor: (request) =>
        request.body.response_format === undefined
          ? factReply(request)
          : replyText(request.messages[1].content.includes('volcanoes') ? '{"reason": "Jumps about.", "score": 0.3}' : '{"reason": "Reads well.", "score": 0.9}'),
    });
    const dataDir = await emptyData(server);
    const file = writeFactsFile('judged.prompt.yml', 'Judged facts', ['testData:', '  - topic: tides', '  - topic: volcanoes', 'evaluators:', '  - name: Coherent', '    uses: github/coherence']);
    const skipped = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect(skipped.stderr).toBe(
      `warning: ${file}: evaluator 1 (evaluators[0].uses): "Coherent" (github/coherence) is graded by a model: choose a judge to import it (Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval) (line 11); skipped\n`,
    );
    // Nothing checks the answers, so both pass.
    expect([skipped.code, (JSON.parse(skipped.stdout) as EvalDetail).cells.map((cell) => cell.status)]).toStrictEqual([0, ['passed', 'passed']]);
    const judged = await runCli(['eval', file, '--json', '--judge', 'openai:gpt-4o-mini', '--data-dir', dataDir]);
    expect([judged.code, judged.stderr]).toStrictEqual([1, '']);
    const detail = JSON.parse(judged.stdout) as EvalDetail;
    expect(detail.cells.map((cell) => [cell.status, cell.score])).toStrictEqual([
      ['passed', 0.9],
      ['failed', 0.3],
    ]);
    expect(detail.summaries[0].judgeCostUsd).toBeGreaterThan(0);
    // Two answers each time (the second from the cache), two verdicts.
    expect(server.requestsTo(CHAT)).toHaveLength(4);
    const bad = await runCli(['eval', file, '--judge', 'openai:a,openai:b', '--data-dir', dataDir]);
    expect([bad.code, bad.stderr]).toStrictEqual([2, 'workbench: --judge takes one provider:model, not 2\n']);
    // Without --judge, the judge set in the app's Settings grades them (its verdicts now come from the cache).
    const app = startWorkbench({ dataDir });
    await app.call('settings:update', { judge: { providerId: 1, model: 'gpt-4o-mini' } });
    app.engine.close();
    const fromSettings = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([fromSettings.code, fromSettings.stderr, (JSON.parse(fromSettings.stdout) as EvalDetail).cells.map((cell) => cell.status)]).toStrictEqual([1, '', ['passed', 'failed']]);
    expect(server.requestsTo(CHAT)).toHaveLength(4);
  });

  test('a file’s LLM judge is found by its provider’s name, whatever its id here; one not configured here is graded by --judge, with a warning saying so', async () => {
    const server = await startServer({
      models: ['gpt-4o-mini', 'gpt-4.1-nano', 'llama-3.1-8b'],
      replyFor: (request) => (request.messages[0].content.startsWith('You are an impartial grader') ? replyText('{"reason": "One true fact.", "score": 0.9}') : factReply(request)),
    });
    // Groq is provider 5 here (LM Studio came first); the file was written where it was 4.
    const groqOnly = { kind: 'openai-compatible' as const, baseUrl: server.baseUrl, keySource: 'environment' as const, keyVariable: 'OPENAI_API_KEY' };
    const dataDir = await emptyData(server, async (workbench) => {
      await workbench.call('providers:save', { ...groqOnly, label: 'LM Studio', baseUrl: 'http://127.0.0.1:9/v1' });
      expect((await workbench.call('providers:save', { ...groqOnly, label: 'Groq' })).id).toBe(5);
    });
    const file = writeFactsFile('judged.prompt.yml', 'Judged facts', [
      'testData:',
      '  - topic: tides',
      'x-workbench:',
      '  version: 1',
      '  defaultAssertions:',
      '    - position: 0',
      '      assertion: { type: llm-judge, rubric: States one true fact., judge: { provider: Groq, kind: openai-compatible, model: llama-3.1-8b } }',
    ]);
    const found = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    const judgeModels = () =>
      server
        .requestsTo(CHAT)
        .map((request) => request.body as OpenAiChatRequest)
        .filter((body) => body.messages[0].content.startsWith('You are an impartial grader'))
        .map((body) => body.model);
    expect([found.code, found.stderr, (JSON.parse(found.stdout) as EvalDetail).cells.map((cell) => [cell.status, cell.score]), judgeModels()]).toStrictEqual([0, '', [['passed', 0.9]], ['llama-3.1-8b']]);

    // A machine without Groq: --judge grades the check, and the warning says so (it was imported, not skipped).
    const other = await emptyData(server);
    const graded = await runCli(['eval', file, '--json', '--judge', 'openai:gpt-4.1-nano', '--data-dir', other]);
    expect([graded.code, graded.stderr, (JSON.parse(graded.stdout) as EvalDetail).cells.map((cell) => [cell.status, cell.score]), judgeModels()]).toStrictEqual([
      0,
      `warning: ${file}: default check 1 (x-workbench.defaultAssertions[0].assertion.judge): The judge "Groq · llama-3.1-8b" is not configured here: the check was imported to be graded by the --judge model, OpenAI · gpt-4.1-nano (line 12)\n`,
      [['passed', 0.9]],
      ['llama-3.1-8b', 'gpt-4.1-nano'],
    ]);
  });

  test('a warning names what its problem is in, as the app does: a test, an evaluator or a default check', async () => {
    const server = await startServer();
    const dataDir = await emptyData(server);
    const file = writeFactsFile('mixed.prompt.yml', 'Mixed facts', [
      'testData:',
      '  - topic: tides',
      '    mood: calm',
      '  - topic: [volcanoes, glaciers]',
      'evaluators:',
      '  - name: Mentions a fact',
      '    string:',
      '      contains: fact',
      '  - name: Vague',
      'x-workbench:',
      '  version: 1',
      '  defaultAssertions:',
      '    - position: 1',
      '      assertion:',
      '        type: no-such-check',
    ]);
    const result = await runCli(['eval', file, '--json', '--data-dir', dataDir]);
    expect([result.code, result.stderr.split('\n'), (JSON.parse(result.stdout) as EvalDetail).cells.map((cell) => cell.status)]).toStrictEqual([
      0,
      [
        `warning: ${file}: default check 1 (x-workbench.defaultAssertions[0].assertion.type): Unknown assertion type "no-such-check" (line 20); skipped`,
        `warning: ${file}: evaluator 2 (evaluators[1]): "Vague" has no check: give it "string", "uses" or "llm" (line 14); skipped`,
        `warning: ${file}: test 2 (testData[1].topic): The value of {{topic}} must be text, not a list (line 9); skipped`,
        // Kept all the same: the note says so, and is not said to be skipped.
        `warning: ${file}: test 1 (testData[0].mood): The prompt has no {{mood}} variable; the values were imported anyway (line 8)`,
        '',
      ],
      ['passed'],
    ]);
  });

  test('Ctrl+C cancels: cells under way are stored as cancelled, the process exits 130', async () => {
    const server = await startServer({ reply: { chunkDelayMs: 500 } });
    const dataDir = await prepareData(server);
    const result = await runCli(['eval', 'Facts', '--versions', '1', '--concurrency', '2', '--data-dir', dataDir], {
      onStart: (child) => {
        void (async () => {
          while (server.requestsTo(CHAT).length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
          child.kill('SIGINT');
        })();
      },
    });
    expect([result.code, result.signal]).toStrictEqual([130, null]);
    expect(result.stderr).toContain('Cancelling eval 1');
    // No verdict on the prompt in the log: it was stopped, not found wanting.
    expect(result.stdout).toContain('CANCELLED: no verdict; resume the eval in the app (Evals › Results) to run the 4 cells left');
    expect(result.stdout).not.toContain('FAIL');
    const workbench = startWorkbench({ dataDir });
    const detail = await workbench.call('evals:get', { evalId: 1 });
    expect([detail.status, detail.cells.map((cell) => cell.status)]).toStrictEqual(['cancelled', Array(4).fill('cancelled')]);
    expect(server.requestsTo(CHAT)).toHaveLength(2);
  });
});
