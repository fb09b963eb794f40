/**
 * An Anthropic run's cache reads and writes, which `message_start` counts before any text, are
 * charged at their own rates from then on: in the live counters, and in what is stored of a run
 * that ends early (cut, stopped, or still running when the app closed), not only at its end.
 */

import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, test } from 'vitest';
import type { RunCounters, RunRecord } from '../../../../shared/types';
import { DEFAULT_ANTHROPIC_REPLY } from '../../../fixtures/anthropic-server';
import type { Fault } from '../../../fixtures/fault-injection';
import { addAnthropic, createPrompt, startWorkbench, type Workbench } from './run-harness';

const MODEL = 'claude-haiku-4-5';
const { input_tokens: UNCACHED, cache_read_input_tokens: READ = 0, cache_creation_input_tokens: WRITTEN = 0 } = DEFAULT_ANTHROPIC_REPLY.usage;
const INPUT = UNCACHED + READ + WRITTEN;

/** What the catalog charges for the whole input, split as Anthropic counted it, and `outputTokens` of answer. */
function catalogCost(outputTokens: number): number {
  const price = calcPrice({ input_tokens: INPUT, cache_read_tokens: READ, cache_write_tokens: WRITTEN, output_tokens: outputTokens }, MODEL, { providerId: 'anthropic' });
  return price?.total_price as number;
}

/** The live figures a column shows, and what they should be. */
function liveView(counters: RunCounters) {
  return { inputTokens: counters.inputTokens, isInputEstimated: counters.isInputEstimated, costUsd: Number(counters.costUsd?.toPrecision(10)) };
}

/** What History shows of a stored run's usage and cost. */
function storedView(run: RunRecord) {
  return { status: run.status, usage: run.usage, costUsd: Number(run.costUsd?.toPrecision(10)) };
}

function expectedStored(status: RunRecord['status'], outputTokens: number) {
  return {
    status,
    usage: { inputTokens: INPUT, cachedInputTokens: READ, cacheWriteTokens: WRITTEN, outputTokens, reasoningTokens: 0, isEstimated: true, isInputEstimated: false },
    costUsd: Number(catalogCost(outputTokens).toPrecision(10)),
  };
}

/** Starts one Anthropic cell; resolves to its run's id. */
async function startOne(workbench: Workbench, providerId: number): Promise<number> {
  const promptId = await createPrompt(workbench);
  const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: MODEL }] });
  return started.cells[0].runId;
}

/** A stream that stops after two tokens and holds the connection until the client leaves. */
const HELD: Fault = { kind: 'pause', afterChunks: 2, until: new Promise(() => undefined) };

describe('cache reads and writes before an Anthropic run ends', () => {
  test('the live counters and a stopped run charge cache reads and writes at their own rates', async () => {
    expect([READ, WRITTEN].every((tokens) => tokens > 0)).toBe(true);
    const workbench = startWorkbench();
    const { server, providerId } = await addAnthropic(workbench);
    server.script({ fault: HELD });
    const runId = await startOne(workbench, providerId);
    const delta = await workbench.waitFor('run:delta', (candidate) => candidate.runId === runId && candidate.text !== '');
    const counters = delta.counters as RunCounters;
    expect(liveView(counters)).toStrictEqual({ inputTokens: INPUT, isInputEstimated: false, costUsd: Number(catalogCost(counters.outputTokens).toPrecision(10)) });

    await workbench.call('runs:cancel', { runId });
    const stopped = await workbench.runDone(runId);
    expect(storedView(stopped)).toStrictEqual(expectedStored('cancelled', stopped.usage.outputTokens));
  });

  test('a cut stream is stored with the split and its cost', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addAnthropic(workbench);
    server.script({ fault: { kind: 'cut', afterChunks: 2 } });
    const runId = await startOne(workbench, providerId);
    const cut = await workbench.runDone(runId);
    expect(storedView(cut)).toStrictEqual(expectedStored('error', cut.usage.outputTokens));
  });

  test('a run still streaming when the app closes is stored with the split and its cost, and so counts toward today’s spending', async () => {
    const first = startWorkbench();
    const { server, providerId } = await addAnthropic(first);
    server.script({ fault: HELD });
    const runId = await startOne(first, providerId);
    await first.waitFor('run:delta', (candidate) => candidate.runId === runId && candidate.text !== '');
    first.engine.close();
    const reopened = startWorkbench({ dataDir: first.dataDir });
    const closed = await reopened.call('runs:get', { id: runId });
    expect(storedView(closed)).toStrictEqual(expectedStored('cancelled', closed.usage.outputTokens));
    expect((await reopened.call('runs:budget', {})).spentTodayUsd).toBe(closed.costUsd);
  });
});
