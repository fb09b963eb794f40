/**
 * A batch on each provider, through the real SDK against its protocol's fixture: the stored run
 * carries exactly the usage the server sent and the cost the price catalog gives for it, the
 * streamed deltas add up to the stored output, and the server got the rendered messages.
 */

import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, test } from 'vitest';
import type { RunRecord } from '../../../../shared/types';
import { addAnthropic, addCompatible, addOllama, addOpenAi, createPrompt, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';

const RENDERED = [
  { role: 'system', content: 'You answer in one short sentence.' },
  { role: 'user', content: 'Tell me about tides.' },
];

/** What a user sees of a finished run. */
function view(run: RunRecord) {
  return {
    status: run.status,
    error: run.error,
    output: run.output,
    usage: run.usage,
    finishReason: run.finishReason,
    priceSource: run.price.source,
    isCacheHit: run.isCacheHit,
    messages: run.messages,
  };
}

async function runOne(workbench: Workbench, providerId: number, model: string) {
  const promptId = await createPrompt(workbench);
  const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model }] });
  const done = await workbench.batchDone(started.batchId);
  const run = await workbench.runDone(started.cells[0].runId);
  return { started, done, run };
}

describe('runs on each provider', () => {
  test('OpenAI: exact usage with cached input, and the catalog cost of exactly that usage', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const { run, done } = await runOne(workbench, providerId, 'gpt-4o-mini');
    const expectedCost = calcPrice({ input_tokens: 1187, cache_read_tokens: 1024, output_tokens: 6 }, 'gpt-4o-mini', { providerId: 'openai' })?.total_price;
    expect(view(run)).toStrictEqual({
      status: 'ok',
      error: null,
      output: 'Hello, side by side!',
      usage: { inputTokens: 1187, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 6, reasoningTokens: 0, isEstimated: false },
      finishReason: 'stop',
      priceSource: 'catalog',
      isCacheHit: false,
      messages: RENDERED,
    });
    expect(expectedCost).toBeGreaterThan(0);
    expect(run.costUsd).toBeCloseTo(expectedCost as number, 12);
    expect(done.totalCostUsd).toBe(run.costUsd);
    expect(workbench.streamedText(run.id)).toBe(run.output);
    expect((server.requestsTo(chatPath)[0].body as { messages: unknown }).messages).toStrictEqual(RENDERED);
    expect(await workbench.call('runs:get', { id: run.id })).toStrictEqual(run);
  });

  test('Anthropic: input counts cache reads and writes beside input_tokens, each at its own rate', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addAnthropic(workbench);
    const { run } = await runOne(workbench, providerId, 'claude-haiku-4-5');
    const total = 23 + 2048 + 1536;
    const expectedCost = calcPrice(
      { input_tokens: total, cache_read_tokens: 2048, cache_write_tokens: 1536, output_tokens: 9 },
      'claude-haiku-4-5',
      { providerId: 'anthropic' },
    )?.total_price;
    expect(view(run)).toStrictEqual({
      status: 'ok',
      error: null,
      output: 'Hello, side by side!',
      usage: { inputTokens: total, cachedInputTokens: 2048, cacheWriteTokens: 1536, outputTokens: 9, reasoningTokens: 0, isEstimated: false },
      finishReason: 'end_turn',
      priceSource: 'catalog',
      isCacheHit: false,
      messages: RENDERED,
    });
    expect(run.costUsd).toBeCloseTo(expectedCost as number, 12);
    expect(run.price.catalogModel).toBe('claude-haiku-4-5');
    expect(server.requestsTo(chatPath)[0].body).toMatchObject({ system: RENDERED[0].content, messages: [RENDERED[1]] });
  });

  test('Ollama: exact counts from the final line, $0 as a local model, speed from its own eval timing', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOllama(workbench);
    const { run } = await runOne(workbench, providerId, 'llama3.2');
    expect(view(run)).toStrictEqual({
      status: 'ok',
      error: null,
      output: 'Hello, side by side!',
      usage: { inputTokens: 26, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 6, reasoningTokens: 0, isEstimated: false },
      finishReason: 'stop',
      priceSource: 'local',
      isCacheHit: false,
      messages: RENDERED,
    });
    expect(run.costUsd).toBe(0);
    // 6 tokens in the fixture's eval_duration of 4,535,599,000 ns.
    expect(run.tokensPerSecond).toBeCloseTo(6 / 4.535599, 9);
  });

  test('an OpenAI-compatible server that sends no usage: the tokenizer estimates it, and the run says so', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addCompatible(workbench, { ignoresStreamOptions: true });
    const { run, started } = await runOne(workbench, providerId, 'qwen2.5-7b-instruct');
    expect(view(run)).toMatchObject({ status: 'ok', output: 'Hello, side by side!', finishReason: 'stop', priceSource: 'local' });
    expect(run.usage).toStrictEqual({
      inputTokens: started.cells[0].estimatedInputTokens,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 6,
      reasoningTokens: 0,
      isEstimated: true,
    });
  });

  test('a model the catalog does not price has no cost (null), never a made-up one', async () => {
    const workbench = startWorkbench();
    const { server } = await addCompatible(workbench);
    const remote = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Some host', baseUrl: server.baseUrl, isLocal: false });
    const { run, started } = await runOne(workbench, remote.id, 'qwen2.5-7b-instruct');
    expect([started.cells[0].price, run.status, run.costUsd, run.price.source]).toStrictEqual([
      { price: null, source: 'none', catalogModel: null },
      'ok',
      null,
      'none',
    ]);
  });

  test('an empty message is sent to no provider: both requests and the stored run hold only the others', async () => {
    const workbench = startWorkbench();
    const openAi = await addOpenAi(workbench);
    const anthropic = await addAnthropic(workbench);
    const content = { ...TOPIC_CONTENT, messages: [{ role: 'system' as const, content: '  \n' }, ...TOPIC_CONTENT.messages.slice(1)] };
    const promptId = await createPrompt(workbench, content);
    const started = await workbench.call('runs:start', {
      promptId,
      versions: ['draft'],
      targets: [
        { providerId: openAi.providerId, model: 'gpt-4o-mini' },
        { providerId: anthropic.providerId, model: 'claude-haiku-4-5' },
      ],
    });
    await workbench.batchDone(started.batchId);
    const openAiBody = openAi.server.requestsTo(openAi.chatPath)[0].body as { messages: unknown[] };
    const anthropicBody = anthropic.server.requestsTo(anthropic.chatPath)[0].body as { system?: unknown; messages: unknown[] };
    expect(openAiBody.messages).toStrictEqual([{ role: 'user', content: 'Tell me about tides.' }]);
    expect([anthropicBody.system, anthropicBody.messages.length]).toStrictEqual([undefined, 1]);
    const stored = await Promise.all(started.cells.map((cell) => workbench.call('runs:get', { id: cell.runId })));
    expect(stored.map((run) => [run.status, run.messages])).toStrictEqual([
      ['ok', [{ role: 'user', content: 'Tell me about tides.' }]],
      ['ok', [{ role: 'user', content: 'Tell me about tides.' }]],
    ]);
  });

  test('side by side: two versions on three providers make six cells that all finish with their own usage', async () => {
    const workbench = startWorkbench();
    const openAi = await addOpenAi(workbench);
    const anthropic = await addAnthropic(workbench);
    const ollama = await addOllama(workbench);
    const promptId = await createPrompt(workbench);
    await workbench.call('versions:save', { promptId, content: TOPIC_V1, variables: { topic: 'tides' }, note: 'v1' });
    await workbench.call('drafts:save', { promptId, content: TOPIC_CONTENT, variables: { topic: 'tides' } });
    const started = await workbench.call('runs:start', {
      promptId,
      versions: [1, 'draft'],
      targets: [
        { providerId: openAi.providerId, model: 'gpt-4o-mini' },
        { providerId: anthropic.providerId, model: 'claude-haiku-4-5' },
        { providerId: ollama.providerId, model: 'llama3.2' },
      ],
    });
    const done = await workbench.batchDone(started.batchId);
    const page = await workbench.call('runs:list', { batchId: started.batchId });
    // Each model's versions side by side, in the order asked for.
    expect(page.items.map((run) => [run.cellIndex, run.version, run.model, run.status, run.usage.inputTokens]).reverse()).toStrictEqual([
      [0, 1, 'gpt-4o-mini', 'ok', 1187],
      [1, 'draft', 'gpt-4o-mini', 'ok', 1187],
      [2, 1, 'claude-haiku-4-5', 'ok', 3607],
      [3, 'draft', 'claude-haiku-4-5', 'ok', 3607],
      [4, 1, 'llama3.2', 'ok', 26],
      [5, 'draft', 'llama3.2', 'ok', 26],
    ]);
    expect(done.counts).toStrictEqual({ running: 0, ok: 6, error: 0, cancelled: 0 });
    const asked = openAi.server.requestsTo(openAi.chatPath).map((request) => (request.body as { messages: { content: string }[] }).messages[1].content);
    expect(asked.sort()).toStrictEqual(['Summarise tides.', 'Tell me about tides.']);
  });
});

const TOPIC_V1 = {
  model: 'openai/gpt-4o-mini',
  parameters: {},
  messages: [
    { role: 'system' as const, content: 'You answer in one short sentence.' },
    { role: 'user' as const, content: 'Summarise {{topic}}.' },
  ],
};
