/**
 * The full-text index of runs (schema v15): other tools that write the database without the
 * app's `search_text` (the `sqlite3` shell, a script) can insert, change and delete runs, and the
 * app's search is right afterwards; a database of schema v13 is converted with every run kept
 * and the same search results.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { MIGRATIONS, openDatabase } from '../../../../electron/core/database';
import { toFtsQuery } from '../../../../electron/core/runs/run-store';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../../shared/types';
import { indexAsSchemaV13, marked, runEachOutput, searchHits, startWorkbench } from './run-harness';
import { makeTempDir } from '../../support';

/** A connection as another tool would open the file: without the app's `search_text`. */
function openAsOutsideTool(file: string): BetterSqlite3.Database {
  const database = new BetterSqlite3(file);
  database.pragma('busy_timeout = 5000');
  return database;
}

describe('the full-text index', () => {
  test('another tool without search_text inserts, changes and deletes runs in any script, and the app’s search is right after', async () => {
    const workbench = startWorkbench();
    const [tower, unicorn, rice, plain] = await runEachOutput(workbench, ['東京タワーに行きました。', 'A 🦄 unicorn.', 'ฉันชอบกินข้าว', 'Plain tides.']);
    // Everything is in the index before the other tool comes.
    expect((await workbench.call('runs:search', { query: '東京' })).items.map((hit) => hit.id)).toStrictEqual([tower]);
    const file = path.join(workbench.dataDir, DATABASE_FILE_NAME);
    const outside = openAsOutsideTool(file);
    let added: number;
    try {
      outside.prepare('UPDATE runs SET output = ? WHERE id = ?').run('大阪城を見ました。', tower);
      outside.prepare('UPDATE runs SET output = ? WHERE id = ?').run('ฉันชอบกินข้าวเหนียว', rice);
      outside.prepare('DELETE FROM runs WHERE id = ?').run(unicorn);
      added = Number(
        outside
          .prepare(
            `INSERT INTO runs (batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model, messages_json,
               parameters_json, variables_json, output, status, price_source, cache_key, owner_pid, started_at, finished_at)
             SELECT batch_id, 1, prompt_id, provider_id, provider_kind, provider_label, endpoint, model, messages_json,
               parameters_json, variables_json, ?, 'ok', price_source, 'outside', 1, started_at, finished_at FROM runs WHERE id = ?`,
          )
          .run('ພວກເຮົາໄປຕະຫຼາດ 🦄 plain', plain).lastInsertRowid,
      );
    } finally {
      outside.close();
    }
    const search = (query: string) => searchHits(workbench, query);
    expect({
      oldText: await search('東京'),
      newText: await search('大阪'),
      changedThai: await search('เหนียว'),
      deleted: await search('unicorn'),
      emoji: await search('🦄'),
      inserted: await search('ຕະຫຼາດ '),
      both: await search('plain'),
      listed: (await workbench.call('runs:list', {})).items.map((run) => run.id),
    }).toStrictEqual({
      oldText: [],
      newText: [[tower, `${marked('大阪')}城を見ました。`]],
      changedThai: [[rice, `ฉันชอบกินข้าว${marked('เหนียว')}`]],
      deleted: [],
      emoji: [[added, `ພວກເຮົາໄປຕະຫຼາດ ${marked('🦄')} plain`]],
      inserted: [[added, `ພວກເຮົາໄປ${marked('ຕະຫຼາດ')} 🦄 plain`]],
      both: [[added, `ພວກເຮົາໄປຕະຫຼາດ 🦄 ${marked('plain')}`], [plain, `${marked('Plain')} tides.`]],
      listed: [added, plain, rice, tower],
    });
    // The index itself holds neither the deleted run nor the old text (not only the join with runs hiding them), and FTS5 finds it sound.
    const check = openAsOutsideTool(file);
    try {
      const indexed = (query: string) => check.prepare('SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?').pluck().all(toFtsQuery(query));
      check.prepare("INSERT INTO runs_fts (runs_fts) VALUES ('integrity-check')").run();
      expect([indexed('unicorn'), indexed('東京'), indexed('🦄'), check.prepare('SELECT count(*) FROM runs_fts_pending').pluck().get()]).toStrictEqual([[], [], [added], 0]);
    } finally {
      check.close();
    }
  });

  test('upgrading from schema v13 keeps every run and gives the same hits and snippets (Hindi’s whole words marked now)', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const outputs = [
      'The beacon and its keeper.',
      'A beacon in the lamp room.',
      'The keeper alone, and tides.',
      '東京タワーに行きました。',
      '私は東京に住んでいます。',
      'A 🦄 unicorn and a beacon.',
      'I ❤️ tides.',
      'मुझे हिन्दी भाषा पसंद है',
      'Still running: beacon',
    ];
    const old = openDatabase(file, MIGRATIONS.slice(0, 13));
    const queries = ['beacon', 'beacon -keeper', '"lamp room"', 'beacon OR tides', 'keeper NOT alone', 'kee', '東京', '🦄', '❤', 'हिन्दी', 'running'];
    const before = ((): Record<string, unknown> => {
      try {
        old.exec(`
          INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
          INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at) VALUES (1, 1, ${outputs.length}, 0, '2026-01-01T00:00:00.000Z');
        `);
        const insert = old.prepare(
          `INSERT INTO runs (id, batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model,
             messages_json, parameters_json, variables_json, output, status, price_source, cache_key, owner_pid, started_at)
           VALUES (?, 1, ?, 1, 1, 'openai', 'OpenAI', 'e', 'm', ?, '{}', '{}', ?, ?, 'catalog', ?, 1, '2026-01-01T00:00:00.000Z')`,
        );
        outputs.forEach((output, index) => {
          const messages = JSON.stringify([{ role: 'user', content: index % 2 === 0 ? 'Tell me about tides.' : '灯台について' }]);
          insert.run(index + 1, index, messages, output, output.startsWith('Still') ? 'running' : 'ok', `k${index}`);
        });
        // As schema v13 indexed them; then run 2 changes, so it waits in the queue as the upgrade starts.
        indexAsSchemaV13(old);
        old.prepare('UPDATE runs SET output = ? WHERE id = 2').run('A beacon in the lamp room, again.');
        // What v13 would answer: its queue indexed, then searched (all rolled back, so the queue stays for the upgrade).
        old.exec('BEGIN');
        indexAsSchemaV13(old);
        const hits = old.prepare(
          `SELECT runs_fts.rowid AS id, snippet(runs_fts, -1, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '…', 16) AS snippet
           FROM runs_fts WHERE runs_fts MATCH ? ORDER BY runs_fts.rowid DESC`,
        );
        const found = Object.fromEntries(
          queries.map((query) => [query, (hits.all(toFtsQuery(query)) as { id: number; snippet: string }[]).map((hit) => [hit.id, hit.snippet.replaceAll('\u200b', '')])]),
        );
        old.exec('ROLLBACK');
        return found;
      } finally {
        old.close();
      }
    })();
    const workbench = startWorkbench({ dataDir });
    const after = Object.fromEntries(
      await Promise.all(queries.map(async (query) => [query, (await workbench.call('runs:search', { query })).items.map((hit) => [hit.id, hit.snippet])])),
    );
    // Marks are part of words now: v13 marked a Hindi word in pieces between its vowel signs.
    const hindi = [[8, `मुझे ${marked('हिन्दी')} भाषा पसंद है`]];
    expect({ after, runs: (await workbench.call('runs:list', {})).items.map((run) => [run.id, run.outputPreview]) }).toStrictEqual({
      after: { ...before, 'हिन्दी': hindi },
      runs: outputs.map((output, index) => [index + 1, index === 1 ? 'A beacon in the lamp room, again.' : output]).reverse(),
    });
    // Not vacuous: the searches find runs, the changed one by its new text.
    expect([before['"lamp room"'], (before['हिन्दी'] as unknown[][]).map(([id]) => id)]).toStrictEqual([[[2, `A beacon in the ${marked('lamp room')}, again.`]], [8]]);
  });
});
