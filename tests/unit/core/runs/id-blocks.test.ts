/**
 * Run and batch ids handed out from reserved blocks: a refused run leaves no gap in the run
 * numbers people see, while a block whose reservation a rollback undid is never used again
 * (another process may take those ids).
 */

import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase, readMeta } from '../../../../electron/core/database';
import { IdBlocks } from '../../../../electron/core/runs/id-blocks';
import { makeTempDir } from '../../support';
import { addOpenAi, afterTest, createPrompt, startWorkbench, TOPIC_CONTENT } from './run-harness';

describe('id blocks', () => {
  test('a run refused for a missing variable leaves no gap in the run and batch numbers', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    const first = await workbench.call('runs:start', request);
    await workbench.batchDone(first.batchId);
    const unfilled = await createPrompt(workbench, { ...TOPIC_CONTENT, messages: [{ role: 'user', content: 'Tell me about {{place}}.' }] }, {}, 'Unfilled');
    await expect(workbench.call('runs:start', { ...request, promptId: unfilled })).rejects.toThrow('Cannot run: the variable has no value: {{place}}');
    const second = await workbench.call('runs:start', request);
    await workbench.batchDone(second.batchId);
    expect([second.batchId - first.batchId, second.cells[0].runId - first.cells[0].runId]).toStrictEqual([1, 1]);
  });

  test('a block reserved inside a transaction that rolls back is dropped; one reserved before it is kept', () => {
    const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
    afterTest(() => {
      database.close();
    });
    const ids = new IdBlocks(database, 'runs', 4);
    const reserved = () => Number(readMeta(database, 'reserved_ids.runs'));
    const failing = (body: () => void) => {
      expect(() =>
        database.transaction(() => {
          body();
          throw new Error('refused');
        })(),
      ).toThrow('refused');
      ids.rolledBack();
    };

    // Reserved inside the transaction: the rollback undid the reservation, so those ids are never handed out.
    failing(() => expect(ids.take()).toBe(1));
    expect(reserved()).toBe(0);
    expect(ids.take()).toBe(1);
    expect(reserved()).toBe(4);
    // Reserved for good before: a rollback that took none keeps the block, and the next id follows on.
    failing(() => undefined);
    expect(ids.take()).toBe(2);
    // Taken inside a rolled-back transaction from a block reserved before: the id is skipped, the block kept.
    failing(() => expect(ids.take()).toBe(3));
    expect([ids.take(), reserved()]).toStrictEqual([4, 4]);
  });
});
