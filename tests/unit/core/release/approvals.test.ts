import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { gitEnvironment, IDENTITY, makeRepository, promptContent, startReleaseEngine } from './release-harness';

/**
 * Writes a finished eval of v`versionNumber` with cells of the given statuses straight into the
 * database, as the eval engine stores one.
 */
function storeFinishedEval(dataDir: string, promptId: number, versionNumber: number, statuses: string[]): number {
  const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME));
  try {
    return database.transaction(() => {
      const at = '2025-02-20T10:00:00.000Z';
      const evalId = Number(
        database
          .prepare(
            `INSERT INTO evals (prompt_id, status, versions_json, targets_json, concurrency, bypass_cache, case_count, cell_count, owner_pid, created_at, finished_at)
             VALUES (?, 'done', ?, ?, 1, 0, ?, ?, 1, ?, ?)`,
          )
          .run(promptId, JSON.stringify([versionNumber]), JSON.stringify([{ providerId: 1, model: 'gpt-4o-mini' }]), statuses.length, statuses.length, at, at).lastInsertRowid,
      );
      const columnId = Number(
        database
          .prepare(`INSERT INTO eval_columns (eval_id, position, key, version_number, provider_id, provider_label, model) VALUES (?, 0, ?, ?, 1, 'OpenAI', 'gpt-4o-mini')`)
          .run(evalId, `v${versionNumber}@1/gpt-4o-mini`, versionNumber).lastInsertRowid,
      );
      statuses.forEach((status, index) => {
        database
          .prepare(`INSERT INTO eval_cases (eval_id, case_id, position, description, variables_json, expected, tags_json, assertions_json) VALUES (?, ?, ?, '', '{}', NULL, '[]', '[]')`)
          .run(evalId, index + 1, index);
        database
          .prepare(`INSERT INTO eval_cells (eval_id, column_id, case_id, status, score, finished_at) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(evalId, columnId, index + 1, status, status === 'passed' ? 1 : 0, at);
      });
      return evalId;
    })();
  } finally {
    database.close();
  }
}

describe('approvals', () => {
  it('approves with a note, marks the version approved everywhere, and withdraws only while unreleased', async () => {
    const environment = gitEnvironment();
    const repository = makeRepository(environment);
    const harness = startReleaseEngine(environment);
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    await harness.call('versions:save', { promptId, content: promptContent('summaries, shorter'), variables: {}, note: 'Shorter' });

    const approved = await harness.call('approvals:approve', { promptId, versionNumber: 2, note: '  Reviewed with legal  ' });
    const twice = await harness.failure('approvals:approve', { promptId, versionNumber: 2, note: 'again' });
    const missing = await harness.failure('approvals:approve', { promptId, versionNumber: 9, note: '' });
    const afterApproval = {
      statuses: (await harness.call('prompts:get', { id: promptId })).versions.map((version) => `v${version.number} ${version.status}`),
      states: await harness.call('approvals:versions', { promptId }),
      overview: (await harness.call('release:overview', {})).map(({ name, approvedVersions, latestRelease }) => ({ name, approvedVersions, latestRelease })),
    };
    await harness.call('approvals:withdraw', { promptId, versionNumber: 2 });
    const afterWithdrawal = (await harness.call('prompts:get', { id: promptId })).versions.map((version) => `v${version.number} ${version.status}`);
    await harness.call('approvals:approve', { promptId, versionNumber: 2, note: 'Reviewed again' });
    await harness.call('release:connect', { path: repository });
    await harness.call('release:run', { items: [{ promptId, versionNumber: 2 }] });
    const releasedWithdrawal = await harness.failure('approvals:withdraw', { promptId, versionNumber: 2 });
    const copy = await harness.call('prompts:duplicate', { id: promptId });

    expect({ approved, twice, missing, afterApproval, afterWithdrawal, releasedWithdrawal, copy: copy.versions.map((version) => version.status) }).toStrictEqual({
      approved: { promptId, versionNumber: 2, note: 'Reviewed with legal', approvedBy: IDENTITY.name, approvedAt: '2025-03-01T09:00:00.000Z', gate: null },
      twice: { code: 'conflict', message: `v2 is already approved (by ${IDENTITY.name}, 2025-03-01T09:00:00.000Z)` },
      missing: { code: 'not-found', message: `The prompt “Summarizer” has no version 9` },
      afterApproval: {
        statuses: ['v2 approved', 'v1 draft'],
        states: [
          { versionNumber: 2, approval: approved, releases: [] },
          { versionNumber: 1, approval: null, releases: [] },
        ],
        overview: [{ name: 'Summarizer', approvedVersions: [2], latestRelease: null }],
      },
      afterWithdrawal: ['v2 draft', 'v1 draft'],
      releasedWithdrawal: { code: 'conflict', message: 'v2 was released as summarizer/v2; a released version stays approved' },
      copy: ['draft', 'draft'],
    });
  });

  it('gates an approval on the latest eval of the version, read from the eval store, and keeps the gate with the approval', async () => {
    const harness = startReleaseEngine(gitEnvironment());
    const promptId = await harness.addPrompt('Summarizer', promptContent('summaries'));
    const before = await harness.call('approvals:checkGate', { promptId, versionNumber: 1, gate: { minPassRate: 0.75 } });
    storeFinishedEval(harness.dataDir, promptId, 1, ['passed', 'passed', 'failed', 'failed']);
    const evalId = storeFinishedEval(harness.dataDir, promptId, 1, ['passed', 'passed', 'passed', 'failed']);
    const refused = await harness.failure('approvals:approve', { promptId, versionNumber: 1, note: 'Needs 90%', gate: { minPassRate: 0.9 } });
    const stillDraft = (await harness.call('prompts:get', { id: promptId })).versions[0].status;
    const approval = await harness.call('approvals:approve', { promptId, versionNumber: 1, note: 'Passes 75%', gate: { minPassRate: 0.75 } });
    expect({ before, refused, stillDraft, approval }).toStrictEqual({
      before: { minPassRate: 0.75, eval: null, isPassed: false, reason: 'v1 has no finished eval that graded an answer: run one, or approve without the gate' },
      refused: { code: 'conflict', message: `v1 was not approved: The latest eval of v1 (#${evalId}) passed 75% of 4 cells, below the gate’s 90%` },
      stillDraft: 'draft',
      approval: {
        promptId,
        versionNumber: 1,
        note: 'Passes 75%',
        approvedBy: IDENTITY.name,
        approvedAt: '2025-03-01T09:00:00.000Z',
        gate: {
          minPassRate: 0.75,
          eval: { evalId, passRate: 0.75, meanScore: 0.75, finishedAt: '2025-02-20T10:00:00.000Z', cellCount: 4 },
          isPassed: true,
          reason: `The latest eval of v1 (#${evalId}) passed 75% of 4 cells; the gate asks for 75%`,
        },
      },
    });
  });
});
