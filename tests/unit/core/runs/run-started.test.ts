/**
 * `run:started` tells every window of a batch started from the editor or from history: the
 * same cells the call answered with, the prompt whose panel shows it (none for a re-run), the
 * column a retry replaces, and before any event of its cells, even a cache hit that ends at once.
 */

import { describe, expect, test } from 'vitest';
import { addOpenAi, createPrompt, startWorkbench } from './run-harness';

describe('run:started', () => {
  test('comes before its cells, with the cells the call answered with; a re-run names no prompt', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 2 };
    const first = await workbench.call('runs:start', request);
    await workbench.batchDone(first.batchId);
    // The same request again: both cells are cache hits, which end in the call itself.
    const cached = await workbench.call('runs:start', request);
    await workbench.batchDone(cached.batchId);
    const rerun = await workbench.call('runs:rerun', { id: first.cells[0].runId, bypassCache: true });
    await workbench.batchDone(rerun.batchId);
    // A column run again in its place says which column of which batch it replaces.
    const retry = await workbench.call('runs:rerun', { id: first.cells[1].runId, inPlaceOf: first.batchId });
    await workbench.batchDone(retry.batchId);
    await expect(workbench.call('runs:rerun', { id: first.cells[1].runId, inPlaceOf: cached.batchId })).rejects.toThrow(
      `Run ${first.cells[1].runId} is not a column of batch ${cached.batchId}`,
    );

    const started = workbench.eventsOf('run:started');
    const order = workbench.events
      .filter((event) => event.name !== 'run:delta')
      .filter((event) => (event.payload as { batchId?: number }).batchId === cached.batchId || cached.cells.some((cell) => cell.runId === (event.payload as { id?: number }).id))
      .map((event) => event.name);
    expect({ started, order }).toStrictEqual({
      started: [
        { ...first, promptId, isCacheBypassed: false },
        { ...cached, promptId, isCacheBypassed: false },
        { ...rerun, promptId: null, isCacheBypassed: true },
        { ...retry, promptId: null, isCacheBypassed: false, retryOf: { batchId: first.batchId, runId: first.cells[1].runId } },
      ],
      order: ['run:started', 'run:done', 'run:done', 'batch:done'],
    });
  });
});
