/**
 * Evals on the engine: versions x models x cases as ordinary runs (stored, priced, cached),
 * the grid, column summaries and regressions as stored; cancel and resume; judges served by
 * the OpenAI-protocol fixture giving structured verdicts or garbage; the daily budget.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { CLOSED_SUMMARY, JUDGE_PROVIDER_REMOVED } from '../../../../electron/core/evals/eval-runner';
import { EvalStore } from '../../../../electron/core/evals/eval-store';
import { JUDGE_VERDICT_SCHEMA } from '../../../../electron/core/evals/judge';
import { roundUsd } from '../../../../shared/cost';
import type { Assertion, EvalCell, EvalDetail } from '../../../../shared/eval-types';
import type { RunRecord } from '../../../../shared/types';
import type { OpenAiChatRequest } from '../../../fixtures/openai-server';
import { makeTempDir } from '../../support';
import { addCompatible, addOllama, addOpenAi, afterTest, CallFailure, OPENAI_KEY, startWorkbench, type Workbench } from '../runs/run-harness';
import { createEvalPrompt, readRequest, replyText, resumeEval, runEval, topicCase, VERSION_CONTENT } from './eval-harness';

const CHAT = '/v1/chat/completions';
const TOPICS = ['tides', 'volcanoes', 'glaciers', 'deserts'];

/** v2 no longer names tides (a regression); the local model never knows deserts (a failure on both versions). */
function factReply(request: OpenAiChatRequest) {
  const { tag, topic } = readRequest(request);
  if (tag === 'V2' && topic === 'tides') return replyText('I would rather not say.');
  if (request.model === 'qwen2.5-7b-instruct' && topic === 'deserts') return replyText('No idea.');
  return replyText(`Here is a fact about ${topic}.`);
}

/** The runs of every cell, by run id. */
async function runsOf(workbench: Workbench, cells: readonly EvalCell[]): Promise<Map<number, RunRecord>> {
  const runs = new Map<number, RunRecord>();
  for (const cell of cells) if (cell.runId !== null) runs.set(cell.runId, await workbench.call('runs:get', { id: cell.runId }));
  return runs;
}

/** Cell statuses as a grid: a row per case (in order), a column per eval column. */
function grid(detail: EvalDetail): string[][] {
  return detail.cases.map((testCase) =>
    detail.columns.map((column) => detail.cells.find((cell) => cell.caseId === testCase.id && cell.columnKey === column.key)?.status ?? 'missing'),
  );
}

function openDatabaseFile(workbench: Workbench): BetterSqlite3.Database {
  const database = new BetterSqlite3(path.join(workbench.dataDir, DATABASE_FILE_NAME));
  afterTest(() => {
    database.close();
  });
  return database;
}

async function twoModelSetup() {
  const workbench = startWorkbench();
  const openAi = await addOpenAi(workbench, { replyFor: factReply });
  const local = await addCompatible(workbench, { replyFor: factReply });
  const { promptId, caseIds } = await createEvalPrompt(
    workbench,
    TOPICS.map((topic) => topicCase(topic)),
  );
  const targets = [
    { providerId: openAi.providerId, model: 'gpt-4o-mini' },
    { providerId: local.providerId, model: 'qwen2.5-7b-instruct' },
  ];
  return { workbench, openAi, local, promptId, caseIds, targets };
}

describe('evals', () => {
  test('2 versions x 2 models x 4 cases: the grid, summaries and regressions as stored, each cell an ordinary priced run', async () => {
    const { workbench, openAi, local, promptId, caseIds, targets } = await twoModelSetup();
    const { started, done, detail } = await runEval(workbench, { promptId, versions: [1, 2], targets, baselineVersion: 1 });
    const key = (version: number, target: 0 | 1) => `v${version}@${targets[target].providerId}/${targets[target].model}`;
    expect(detail.columns.map((column) => [column.key, column.version, column.target, column.providerLabel])).toStrictEqual([
      [key(1, 0), 1, targets[0], 'OpenAI (fixture)'],
      [key(1, 1), 1, targets[1], 'LM Studio'],
      [key(2, 0), 2, targets[0], 'OpenAI (fixture)'],
      [key(2, 1), 2, targets[1], 'LM Studio'],
    ]);
    expect(grid(detail)).toStrictEqual([
      ['passed', 'passed', 'failed', 'failed'],
      ['passed', 'passed', 'passed', 'passed'],
      ['passed', 'passed', 'passed', 'passed'],
      ['passed', 'failed', 'passed', 'failed'],
    ]);
    expect(detail.regressions).toStrictEqual([
      { caseId: caseIds[0], baselineColumnKey: key(1, 0), columnKey: key(2, 0) },
      { caseId: caseIds[0], baselineColumnKey: key(1, 1), columnKey: key(2, 1) },
    ]);
    // Every cell ran once, as a stored run of the prompt on its version and model.
    expect([openAi.server.requestsTo(CHAT).length, local.server.requestsTo(CHAT).length]).toStrictEqual([8, 8]);
    const runs = await runsOf(workbench, detail.cells);
    expect(runs.size).toBe(16);
    for (const cell of detail.cells) {
      const run = runs.get(cell.runId as number) as RunRecord;
      const column = detail.columns.find((candidate) => candidate.key === cell.columnKey);
      expect([run.promptId, run.version, run.providerId, run.model, run.status, run.isCacheHit, cell.costUsd, cell.latencyMs, cell.isCached, cell.judgeCostUsd]).toStrictEqual([
        promptId,
        column?.version,
        column?.target.providerId,
        column?.target.model,
        'ok',
        false,
        run.costUsd,
        run.latencyMs,
        false,
        null,
      ]);
    }
    // Column figures are the sums and percentiles of their runs.
    const expectedSummaries = detail.columns.map((column) => {
      const cells = detail.cells.filter((cell) => cell.columnKey === column.key);
      const columnRuns = cells.map((cell) => runs.get(cell.runId as number) as RunRecord);
      const passed = cells.filter((cell) => cell.status === 'passed').length;
      const cost = Math.round(columnRuns.reduce((sum, run) => sum + (run.costUsd ?? 0), 0) * 1e12) / 1e12;
      const latencies = columnRuns.map((run) => run.latencyMs as number).sort((left, right) => left - right);
      return {
        columnKey: column.key,
        total: 4,
        passed,
        failed: 4 - passed,
        errors: 0,
        passRate: passed / 4,
        meanScore: cells.reduce((sum, cell) => sum + (cell.score ?? 0), 0) / 4,
        costUsd: cost,
        judgeCostUsd: 0,
        costPerCaseUsd: Math.round((cost / 4) * 1e12) / 1e12,
        latencyP50Ms: latencies[1],
        latencyP95Ms: latencies[3],
        inputTokens: columnRuns.reduce((sum, run) => sum + run.usage.inputTokens, 0),
        outputTokens: columnRuns.reduce((sum, run) => sum + run.usage.outputTokens, 0),
        unpricedRunCells: 0,
        unpricedJudgeCells: 0,
      };
    });
    expect(detail.summaries.map((summary) => ({ ...summary, meanScore: summary.meanScore === null ? null : Number(summary.meanScore.toFixed(12)) }))).toStrictEqual(
      expectedSummaries.map((summary) => ({ ...summary, meanScore: Number(summary.meanScore.toFixed(12)) })),
    );
    expect(detail.summaries[0].costUsd).toBeGreaterThan(0);
    expect(detail.summaries[1].costUsd).toBe(0);
    // Passing cells score 1; a failing one has its score below 1 and says which check failed.
    for (const cell of detail.cells) expect([cell.status, cell.score === 1, cell.summary === null]).toStrictEqual(cell.status === 'passed' ? ['passed', true, true] : ['failed', false, false]);
    const totalCost = Math.round(detail.summaries.reduce((sum, summary) => sum + summary.costUsd, 0) * 1e12) / 1e12;
    expect({ ...done, costUsd: Math.round(done.costUsd * 1e12) / 1e12 }).toStrictEqual({
      ...started,
      status: 'done',
      doneCount: 16,
      passedCount: 12,
      failedCount: 4,
      errorCount: 0,
      costUsd: totalCost,
      finishedAt: done.finishedAt,
    });
    expect(typeof done.finishedAt).toBe('string');
    // The cells were announced as the eval's progress, never as runs of their own.
    const progressCells = workbench.eventsOf('eval:progress').flatMap((progress) => progress.cells);
    expect(new Set(progressCells.map((cell) => `${cell.caseId}:${cell.columnKey}`)).size).toBe(16);
    expect([...progressCells].sort(byCell)).toStrictEqual([...detail.cells].sort(byCell));
    expect(workbench.eventsOf('eval:progress').at(-1)?.doneCount).toBe(16);
    expect([workbench.eventsOf('run:done'), workbench.eventsOf('run:delta'), workbench.eventsOf('batch:done')]).toStrictEqual([[], [], []]);

    // A failing cell opened: its output, expected output, variables and each verdict.
    const opened = await workbench.call('evals:cell', { evalId: started.id, caseId: caseIds[0], columnKey: key(2, 0) });
    expect({ ...opened, results: opened.results.map((result) => [result.index, result.assertion, result.isPassed, result.error, result.judge]) }).toStrictEqual({
      ...detail.cells.find((cell) => cell.caseId === caseIds[0] && cell.columnKey === key(2, 0)),
      output: 'I would rather not say.',
      expected: 'Here is a fact about tides.',
      variables: { topic: 'tides' },
      error: null,
      notices: [],
      results: [
        [0, { type: 'word-count', min: 1 }, true, null, null],
        [1, { type: 'icontains', value: 'tides' }, false, null, null],
      ],
    });
    expect(opened.results[1].reason).not.toBe('');
    expect(opened.summary).toContain(opened.results[1].reason);
  });

  test('running the same eval again answers every cell from the cache; bypassing it asks the servers again', async () => {
    const { workbench, openAi, local, promptId, targets } = await twoModelSetup();
    const first = await runEval(workbench, { promptId, versions: [1, 2], targets });
    const again = await runEval(workbench, { promptId, versions: [1, 2], targets });
    expect([openAi.server.requestsTo(CHAT).length, local.server.requestsTo(CHAT).length]).toStrictEqual([8, 8]);
    expect(grid(again.detail)).toStrictEqual(grid(first.detail));
    expect(again.detail.cells.map((cell) => [cell.isCached, cell.costUsd])).toStrictEqual(first.detail.cells.map(() => [true, 0]));
    expect([again.done.costUsd, again.done.passedCount, again.detail.regressions]).toStrictEqual([0, first.done.passedCount, []]);
    const bypassed = await runEval(workbench, { promptId, versions: [1], targets, bypassCache: true });
    expect([openAi.server.requestsTo(CHAT).length, local.server.requestsTo(CHAT).length]).toStrictEqual([12, 12]);
    expect(bypassed.detail.cells.every((cell) => !cell.isCached)).toBe(true);
  });

  test('improvements are regressions the other way round: failed on the baseline version, passed on another version of the same model', async () => {
    const workbench = startWorkbench();
    // v2 forgets tides on gpt-4o-mini and learns deserts on both models; the local model never knows glaciers.
    const replyFor = (request: OpenAiChatRequest) => {
      const { tag, topic } = readRequest(request);
      if (tag === 'V2' && topic === 'tides' && request.model === 'gpt-4o-mini') return replyText('I would rather not say.');
      if ((tag === 'V1' && topic === 'deserts') || (topic === 'glaciers' && request.model === 'qwen2.5-7b-instruct')) return replyText('No idea.');
      return replyText(`Here is a fact about ${topic}.`);
    };
    const openAi = await addOpenAi(workbench, { replyFor });
    const local = await addCompatible(workbench, { replyFor });
    const { promptId, caseIds } = await createEvalPrompt(
      workbench,
      TOPICS.map((topic) => topicCase(topic)),
    );
    const targets = [
      { providerId: openAi.providerId, model: 'gpt-4o-mini' },
      { providerId: local.providerId, model: 'qwen2.5-7b-instruct' },
    ];
    const key = (version: number, target: 0 | 1) => `v${version}@${targets[target].providerId}/${targets[target].model}`;
    const { detail } = await runEval(workbench, { promptId, versions: [1, 2], targets, baselineVersion: 1 });
    expect(grid(detail)).toStrictEqual([
      ['passed', 'passed', 'failed', 'passed'],
      ['passed', 'passed', 'passed', 'passed'],
      ['passed', 'failed', 'passed', 'failed'],
      ['failed', 'failed', 'passed', 'passed'],
    ]);
    expect([detail.regressions, detail.improvements]).toStrictEqual([
      [{ caseId: caseIds[0], baselineColumnKey: key(1, 0), columnKey: key(2, 0) }],
      [
        { caseId: caseIds[3], baselineColumnKey: key(1, 0), columnKey: key(2, 0) },
        { caseId: caseIds[3], baselineColumnKey: key(1, 1), columnKey: key(2, 1) },
      ],
    ]);
    // Measured against v2 instead, the same changes read the other way round.
    const reversed = await runEval(workbench, { promptId, versions: [1, 2], targets, baselineVersion: 2 });
    expect([reversed.detail.regressions, reversed.detail.improvements]).toStrictEqual([
      [
        { caseId: caseIds[3], baselineColumnKey: key(2, 0), columnKey: key(1, 0) },
        { caseId: caseIds[3], baselineColumnKey: key(2, 1), columnKey: key(1, 1) },
      ],
      [{ caseId: caseIds[0], baselineColumnKey: key(2, 0), columnKey: key(1, 0) }],
    ]);
    // Without a baseline nothing is compared.
    const unbased = await runEval(workbench, { promptId, versions: [1, 2], targets });
    expect([unbased.done.baselineVersion, unbased.detail.regressions, unbased.detail.improvements]).toStrictEqual([null, [], []]);
  });

  test('without a chosen baseline, regressions are measured against the latest approved version; the trend and the approval gate read stored figures', async () => {
    const { workbench, openAi, promptId, caseIds, targets } = await twoModelSetup();
    const unapproved = await runEval(workbench, { promptId, versions: [1, 2], targets: [targets[0]] });
    expect([unapproved.done.baselineVersion, unapproved.detail.regressions]).toStrictEqual([null, []]);
    openDatabaseFile(workbench).prepare("UPDATE prompt_versions SET status = 'approved' WHERE prompt_id = ? AND number = 1").run(promptId);
    const approved = await runEval(workbench, { promptId, versions: [1, 2], targets: [targets[0]] });
    expect([approved.done.baselineVersion, approved.detail.regressions]).toStrictEqual([
      1,
      [{ caseId: caseIds[0], baselineColumnKey: `v1@${targets[0].providerId}/gpt-4o-mini`, columnKey: `v2@${targets[0].providerId}/gpt-4o-mini` }],
    ]);
    // An approved version outside the eval gives no baseline; one asked for outside it is refused.
    expect((await runEval(workbench, { promptId, versions: [2], targets: [targets[0]] })).done.baselineVersion).toBe(null);
    await expect(workbench.call('evals:start', { promptId, versions: [2], targets: [targets[0]], baselineVersion: 1 })).rejects.toStrictEqual(
      new CallFailure({ code: 'invalid-input', message: 'The baseline v1 is not one of the versions this eval runs' }),
    );
    const both = await runEval(workbench, { promptId, versions: [1, 2], targets });
    const trend = await workbench.call('evals:trend', { promptId });
    const rate = (detail: EvalDetail, key: string) => detail.summaries.find((summary) => summary.columnKey === key);
    const column = (version: number, target: 0 | 1) => `v${version}@${targets[target].providerId}/${targets[target].model}`;
    expect(trend.map((point) => [point.version, point.target, point.evalId, point.passRate, point.costUsd])).toStrictEqual([
      [1, targets[0], both.started.id, 1, rate(both.detail, column(1, 0))?.costUsd],
      [1, targets[1], both.started.id, 0.75, rate(both.detail, column(1, 1))?.costUsd],
      [2, targets[0], both.started.id, 0.75, rate(both.detail, column(2, 0))?.costUsd],
      [2, targets[1], both.started.id, 0.5, rate(both.detail, column(2, 1))?.costUsd],
    ]);
    expect(trend.map((point) => point.meanScore)).toStrictEqual(detail4MeanScores(both.detail, [column(1, 0), column(1, 1), column(2, 0), column(2, 1)]));
    // The approval gate's question: the latest finished eval of a version, over that version's cells on every model.
    const store = new EvalStore(openDatabaseFile(workbench));
    const v2Cells = both.detail.cells.filter((cell) => cell.columnKey.startsWith('v2@'));
    expect([store.latestVersionEval(promptId, 2), store.latestVersionEval(promptId, 3)]).toStrictEqual([
      {
        evalId: both.started.id,
        passRate: 5 / 8,
        meanScore: v2Cells.reduce((sum, cell) => sum + (cell.score ?? 0), 0) / 8,
        finishedAt: both.done.finishedAt,
        cellCount: 8,
      },
      null,
    ]);
    expect(await workbench.call('evals:list', { promptId })).toHaveLength(4);
    expect((await workbench.call('evals:list', { promptId })).map((summary) => summary.id)).toStrictEqual(
      [both.started.id, approved.started.id + 1, approved.started.id, unapproved.started.id],
    );

    // A later eval of v2 in which no request got an answer (a CI job without its key, say) says nothing of v2:
    // the trend and the gate keep the latest eval that graded it.
    openAi.server.script(...caseIds.map(() => ({ fault: { kind: 'http-error' as const, status: 400 } })));
    const failed = await runEval(workbench, { promptId, versions: [2], targets: [targets[0]], bypassCache: true });
    expect([failed.done.status, failed.done.errorCount, failed.done.passedCount]).toStrictEqual(['done', caseIds.length, 0]);
    expect((await workbench.call('evals:trend', { promptId })).map((point) => point.evalId)).toStrictEqual(trend.map((point) => point.evalId));
    expect(store.latestVersionEval(promptId, 2)?.evalId).toBe(both.started.id);
  });

  test('cancelling stops the cells in flight and starts no more; resuming runs only what did not finish', async () => {
    const workbench = startWorkbench();
    const slow = await addOpenAi(workbench);
    // The first two answers take their time, so the cancel finds them in flight.
    slow.server.script({ reply: { chunkDelayMs: 300 } }, { reply: { chunkDelayMs: 300 } });
    const { promptId } = await createEvalPrompt(
      workbench,
      TOPICS.concat(['rivers', 'forests']).map((topic) => topicCase(topic, { assertions: [{ type: 'contains', value: 'side' }] })),
    );
    const started = await workbench.call('evals:start', { promptId, versions: [1], targets: [{ providerId: slow.providerId, model: 'gpt-4o-mini' }], concurrency: 2 });
    while (slow.server.requestsTo(CHAT).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const whileRunning = await workbench.call('evals:cancel', { evalId: started.id });
    const done = await workbench.waitFor('eval:done', (summary) => summary.id === started.id);
    const cancelled = await workbench.call('evals:get', { evalId: started.id });
    expect([whileRunning.status, done.status, done.doneCount, slow.server.requestsTo(CHAT).length]).toStrictEqual(['running', 'cancelled', 0, 2]);
    expect(cancelled.cells.map((cell) => cell.status)).toStrictEqual(Array(6).fill('cancelled'));
    const aborted = cancelled.cells.filter((cell) => cell.runId !== null);
    expect(await Promise.all(aborted.map(async (cell) => (await workbench.call('runs:get', { id: cell.runId as number })).status))).toStrictEqual(['cancelled', 'cancelled']);
    await slow.server.waitForClientDisconnects(2);

    const resumed = await resumeEval(workbench, { evalId: started.id });
    expect([resumed.done.status, resumed.done.doneCount, resumed.done.passedCount, slow.server.requestsTo(CHAT).length]).toStrictEqual(['done', 6, 6, 8]);
    expect(resumed.detail.cells.map((cell) => cell.status)).toStrictEqual(Array(6).fill('passed'));
    await expect(workbench.call('evals:resume', { evalId: started.id })).resolves.toMatchObject({ status: 'running' });
    // Nothing left to run: it ends at once, asking no server.
    await workbench.engine.whenIdle();
    expect([(await workbench.call('evals:get', { evalId: started.id })).status, slow.server.requestsTo(CHAT).length]).toStrictEqual(['done', 8]);
  });

  test('a cell whose request failed is an error; resuming retries errors only when asked', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, { replyFor: factReply });
    server.script({ fault: { kind: 'http-error', status: 500 } });
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides')]);
    const { done, detail } = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const run = await workbench.call('runs:get', { id: detail.cells[0].runId as number });
    expect([done.errorCount, detail.cells[0].status, detail.cells[0].summary, run.status]).toStrictEqual([1, 'error', run.error, 'error']);
    expect((await resumeEval(workbench, { evalId: done.id })).detail.cells[0].status).toBe('error');
    expect(server.requestsTo(CHAT)).toHaveLength(1);
    const retried = await resumeEval(workbench, { evalId: done.id, isRetryingErrors: true });
    expect([retried.done.errorCount, retried.done.passedCount, retried.detail.cells[0].status, server.requestsTo(CHAT).length]).toStrictEqual([0, 1, 'passed', 2]);
  });

  test('retrying cells whose judge failed grades their stored answers again, asking only the judge; the eval counts both rounds of judging and one of answers', async () => {
    const workbench = startWorkbench();
    let isJudgeDown = true;
    const { server, providerId } = await addOpenAi(workbench, {
      replyFor: (request) => {
        if (request.body.response_format === undefined) return factReply(request);
        return replyText(isJudgeDown ? 'Sorry, I cannot grade right now.' : '{"reason": "States a fact.", "score": 0.9}');
      },
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Does it state a fact?', judge: { providerId, model: 'gpt-4o-mini' }, label: 'Factual' };
    const { promptId, caseIds } = await createEvalPrompt(workbench, [topicCase('tides'), topicCase('volcanoes')], [judge]);
    const isTarget = (request: { body: unknown }) => (request.body as { response_format?: unknown }).response_format === undefined;
    const targetRequests = () => server.requestsTo(CHAT).filter(isTarget).length;
    const first = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true });
    // A check the judge could not grade leaves its cell without a score, so the column has no mean to show.
    expect([first.done.errorCount, targetRequests(), first.detail.summaries[0].meanScore, first.detail.cells.map((cell) => [cell.status, cell.score])]).toStrictEqual([
      2,
      2,
      null,
      [
        ['error', null],
        ['error', null],
      ],
    ]);
    const judgeRunsOf = async (detail: EvalDetail) =>
      Promise.all(
        detail.cells.map(async (cell) => {
          const opened = await workbench.call('evals:cell', { evalId: detail.id, caseId: cell.caseId, columnKey: cell.columnKey });
          return workbench.call('runs:get', { id: opened.results[0].judge?.runId as number });
        }),
      );
    const firstJudging = await judgeRunsOf(first.detail);
    expect(firstJudging.every((run) => (run.costUsd as number) > 0)).toBe(true);

    isJudgeDown = false;
    const retried = await resumeEval(workbench, { evalId: first.done.id, isRetryingErrors: true });
    const secondJudging = await judgeRunsOf(retried.detail);
    const sum = (values: (number | null)[]) => Math.round(values.reduce<number>((total, value) => total + (value ?? 0), 0) * 1e12) / 1e12;
    expect({
      targetRequests: targetRequests(),
      cells: retried.detail.cells.map((cell) => [cell.caseId, cell.status, cell.score, cell.runId, cell.costUsd]),
      counts: [retried.done.passedCount, retried.done.errorCount, retried.done.doneCount],
      costUsd: retried.done.costUsd,
      judgeCostUsd: retried.done.judgeCostUsd,
      newJudgeRuns: secondJudging.every((run) => !firstJudging.some((earlier) => earlier.id === run.id)),
    }).toStrictEqual({
      // No answer was asked for again: each cell keeps the run the failed judge was shown.
      targetRequests: 2,
      cells: first.detail.cells.map((cell, index) => [caseIds[index], 'passed', 0.95, cell.runId, cell.costUsd]),
      counts: [2, 0, 2],
      costUsd: first.done.costUsd,
      judgeCostUsd: sum([...firstJudging, ...secondJudging].map((run) => run.costUsd)),
      newJudgeRuns: true,
    });
    expect(retried.detail.summaries[0].meanScore).toBe(0.95);
  });

  test('a judge reply that is not a verdict is not cached: Retry errors, cache on, asks the judge again and grades', async () => {
    const workbench = startWorkbench();
    let isJudgeDown = true;
    const { server, providerId } = await addOpenAi(workbench, {
      replyFor: (request) => {
        if (request.body.response_format === undefined) return factReply(request);
        return replyText(isJudgeDown ? 'Sorry, I cannot grade right now.' : '{"reason": "States a fact.", "score": 0.9}');
      },
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Does it state a fact?', judge: { providerId, model: 'gpt-4o-mini' }, label: 'Factual' };
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides')], [judge]);
    const judgeRequests = () => server.requestsTo(CHAT).filter((request) => (request.body as { response_format?: unknown }).response_format !== undefined).length;
    const first = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    expect([first.detail.cells[0].status, first.detail.cells[0].summary, judgeRequests()]).toStrictEqual([
      'error',
      'Factual: The judge’s answer is not a verdict: it holds no JSON object. The judge answered: Sorry, I cannot grade right now.',
      1,
    ]);
    isJudgeDown = false;
    const retried = await resumeEval(workbench, { evalId: first.done.id, isRetryingErrors: true });
    expect([retried.detail.cells[0].status, retried.detail.cells[0].score, retried.done.errorCount, judgeRequests()]).toStrictEqual(['passed', 0.95, 0, 2]);
  });

  test('each column’s costs count every try, so the columns add up to the eval’s cost; the per-case figure is that cost over the finished cases', async () => {
    const workbench = startWorkbench();
    let isJudgeDown = true;
    const { server, providerId } = await addOpenAi(workbench, {
      replyFor: (request) => {
        if (request.body.response_format === undefined) return factReply(request);
        return replyText(isJudgeDown ? 'Sorry, I cannot grade right now.' : '{"reason": "States a fact.", "score": 0.9}');
      },
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Does it state a fact?', judge: { providerId, model: 'gpt-4o-mini' }, label: 'Factual' };
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides'), topicCase('volcanoes')], [judge]);
    // The first answer breaks off after some text (paid for, an error); the judge then answers no verdict.
    server.script({ fault: { kind: 'cut', afterChunks: 3 } });
    const first = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }], concurrency: 1, bypassCache: true });
    expect(first.detail.cells.map((cell) => cell.status)).toStrictEqual(['error', 'error']);
    isJudgeDown = false;
    const retried = await resumeEval(workbench, { evalId: first.done.id, isRetryingErrors: true });
    const cellsSum = (pick: (cell: EvalCell) => number | null) => retried.detail.cells.reduce((total, cell) => total + (pick(cell) ?? 0), 0);
    const [summary] = retried.detail.summaries;
    expect({
      statuses: retried.detail.cells.map((cell) => cell.status),
      costUsd: summary.costUsd,
      judgeCostUsd: summary.judgeCostUsd,
      costPerCaseUsd: summary.costPerCaseUsd,
    }).toStrictEqual({
      statuses: ['passed', 'passed'],
      costUsd: retried.done.costUsd,
      judgeCostUsd: retried.done.judgeCostUsd,
      costPerCaseUsd: roundUsd(retried.done.costUsd / 2),
    });
    // Every try is in them: more than the cells, which show their latest try, add up to.
    expect([summary.costUsd > roundUsd(cellsSum((cell) => cell.costUsd)), summary.judgeCostUsd > roundUsd(cellsSum((cell) => cell.judgeCostUsd))]).toStrictEqual([true, true]);
  });

  test('closing the engine mid-eval stores its unfinished cells as cancelled; the next engine can resume it', async () => {
    const dataDir = makeTempDir();
    const first = startWorkbench({ dataDir });
    const { server, providerId } = await addOpenAi(first);
    server.script({ fault: { kind: 'stall', afterChunks: 1 } });
    const { promptId } = await createEvalPrompt(first, [topicCase('tides'), topicCase('volcanoes')].map((testCase) => ({ ...testCase, assertions: [{ type: 'contains', value: 'side' }] })), []);
    const started = await first.call('evals:start', { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }], concurrency: 1 });
    while (server.requestsTo(CHAT).length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    first.engine.close();
    const second = startWorkbench({ dataDir });
    await second.call('providers:save', { id: providerId, kind: 'openai', label: 'OpenAI (fixture)', baseUrl: server.baseUrl, apiKey: OPENAI_KEY });
    const closed = await second.call('evals:get', { evalId: started.id });
    expect([closed.status, closed.cells.map((cell) => [cell.status, cell.summary])]).toStrictEqual([
      'cancelled',
      [
        ['cancelled', CLOSED_SUMMARY],
        ['cancelled', CLOSED_SUMMARY],
      ],
    ]);
    const resumed = await resumeEval(second, { evalId: started.id });
    expect([resumed.done.status, resumed.done.passedCount, server.requestsTo(CHAT).length]).toStrictEqual(['done', 2, 3]);
  });

  test('a judge served by the OpenAI-protocol fixture gives a structured verdict: score and reason stored, its cost apart from the run', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, {
      replyFor: (request) =>
        request.body.response_format === undefined ? factReply(request) : replyText('{"score": 0.8, "reason": "States one correct fact about tides."}'),
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Does it state a true fact about the topic?', judge: { providerId, model: 'gpt-4o-mini' } };
    const { promptId, caseIds } = await createEvalPrompt(workbench, [topicCase('tides', { assertions: [judge] })], []);
    const target = { providerId, model: 'gpt-4o-mini' };
    const { done, detail } = await runEval(workbench, { promptId, versions: [1], targets: [target] });
    const [cell] = detail.cells;
    const opened = await workbench.call('evals:cell', { evalId: done.id, caseId: caseIds[0], columnKey: cell.columnKey });
    const judgeRunId = opened.results[0].judge?.runId as number;
    const [run, judgeRun] = [await workbench.call('runs:get', { id: cell.runId as number }), await workbench.call('runs:get', { id: judgeRunId })];
    expect(opened.results).toStrictEqual([
      {
        index: 0,
        assertion: judge,
        isPassed: true,
        score: 0.8,
        reason: 'Judge score 0.80 (threshold 0.70): States one correct fact about tides.',
        error: null,
        judge: { runId: judgeRun.id, model: 'gpt-4o-mini', usage: judgeRun.usage, costUsd: judgeRun.costUsd },
      },
    ]);
    expect([cell.status, cell.score, cell.costUsd, cell.judgeCostUsd, done.costUsd, done.judgeCostUsd]).toStrictEqual([
      'passed',
      0.8,
      run.costUsd,
      judgeRun.costUsd,
      run.costUsd,
      judgeRun.costUsd,
    ]);
    expect((run.costUsd as number) > 0 && (judgeRun.costUsd as number) > 0).toBe(true);
    expect(detail.summaries[0].judgeCostUsd).toBe(judgeRun.costUsd);
    // The live progress carries the judges' cost too, apart from the runs'.
    expect(workbench.eventsOf('eval:progress').at(-1)?.judgeCostUsd).toBe(judgeRun.costUsd);
    // The judge's own run: no prompt, the judged output in its messages, asked for JSON by schema.
    expect([judgeRun.promptId, judgeRun.status, judgeRun.messages.some((message) => message.content.includes('Here is a fact about tides.'))]).toStrictEqual([null, 'ok', true]);
    const judgeRequest = server.requestsTo(CHAT)[1].body as Record<string, unknown>;
    expect(judgeRequest.response_format).toStrictEqual({ type: 'json_schema', json_schema: { name: 'judge_verdict', schema: JUDGE_VERDICT_SCHEMA, strict: true } });
    expect(server.requestsTo(CHAT)[0].body).not.toHaveProperty('response_format');
    // The verdict is cached like any answer: a second eval asks nobody.
    const again = await runEval(workbench, { promptId, versions: [1], targets: [target] });
    expect([server.requestsTo(CHAT).length, again.detail.cells[0].status, again.detail.cells[0].score, again.done.judgeCostUsd]).toStrictEqual([2, 'passed', 0.8, 0]);
  });

  test('a judge without a price leaves its cost unknown, never $0: each cell says so, and the column counts those cells apart', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, {
      models: ['gpt-4o-mini', 'house-judge'],
      replyFor: (request) =>
        request.body.response_format === undefined ? factReply(request) : replyText('{"score": 0.9, "reason": "States one correct fact."}'),
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Does it state a true fact about the topic?', judge: { providerId, model: 'house-judge' } };
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides', { assertions: [judge] }), topicCase('volcanoes', { assertions: [judge] })], []);
    const { done, detail } = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const [summary] = detail.summaries;
    expect([
      detail.cells.map((cell) => [cell.status, cell.judgeCostUsd]),
      [summary.judgeCostUsd, summary.unpricedJudgeCells, summary.unpricedRunCells],
      done.judgeCostUsd,
      (summary.costUsd as number) > 0,
    ]).toStrictEqual([
      [
        ['passed', null],
        ['passed', null],
      ],
      [0, 2, 0],
      0,
      true,
    ]);
  });

  test("a .prompt.yml's github/groundedness and llm evaluators, imported with a judge, are graded by it in an eval", async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, {
      replyFor: (request) => {
        if (request.body.response_format === undefined) return factReply(request);
        // The judge sees the rubric it was given: a lower score for the evaluator asking about the expected answer.
        const system = request.messages[0].content;
        return replyText(system.includes('Groundedness') ? '{"reason": "Every claim is in the variables.", "score": 0.9}' : '{"reason": "Close to the expected answer.", "score": 0.6}');
      },
    });
    const { promptId } = await createEvalPrompt(workbench, [], []);
    const file = [
      'testData:',
      '  - topic: tides',
      '    expected: Here is a fact about tides.',
      'evaluators:',
      '  - name: Grounded',
      '    uses: github/groundedness',
      '  - name: Like the answer',
      '    llm:',
      '      modelId: openai/gpt-4o',
      '      prompt: "Expected: {{expected}}. Answer: {{completion}}. Rate it."',
      '      choices: [{ choice: good, score: 1 }, { choice: bad, score: 0 }]',
    ].join('\n');
    // The judge must be a provider of this machine.
    await expect(workbench.call('evals:import', { promptId, format: 'prompt-yml', text: file, judge: { providerId: 99, model: 'gpt-4o-mini' } })).rejects.toMatchObject({ code: 'not-found' });
    const judge = { providerId, model: 'gpt-4o-mini' };
    const imported = await workbench.call('evals:import', { promptId, format: 'prompt-yml', text: file, judge });
    expect([imported.imported, imported.problems, imported.suite.defaultAssertions.map((assertion) => [assertion.type, assertion.label])]).toStrictEqual([
      1,
      [],
      [
        ['llm-judge', 'Grounded'],
        ['llm-judge', 'Like the answer'],
      ],
    ]);
    const { done, detail } = await runEval(workbench, { promptId, versions: [1], targets: [judge] });
    const caseId = imported.suite.cases[0].id;
    const opened = await workbench.call('evals:cell', { evalId: done.id, caseId, columnKey: detail.cells[0].columnKey });
    expect(opened.results.map((result) => [result.isPassed, result.score])).toStrictEqual([
      [true, 0.9],
      [false, 0.6],
    ]);
    // Two judge requests went out, each with its rubric; the llm evaluator's placeholders point at the tagged material.
    const judged = server.requestsTo(CHAT).filter((request) => (request.body as { response_format?: unknown }).response_format !== undefined);
    const systems = judged.map((request) => (request.body as OpenAiChatRequest).messages[0].content);
    expect(systems.some((system) => system.includes('Groundedness: every claim in the output is supported'))).toBe(true);
    expect(systems.some((system) => system.includes('Expected: [the <expected_output>]. Answer: [the <output>]. Rate it.'))).toBe(true);
  });

  test('a judge answering garbage makes an assertion error showing its raw text, never a pass', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, {
      replyFor: (request) => (request.body.response_format === undefined ? factReply(request) : replyText('Looks great to me, ten out of ten!')),
    });
    const judge: Assertion = { type: 'llm-judge', rubric: 'Is it true?', judge: { providerId, model: 'gpt-4o-mini' } };
    const { promptId, caseIds } = await createEvalPrompt(workbench, [topicCase('tides', { assertions: [{ type: 'icontains', value: 'tides' }, judge] })], []);
    const { done, detail } = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const opened = await workbench.call('evals:cell', { evalId: done.id, caseId: caseIds[0], columnKey: detail.cells[0].columnKey });
    const [contains, verdict] = opened.results;
    expect([contains.isPassed, verdict.isPassed, verdict.score, typeof verdict.error, verdict.judge?.runId !== null]).toStrictEqual([true, false, 0, 'string', true]);
    expect(verdict.error).toContain('Looks great to me, ten out of ten!');
    expect([detail.cells[0].status, done.errorCount, done.passedCount, opened.error]).toStrictEqual(['error', 1, 0, verdict.error]);
    expect(detail.cells[0].summary).toContain('Looks great to me, ten out of ten!');
  });

  test('the daily budget refuses an eval that would go over it, saying by how much, and stores nothing', async () => {
    const { workbench, promptId, targets } = await twoModelSetup();
    await runEval(workbench, { promptId, versions: [1], targets: [targets[0]] });
    const { spentTodayUsd } = (await workbench.call('runs:estimate', { promptId, versions: [1], targets: [targets[0]] })).budget;
    expect(spentTodayUsd).toBeGreaterThan(0);
    await workbench.call('settings:update', { dailyBudgetUsd: spentTodayUsd });
    const refused = workbench.call('evals:start', { promptId, versions: [1, 2], targets });
    await expect(refused).rejects.toBeInstanceOf(CallFailure);
    const failure = (await refused.catch((error: unknown) => error)) as CallFailure;
    expect([failure.code, failure.message]).toStrictEqual([
      'conflict',
      expect.stringMatching(/^This eval would go over today’s budget of \$\d\.\d+ by \$\d\.\d+: \$\d\.\d+ spent so far today, and its cells are estimated at \$\d\.\d+$/),
    ]);
    expect(await workbench.call('evals:list', { promptId })).toHaveLength(1);
    await workbench.call('settings:update', { dailyBudgetUsd: spentTodayUsd * 100 });
    expect((await runEval(workbench, { promptId, versions: [1, 2], targets })).done.status).toBe('done');
  });

  test('an eval keeps its cases as they were; a case missing a variable is an error cell that asks no server', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, { replyFor: factReply });
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides'), { description: 'No topic', variables: {}, assertions: [] }]);
    const { detail } = await runEval(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    expect(detail.cells.map((cell) => [cell.status, cell.summary, cell.runId === null])).toStrictEqual([
      ['passed', null, false],
      ['error', 'This case has no value for {{topic}}', true],
    ]);
    expect(server.requestsTo(CHAT)).toHaveLength(1);
    const before = detail.cases;
    await workbench.call('evals:saveSuite', { promptId, defaultAssertions: [], cases: [{ description: 'Changed', variables: { topic: 'rivers' }, expected: 'x' }] });
    expect((await workbench.call('evals:get', { evalId: detail.id })).cases).toStrictEqual(before);
    await expect(workbench.call('evals:start', { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }, { providerId, model: 'gpt-4o-mini' }] })).rejects.toStrictEqual(
      new CallFailure({ code: 'invalid-input', message: 'A model is listed twice' }),
    );
    await workbench.call('evals:saveSuite', { promptId, defaultAssertions: [], cases: [] });
    await expect(workbench.call('evals:start', { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }] })).rejects.toStrictEqual(
      new CallFailure({ code: 'invalid-input', message: 'This prompt has no test cases yet: add or import some before running an eval' }),
    );
  });

  test('a cell whose request went without a parameter the model does not take says so in its detail', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOllama(workbench, {
      models: [{ name: 'llama3.2:latest', size: 1, parameterSize: '3B', quantization: 'Q4_K_M', family: 'llama' }],
      reply: { tokens: ['Tides', ' follow', ' the', ' moon.'] },
    });
    const { prompt } = await workbench.call('prompts:create', { name: 'Effort' });
    const content = { ...VERSION_CONTENT('V1'), parameters: { reasoningEffort: 'low' as const } };
    await workbench.call('versions:save', { promptId: prompt.id, content, variables: { topic: 'tides' }, note: 'V1' });
    const suite = await workbench.call('evals:saveSuite', { promptId: prompt.id, defaultAssertions: [], cases: [topicCase('tides')] });
    const { done, detail } = await runEval(workbench, { promptId: prompt.id, versions: [1], targets: [{ providerId, model: 'llama3.2:latest' }] });
    const opened = await workbench.call('evals:cell', { evalId: done.id, caseId: suite.cases[0].id, columnKey: detail.cells[0].columnKey });
    expect([opened.status, opened.output, opened.notices]).toStrictEqual(['passed', 'Tides follow the moon.', ['Reasoning effort not sent: llama3.2:latest cannot think']]);
  });
});

describe('judges whose provider was removed', () => {
  async function judgedSetup() {
    const workbench = startWorkbench();
    const target = await addOpenAi(workbench, { replyFor: factReply });
    const judgeServer = await addCompatible(workbench, { replyFor: () => replyText('{"reason": "Polite.", "score": 0.9}') });
    const judge: Assertion = { type: 'llm-judge', rubric: 'The answer is polite.', judge: { providerId: judgeServer.providerId, model: 'qwen2.5-7b-instruct' }, label: 'Polite' };
    const { promptId } = await createEvalPrompt(workbench, [topicCase('tides'), topicCase('volcanoes', { assertions: [{ type: 'icontains', value: 'volcanoes' }, judge] })], [judge]);
    return { workbench, target, judgeServer, promptId, targets: [{ providerId: target.providerId, model: 'gpt-4o-mini' }] };
  }

  test('an eval with a check whose judge’s provider was removed is refused before any model is asked, naming the checks and where to fix them', async () => {
    const { workbench, target, judgeServer, promptId, targets } = await setupWithoutJudge();
    await expect(workbench.call('evals:start', { promptId, versions: [1], targets })).rejects.toStrictEqual(
      new CallFailure({
        code: 'conflict',
        message:
          'Check 1 (“Polite”) in the default checks and check 2 (“Polite”) in case 2 of “Facts” have no judge: their provider was removed in Settings › Providers. Choose another judge for them in Evals › Test cases, then run the eval',
      }),
    );
    expect([target.server.requestsTo(CHAT).length, judgeServer.server.requestsTo(CHAT).length, await workbench.call('evals:list', { promptId })]).toStrictEqual([0, 0, []]);

    async function setupWithoutJudge() {
      const setup = await judgedSetup();
      await setup.workbench.call('providers:remove', { id: setup.judgeServer.providerId });
      return setup;
    }
  });

  test('a judge whose provider goes while its eval runs fails its checks saying so, never by number; retrying them is refused until the check has a judge', async () => {
    const { workbench, target, judgeServer, promptId, targets } = await judgedSetup();
    let release = () => {};
    const removed = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first answer waits until the judge's provider is gone.
    target.server.script({ fault: { kind: 'pause', afterChunks: 1, until: removed } });
    const started = await workbench.call('evals:start', { promptId, versions: [1], targets, concurrency: 1 });
    while (target.server.requestsTo(CHAT).length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await workbench.call('providers:remove', { id: judgeServer.providerId });
    release();
    const done = await workbench.waitFor('eval:done', (summary) => summary.id === started.id);
    const detail = await workbench.call('evals:get', { evalId: started.id });
    expect([done.errorCount, detail.cells.map((cell) => cell.summary)]).toStrictEqual([
      2,
      [`Polite: ${JUDGE_PROVIDER_REMOVED}`, `Polite: ${JUDGE_PROVIDER_REMOVED}`],
    ]);
    await expect(workbench.call('evals:resume', { evalId: started.id, isRetryingErrors: true })).rejects.toStrictEqual(
      new CallFailure({
        code: 'conflict',
        message: `Cannot retry the errors of eval ${started.id}: check 1 (“Polite”) in the default checks and check 2 (“Polite”) in case 2 have no judge, as their provider was removed in Settings › Providers. Its results stay as they were; choose another judge for them in Evals › Test cases and run a new eval`,
      }),
    );
    expect([target.server.requestsTo(CHAT).length, judgeServer.server.requestsTo(CHAT).length]).toStrictEqual([2, 0]);
  });
});

function byCell(left: EvalCell, right: EvalCell): number {
  return left.caseId - right.caseId || left.columnKey.localeCompare(right.columnKey);
}

function detail4MeanScores(detail: EvalDetail, keys: string[]): (number | null)[] {
  return keys.map((key) => detail.summaries.find((summary) => summary.columnKey === key)?.meanScore ?? null);
}
