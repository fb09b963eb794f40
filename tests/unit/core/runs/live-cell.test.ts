/**
 * Live cells: text and counters reach the renderer at most once per interval per cell, with
 * nothing lost and nothing sent twice; time to first token counts from the attempt that
 * answered, not from the queue.
 */

import { afterEach, describe, expect, test, vi } from 'vitest';
import { LiveCell } from '../../../../electron/core/runs/live-cell';
import { countTextTokens } from '../../../../electron/core/tokens/token-estimator';
import type { RunDelta } from '../../../../shared/types';
import { addOpenAi, createPrompt, startWorkbench } from './run-harness';

afterEach(() => {
  vi.useRealTimers();
});

describe('live cell', () => {
  test('batches text into at most one delta per interval and flushes the rest when the stream ends', () => {
    vi.useFakeTimers();
    let now = 0;
    const deltas: RunDelta[] = [];
    const cell = new LiveCell({
      batchId: 1,
      runId: 2,
      model: 'gpt-4o',
      inputTokens: 1_000,
      price: { input: 1, output: 2, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null },
      emit: (delta) => deltas.push(delta),
      intervalMs: 16,
      clock: () => now,
    });
    cell.queued(); // another request holds the model: the column says so at once
    now = 100;
    cell.attempt(); // queued for 100 ms, then sent: said at once, and the clock starts
    now = 130;
    cell.append('Hello'); // the first text goes out at once
    now = 135;
    cell.append(',');
    cell.append(' side');
    now = 140;
    cell.append(' by');
    now = 146;
    vi.advanceTimersByTime(11); // the timer set at 135 fires at 146
    now = 200;
    cell.append(' side');
    now = 201;
    cell.append('!');
    cell.finish();
    vi.advanceTimersByTime(100);
    // Time counts from the request going out, as the stored latency does, not from the queue.
    expect(deltas.map((delta) => [delta.text, delta.isQueued, delta.counters.elapsedMs, delta.counters.ttftMs])).toStrictEqual([
      ['', true, 0, null],
      ['', false, 0, null],
      ['Hello', undefined, 30, 30],
      [', side by', undefined, 46, 30],
      [' side', undefined, 100, 30],
      ['!', undefined, 101, 30],
    ]);
    expect(deltas.map((delta) => delta.text).join('')).toBe(cell.text);
    expect(deltas.at(-1)?.counters).toStrictEqual({
      inputTokens: 1_000,
      outputTokens: 6,
      costUsd: 0.001012,
      isEstimated: true,
      isInputEstimated: true,
      ttftMs: 30,
      tokensPerSecond: (6 * 1000) / 71,
      elapsedMs: 101,
    });
  });

  test('thinking and answer share the deltas, each in its own field; the first token of thinking starts the clock', () => {
    vi.useFakeTimers();
    let now = 0;
    const deltas: RunDelta[] = [];
    const cell = new LiveCell({ batchId: 1, runId: 2, model: 'gpt-4o', inputTokens: 10, price: null, emit: (delta) => deltas.push(delta), intervalMs: 16, clock: () => now });
    cell.attempt();
    now = 40;
    cell.appendReasoning('Think'); // the first token of any kind goes out at once
    now = 45;
    cell.appendReasoning('ing hard.');
    cell.append('Answer');
    now = 56;
    vi.advanceTimersByTime(11);
    now = 60;
    cell.append(' done.');
    cell.finish();
    expect({
      deltas: deltas.map((delta) => [delta.text, delta.reasoning, delta.counters.ttftMs]),
      text: cell.text,
      reasoning: cell.reasoning,
      // Thinking is output: its tokens count in the live output figure.
      outputTokens: cell.outputTokens(),
    }).toStrictEqual({
      deltas: [
        ['', 'Think', 40],
        ['Answer', 'ing hard.', 40],
        [' done.', undefined, 40],
      ],
      text: 'Answer done.',
      reasoning: 'Thinking hard.',
      outputTokens: countTextTokens('Thinking hard.Answer done.', 'gpt-4o'),
    });
  });

  test('a fast stream reaches the renderer in a few deltas per cell, adding up to the stored output', async () => {
    const workbench = startWorkbench();
    const tokens = Array.from({ length: 400 }, (_, index) => `t${index} `);
    const { providerId } = await addOpenAi(workbench, { reply: { tokens } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 2 });
    await workbench.batchDone(started.batchId);
    const perCell = started.cells.map((cell) => workbench.deltasOf(cell.runId));
    expect(perCell.map((deltas) => deltas.map((delta) => delta.text).join(''))).toStrictEqual([tokens.join(''), tokens.join('')]);
    expect(perCell.every((deltas) => deltas.length >= 1 && deltas.length < tokens.length / 10)).toBe(true);
  });
});
