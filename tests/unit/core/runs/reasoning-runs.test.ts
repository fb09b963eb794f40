/**
 * Thinking through the engine, from each provider's fixture in its real wire protocol: it streams
 * to the renderer in its own delta field, is stored with the run and its cached answer apart from
 * the output, comes back on a cache hit, and a stream cut while thinking keeps what came, with
 * the thinking counted as (estimated) output.
 */

import { describe, expect, test } from 'vitest';
import { countTextTokens } from '../../../../electron/core/tokens/token-estimator';
import { addAnthropic, addOllama, addOpenAi, createPrompt, startWorkbench, type Workbench } from './run-harness';

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
});
