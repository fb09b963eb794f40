/**
 * `runs:estimate` through the engine, with the real SDKs against the fixtures: Anthropic's
 * `count_tokens` gives the exact input (and the cost of it) where it answers; everywhere else,
 * and whenever counting fails, the local tokenizer's estimate stands and the estimate succeeds.
 */

import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { estimateCost, formatUsd } from '../../../../shared/cost';
import type { RunEstimate } from '../../../../shared/types';
import { estimateInputTokens } from '../../../../electron/core/tokens/token-estimator';
import { DEFAULT_ANTHROPIC_REPLY } from '../../../fixtures/anthropic-server';
import { DEFAULT_OPENAI_REPLY, startOpenAiServer } from '../../../fixtures/openai-server';
import { manualClock } from '../../support';
import { addAnthropic, addCompatible, addOpenAi, afterTest, ANTHROPIC_KEY, createPrompt, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';

const RENDERED = [
  { role: 'system' as const, content: 'You answer in one short sentence.' },
  { role: 'user' as const, content: 'Tell me about tides.' },
];
const COUNT_PATH = '/v1/messages/count_tokens';

/** What the chip shows of each cell: input, whether it is exact, and its cost. */
function view(estimate: RunEstimate) {
  return estimate.cells.map((cell) => ({ model: cell.model, inputTokens: cell.inputTokens, isInputExact: cell.isInputExact, costUsd: cell.costUsd }));
}

/** The cost the estimate should show for `inputTokens` on the cell's model (no history, so no output). */
function costOf(estimate: RunEstimate, index: number, inputTokens: number) {
  return estimateCost(inputTokens, 0, estimate.cells[index].price.price);
}

let promptCount = 0;

async function estimateOn(workbench: Workbench, providerId: number, model: string, samples = 1) {
  // A prompt of its own each time (names are unique), with the same messages.
  promptCount += 1;
  const promptId = await createPrompt(workbench, undefined, undefined, `Explainer ${promptCount}`);
  return workbench.call('runs:estimate', { promptId, versions: ['draft'], targets: [{ providerId, model }], samples });
}

describe('runs:estimate with provider counting', () => {
  test('Anthropic: the input count_tokens gives, marked exact, priced, asked once for the same messages', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addAnthropic(workbench, { countTokens: { inputTokens: 1234 } });
    const estimate = await estimateOn(workbench, providerId, 'claude-haiku-4-5', 2);
    const again = await estimateOn(workbench, providerId, 'claude-haiku-4-5', 2);
    const cell = { model: 'claude-haiku-4-5', inputTokens: 1234, isInputExact: true, costUsd: costOf(estimate, 0, 1234) };
    expect(cell.costUsd).toBeGreaterThan(0);
    expect([view(estimate), view(again), estimate.totalCostUsd, server.requestsTo(COUNT_PATH).map((sent) => sent.body)]).toStrictEqual([
      [cell, { ...cell }],
      [cell, { ...cell }],
      (cell.costUsd as number) * 2,
      [{ model: 'claude-haiku-4-5', system: RENDERED[0].content, messages: [RENDERED[1]] }],
    ]);
    expect(server.requestsTo('/v1/messages')).toHaveLength(0);
  });

  test('a run starts from the count its estimate showed: the column, the stopped run and the budget check all use it', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addAnthropic(workbench, { countTokens: { inputTokens: 5 }, reply: { tokens: ['Tides', ' rise'], chunkDelayMs: 5000 } });
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'claude-opus-4-5' }], samples: 3 };
    const local = estimateInputTokens(RENDERED, 'claude-opus-4-5');
    expect(local).toBeGreaterThan(5 * 1.5);
    const estimate = await workbench.call('runs:estimate', request);
    expect(view(estimate).map((cell) => [cell.inputTokens, cell.isInputExact])).toStrictEqual([
      [5, true],
      [5, true],
      [5, true],
    ]);

    // A budget the counted batch fits in, and the local estimate would not: the run goes, as the estimate said it would.
    const perCell = estimate.cells[0].costUsd as number;
    await workbench.call('settings:update', { dailyBudgetUsd: perCell * 3 * 1.5 });
    expect((estimateCost(local, 0, estimate.cells[0].price.price) as number) * 3).toBeGreaterThan(perCell * 3 * 1.5);
    const started = await workbench.call('runs:start', request);
    expect(started.cells.map((cell) => [cell.estimatedInputTokens, cell.isInputCounted])).toStrictEqual([
      [5, true],
      [5, true],
      [5, true],
    ]);
    // Stopped before the answer ended: the run keeps the input the provider counted as it started answering (message_start), as exact.
    const runId = started.cells[0].runId;
    await workbench.waitFor('run:delta', (delta) => delta.runId === runId);
    await workbench.call('runs:cancel', { batchId: started.batchId });
    const stopped = await workbench.runDone(runId);
    const { input_tokens: input, cache_read_input_tokens: read = 0, cache_creation_input_tokens: written = 0 } = DEFAULT_ANTHROPIC_REPLY.usage;
    expect([stopped.status, stopped.usage.inputTokens, stopped.usage.isEstimated, stopped.usage.isInputEstimated]).toStrictEqual(['cancelled', input + read + written, true, false]);
    // The export says so too: the output counted locally, the input not.
    const rows = parse((await workbench.call('runs:export', { format: 'csv' })).text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.filter((row) => row.id === String(runId)).map((row) => [row.usage_estimated, row.input_estimated])).toStrictEqual([['1', '0']]);
    expect(server.requestsTo(COUNT_PATH)).toHaveLength(1);
    // Settings shows today's spending as the estimate's budget check counts it.
    await workbench.batchDone(started.batchId);
    const spent = (await workbench.call('runs:estimate', request)).budget.spentTodayUsd;
    expect(spent).toBeGreaterThan(0);
    expect(await workbench.call('runs:budget', {})).toStrictEqual({ dailyBudgetUsd: perCell * 3 * 1.5, spentTodayUsd: spent, exceedsByUsd: null });

    // Over the budget by the counted figures, the refusal quotes the same estimate the panel showed.
    await workbench.call('settings:update', { dailyBudgetUsd: perCell });
    const refused = await workbench.call('runs:estimate', request);
    await expect(workbench.call('runs:start', request)).rejects.toThrow(`the batch is estimated at ${formatUsd(refused.totalCostUsd)}`);
  });

  test('the output expected is the median of the last runs, so one runaway answer does not inflate every estimate after it', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true };
    const expected = async () => (await workbench.call('runs:estimate', request)).cells[0].expectedOutputTokens;
    const outputs = [120, 200_000, 100, 140];
    const seen: (number | null)[] = [await expected()];
    for (const outputTokens of outputs) {
      server.script({ reply: { usage: { ...DEFAULT_OPENAI_REPLY.usage, completion_tokens: outputTokens } } });
      const started = await workbench.call('runs:start', request);
      await workbench.batchDone(started.batchId);
      seen.push(await expected());
    }
    // Two runs have the same mean and median; after three and four the mean would have said 66,740 and 50,090.
    expect(seen).toStrictEqual([null, 120, 100_060, 120, 130]);
  });

  test('OpenAI offers no counting: the local estimate, marked estimated, and nothing sent', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const estimate = await estimateOn(workbench, providerId, 'gpt-4o-mini');
    const inputTokens = estimateInputTokens(RENDERED, 'gpt-4o-mini');
    expect([view(estimate), server.requests.length]).toStrictEqual([
      [{ model: 'gpt-4o-mini', inputTokens, isInputExact: false, costUsd: costOf(estimate, 0, inputTokens) }],
      0,
    ]);
  });

  test.each([500, 401, 429])('count_tokens failing with %i falls back to the local estimate without failing', async (status) => {
    const workbench = startWorkbench();
    const { server, providerId } = await addAnthropic(workbench, { countTokens: { status } });
    const estimate = await estimateOn(workbench, providerId, 'claude-haiku-4-5');
    const inputTokens = estimateInputTokens(RENDERED, 'claude-haiku-4-5');
    // A key was sent (a refused one too): no missing key to speak of.
    expect([view(estimate), estimate.cells.map((cell) => cell.inputNotCounted), server.requestsTo(COUNT_PATH).length]).toStrictEqual([
      [{ model: 'claude-haiku-4-5', inputTokens, isInputExact: false, costUsd: costOf(estimate, 0, inputTokens) }],
      [undefined],
      1,
    ]);
  });

  test('Anthropic without a key: the local estimate, nothing sent, and each cell says the missing key is why; with the key entered, the exact count', async () => {
    const workbench = startWorkbench();
    const { server } = await addAnthropic(workbench, { countTokens: { inputTokens: 1234 } });
    const keyless = await workbench.call('providers:save', { kind: 'anthropic', label: 'Anthropic (no key)', baseUrl: server.baseUrl });
    const counting = (estimate: RunEstimate) => estimate.cells.map((cell) => [cell.inputTokens === 1234, cell.isInputExact, cell.inputNotCounted ?? null]);
    const before = counting(await estimateOn(workbench, keyless.id, 'claude-haiku-4-5', 2));
    const sentBefore = server.requests.length;
    await workbench.call('providers:save', { id: keyless.id, kind: 'anthropic', label: 'Anthropic (no key)', baseUrl: server.baseUrl, apiKey: ANTHROPIC_KEY });
    expect([before, sentBefore, counting(await estimateOn(workbench, keyless.id, 'claude-haiku-4-5', 2))]).toStrictEqual([
      [
        [false, false, 'no-key'],
        [false, false, 'no-key'],
      ],
      0,
      [
        [true, true, null],
        [true, true, null],
      ],
    ]);
  });

  test('OpenAI without a key: no counting to miss, but the missing key is said, as the run would fail', async () => {
    const workbench = startWorkbench();
    const { server } = await addOpenAi(workbench);
    const keyless = await workbench.call('providers:save', { kind: 'openai', label: 'OpenAI (no key)', baseUrl: server.baseUrl });
    const estimate = await estimateOn(workbench, keyless.id, 'gpt-4o-mini');
    expect([estimate.cells.map((cell) => [cell.isInputExact, cell.inputNotCounted, cell.missingKey]), server.requests.length]).toStrictEqual([[[false, undefined, 'not-set']], 0]);
  });
});

describe('runs:estimate and runs of a provider without its key', () => {
  test('an endpoint whose entered key the host lost when it restarted: the estimate says so, and so does the failed run; keyless servers need none', async () => {
    const clock = manualClock('2025-03-01T10:00:00.000Z');
    const first = startWorkbench({ now: clock.now });
    const groqServer = await startOpenAiServer({ apiKey: 'gsk-entered', models: ['llama-3.3-70b-versatile'] });
    afterTest(groqServer.close);
    const groq = await first.call('providers:save', { kind: 'openai-compatible', label: 'Groq', baseUrl: groqServer.baseUrl, apiKey: 'gsk-entered' });
    const { providerId: lmStudio } = await addCompatible(first);
    const unsetVariable = await first.call('providers:save', { kind: 'openai-compatible', label: 'Team proxy', baseUrl: groqServer.baseUrl, keySource: 'environment', keyVariable: 'PROXY_API_KEY' });
    // A Groq endpoint left on "No key" still needs one: Groq answers nothing without it.
    const groqNoKey = await first.call('providers:save', { kind: 'openai-compatible', label: 'Groq (no key)', baseUrl: 'https://api.groq.com/openai/v1', keySource: 'none' });
    const promptId = await createPrompt(first);
    const targets = [
      { providerId: groq.id, model: 'llama-3.3-70b-versatile' },
      { providerId: lmStudio, model: 'qwen2.5-7b-instruct' },
      { providerId: unsetVariable.id, model: 'llama-3.3-70b-versatile' },
      { providerId: groqNoKey.id, model: 'llama-3.3-70b-versatile' },
    ];
    const missingKeys = async (workbench: Workbench) =>
      (await workbench.call('runs:estimate', { promptId, versions: ['draft'], targets })).cells.map((cell) => [cell.providerLabel, cell.missingKey ?? null]);
    const before = await missingKeys(first);
    first.engine.close();

    // Started again (the session's keys gone with it), an hour later.
    clock.set('2025-03-01T11:00:00.000Z');
    const second = startWorkbench({ dataDir: first.dataDir, now: clock.now });
    expect([before, await missingKeys(second)]).toStrictEqual([
      [
        ['Groq', null],
        ['LM Studio', null],
        ['Team proxy', 'not-set'],
        ['Groq (no key)', 'not-set'],
      ],
      [
        ['Groq', 'lost-at-restart'],
        ['LM Studio', null],
        ['Team proxy', 'not-set'],
        ['Groq (no key)', 'not-set'],
      ],
    ]);
    const started = await second.call('runs:start', { promptId, versions: ['draft'], targets: [targets[0]] });
    await second.batchDone(started.batchId);
    const run = await second.call('runs:get', { id: started.cells[0].runId });
    expect([run.status, run.error]).toStrictEqual([
      'error',
      'Groq asks for an API key (401), and none is set: the key entered earlier was lost when the workbench restarted (it keeps entered keys only until it stops): enter it again in Settings › Providers',
    ]);

    // Entered again, or the provider saved afresh without one this session: no longer "lost".
    await second.call('providers:save', { id: groq.id, kind: 'openai-compatible', label: 'Groq', apiKey: 'gsk-entered' });
    expect((await missingKeys(second))[0]).toStrictEqual(['Groq', null]);
  });
});

describe('runs:estimate and placeholders sent as written', () => {
  test('each saved version in the batch that sends placeholders as written is named, with them; the draft and clean versions are not', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const literal = { ...TOPIC_CONTENT, messages: [{ role: 'user' as const, content: 'About {{topic}} {{a b}} and {{{topic}}}, {{a b}} again.' }] };
    await workbench.call('versions:save', { promptId, content: literal, variables: { topic: 'tides' }, note: '' });
    await workbench.call('versions:save', { promptId, content: TOPIC_CONTENT, variables: { topic: 'tides' }, note: '' });
    // The draft sends them too, but the renderer names the draft's as they are typed.
    await workbench.call('drafts:save', { promptId, content: literal, variables: { topic: 'tides' } });
    const estimate = (versions: ('draft' | number)[]) => workbench.call('runs:estimate', { promptId, versions, targets: [{ providerId, model: 'gpt-4o-mini' }] });
    expect([(await estimate(['draft', 1, 2])).literalPlaceholders, (await estimate(['draft', 2])).literalPlaceholders]).toStrictEqual([
      [{ version: 1, malformed: ['{{a b}}'], braced: ['{{{topic}}}'] }],
      [],
    ]);
  });
});
