/**
 * Thinking through the engine, from each provider's fixture in its real wire protocol: it streams
 * to the renderer in its own delta field, is stored with the run and its cached answer apart from
 * the output, comes back on a cache hit, and a stream cut while thinking keeps what came, with
 * the thinking counted as (estimated) output.
 */

import { describe, expect, test } from 'vitest';
import { countTextTokens } from '../../../../electron/core/tokens/token-estimator';
import { addAnthropic, addOllama, addOpenAi, createPrompt, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';

const THINKING = ['Tides', ' come', ' from', ' the moon', "'s pull."];
const ANSWER = [' Twice', ' a day.'];

async function runOnce(workbench: Workbench, providerId: number, model: string, promptId: number) {
  const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model }] });
  await workbench.batchDone(started.batchId);
  const runId = started.cells[0].runId;
  const deltas = workbench.deltasOf(runId);
  return {
    record: await workbench.call('runs:get', { id: runId }),
    streamedReasoning: deltas.map((delta) => delta.reasoning ?? '').join(''),
    streamedText: deltas.map((delta) => delta.text).join(''),
  };
}

describe('thinking through the engine', () => {
  test.each([
    ['openai', 'gpt-4o-mini', (workbench: Workbench) => addOpenAi(workbench, { reply: { reasoning: THINKING, tokens: ANSWER } })],
    ['anthropic', 'claude-haiku-4-5', (workbench: Workbench) => addAnthropic(workbench, { reply: { reasoning: THINKING, tokens: ANSWER } })],
    ['ollama', 'qwen3:8b', (workbench: Workbench) => addOllama(workbench, { reply: { reasoning: THINKING, tokens: ANSWER } })],
  ])('%s: streamed in its own field, stored apart from the output, and given again by the cache', async (_kind, model, add) => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await add(workbench);
    const promptId = await createPrompt(workbench);
    const first = await runOnce(workbench, providerId, model, promptId);
    const cached = await runOnce(workbench, providerId, model, promptId);
    expect({
      streamed: [first.streamedReasoning, first.streamedText],
      stored: [first.record.status, first.record.reasoning, first.record.output],
      cached: [cached.record.isCacheHit, cached.record.reasoning, cached.record.output],
      requests: server.requestsTo(chatPath).length,
    }).toStrictEqual({
      streamed: [THINKING.join(''), ANSWER.join('')],
      stored: ['ok', THINKING.join(''), ANSWER.join('')],
      cached: [true, THINKING.join(''), ANSWER.join('')],
      requests: 1,
    });
  });

  test('a stream cut while thinking keeps the thinking so far, counted as estimated output', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, { reply: { reasoning: THINKING, tokens: ANSWER } });
    server.script({ fault: { kind: 'cut', afterChunks: 3 } });
    const promptId = await createPrompt(workbench);
    const { record } = await runOnce(workbench, providerId, 'gpt-4o-mini', promptId);
    const thought = THINKING.slice(0, 3).join('');
    expect([record.status, record.errorKind, record.reasoning, record.output, record.usage.isEstimated, record.usage.reasoningTokens, record.usage.outputTokens]).toStrictEqual([
      'error',
      'stream',
      thought,
      '',
      true,
      countTextTokens(thought, 'gpt-4o-mini'),
      countTextTokens(thought, 'gpt-4o-mini'),
    ]);
  });

  test('Ollama: a level on a thinking model without levels goes as thinking on, said by the estimate and by the run; gpt-oss takes the level', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOllama(workbench, {
      models: [
        { name: 'qwen3:8b', size: 1, parameterSize: '8B', quantization: 'Q4_K_M', family: 'qwen3', capabilities: ['completion', 'thinking'] },
        { name: 'gpt-oss:20b', size: 1, parameterSize: '20B', quantization: 'MXFP4', family: 'gptoss', capabilities: ['completion', 'thinking'] },
      ],
      reply: { tokens: ANSWER },
    });
    const promptId = await createPrompt(workbench, { ...TOPIC_CONTENT, parameters: { reasoningEffort: 'high' as const } });
    const NOTICE = 'Reasoning high sent as thinking on: qwen3:8b has no levels';
    const targets = [
      { providerId, model: 'qwen3:8b' },
      { providerId, model: 'gpt-oss:20b' },
    ];
    const estimate = await workbench.call('runs:estimate', { promptId, versions: ['draft'], targets });
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets });
    await workbench.batchDone(started.batchId);
    const records = await Promise.all(started.cells.map((cell) => workbench.call('runs:get', { id: cell.runId })));
    const listed = await workbench.call('runs:list', { limit: 10 });
    expect({
      estimated: estimate.cells.map((cell) => [cell.model, cell.reasoningNotice]),
      stored: records.map((record) => [record.model, record.status, record.notices]),
      listed: listed.items.map((item) => [item.model, item.notices]),
      thinkSent: server.requestsTo('/api/chat').map((request) => [(request.body as { model: string }).model, (request.body as { think?: unknown }).think]),
    }).toStrictEqual({
      estimated: [
        ['qwen3:8b', NOTICE],
        ['gpt-oss:20b', undefined],
      ],
      stored: [
        ['qwen3:8b', 'ok', [NOTICE]],
        ['gpt-oss:20b', 'ok', []],
      ],
      listed: expect.arrayContaining([
        ['qwen3:8b', [NOTICE]],
        ['gpt-oss:20b', []],
      ]) as unknown,
      thinkSent: expect.arrayContaining([
        ['qwen3:8b', true],
        ['gpt-oss:20b', 'high'],
      ]) as unknown,
    });
  });

  test('what a provider leaves out is a notice: sent before the text, stored with the run, kept by the cache and by a failed run', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOllama(workbench, {
      models: [{ name: 'llama3.2:latest', size: 1, parameterSize: '3B', quantization: 'Q4_K_M', family: 'llama' }],
      reply: { tokens: ANSWER },
    });
    const content = { ...TOPIC_CONTENT, parameters: { reasoningEffort: 'low' as const } };
    const promptId = await createPrompt(workbench, content);
    const NOTICE = 'Reasoning effort not sent: llama3.2:latest cannot think';
    const first = await runOnce(workbench, providerId, 'llama3.2:latest', promptId);
    const cached = await runOnce(workbench, providerId, 'llama3.2:latest', promptId);
    server.script({ fault: { kind: 'http-error', status: 400 } });
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2:latest' }], bypassCache: true });
    await workbench.batchDone(started.batchId);
    const failed = await workbench.call('runs:get', { id: started.cells[0].runId });
    const listed = await workbench.call('runs:list', { limit: 10 });
    expect({
      firstDelta: workbench.deltasOf(first.record.id)[0],
      stored: [first.record.status, first.record.notices],
      cached: [cached.record.isCacheHit, cached.record.notices],
      failed: [failed.status, failed.notices],
      // The history list has them too, to mark the rows.
      listed: listed.items.map((item) => item.notices),
      thinkSent: server.requestsTo('/api/chat').map((request) => 'think' in (request.body as object)),
    }).toMatchObject({
      firstDelta: { text: '', notices: [NOTICE] },
      stored: ['ok', [NOTICE]],
      cached: [true, [NOTICE]],
      failed: ['error', [NOTICE]],
      listed: [[NOTICE], [NOTICE], [NOTICE]],
      thinkSent: [false, false],
    });
  });
});
