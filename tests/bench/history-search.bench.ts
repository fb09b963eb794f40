/**
 * History at scale: 100,000 stored runs (outputs of 40 to 160 words drawn from a 6,000-word
 * vocabulary with a Zipf-like spread, 20 prompts, 8 models, 3 providers, 90 days), then
 * full-text searches and filtered, keyset-paged list queries through the bridge handlers,
 * exactly as the renderer's virtualized list would ask. The runs are indexed as schema v13 did
 * and the database upgraded to the current schema (which indexes them anew), timed, and checked
 * to find the same. Prints p50 and p95 of each kind (goal: p95 < 20 ms), then what exporting all
 * of it (and a search's hits) takes, and deleting many runs at once.
 */

import path from 'node:path';
import { DATABASE_FILE_NAME, createEngine } from '../../electron/core/engine';
import { MIGRATIONS, openDatabase } from '../../electron/core/database';
import { toFtsQuery } from '../../electron/core/runs/run-store';
import { dispatchCall } from '../../electron/core/rpc';
import type { RunExportPage, RunPage } from '../../shared/types';
import { cleanUp, heading, makeTempDir, ms, percentile, row, seededRandom } from './bench-support';

const RUN_COUNT = 100_000;
const QUERIES_PER_KIND = 150;
const PAGE = 100;
/** Runs per export page: the most a page may hold, as the renderer asks. */
const EXPORT_PAGE = 500;
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'llama3.2', 'qwen3:8b', 'mistral-nemo'];
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'error', 'cancelled', 'ok'];
const DAY_MS = 86_400_000;
const END = Date.UTC(2026, 2, 31);

const random = seededRandom(20260331);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** A vocabulary of pronounceable made-up words, so no word is accidentally rare or common. */
function makeVocabulary(size: number): string[] {
  const onsets = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'st', 'tr', 'pl'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea'];
  const codas = ['', 'n', 'r', 's', 'l', 'm', 'x', 'nd', 'st'];
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = 1 + Math.floor(random() * 3);
    let word = '';
    for (let index = 0; index < syllables; index += 1) word += pick(onsets) + pick(vowels) + pick(codas);
    words.add(word);
  }
  return [...words];
}

/** Draws word indexes with a Zipf-like spread: a few words very common, most rare. */
function zipfDraw(size: number): () => number {
  const weights = Array.from({ length: size }, (_, rank) => 1 / (rank + 1) ** 1.05);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) {
    running += weight / total;
    cumulative.push(running);
  }
  return () => {
    const target = random();
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

async function main(): Promise<void> {
  const dataDir = makeTempDir();
  const vocabulary = makeVocabulary(6_000);
  const draw = zipfDraw(vocabulary.length);
  const sentence = (words: number) => Array.from({ length: words }, () => vocabulary[draw()]).join(' ');
  const topics = Array.from({ length: 500 }, () => sentence(2));

  heading(`History search: ${RUN_COUNT.toLocaleString('en')} stored runs`);
  const buildStarted = performance.now();
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  const database = openDatabase(file, MIGRATIONS.slice(0, 13));
  const stamp = new Date(END).toISOString();
  const insertPrompt = database.prepare('INSERT INTO prompts (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const promptIds = Array.from({ length: 20 }, (_, index) => Number(insertPrompt.run(`prompt-${index}`, `Prompt ${index}`, stamp, stamp).lastInsertRowid));
  const templates = promptIds.map(() => ({ system: sentence(12), user: `${sentence(10)} {{topic}} ${sentence(6)}` }));
  const insertBatch = database.prepare('INSERT INTO run_batches (prompt_id, cell_count, bypass_cache, created_at, finished_at) VALUES (?, 4, 0, ?, ?)');
  const insertRun = database.prepare(
    `INSERT INTO runs (batch_id, cell_index, prompt_id, version_number, provider_id, provider_kind, provider_label, endpoint, model,
       sample_index, messages_json, parameters_json, variables_json, output, status, error, input_tokens, output_tokens, is_estimated,
       cost_usd, price_source, cache_key, owner_pid, started_at, finished_at, ttft_ms, latency_ms)
     VALUES (?, ?, ?, ?, ?, 'openai', ?, 'https://api.example.com/v1', ?, 0, ?, '{}', ?, ?, ?, ?, ?, ?, 0, ?, 'catalog', ?, 1, ?, ?, ?, ?)`,
  );
  const fillChunk = database.transaction((from: number, to: number) => {
    let batchId = 0;
    let promptIndex = 0;
    let version: number | null = null;
    for (let index = from; index < to; index += 1) {
      const startedAt = new Date(END - ((RUN_COUNT - index) / RUN_COUNT) * 90 * DAY_MS).toISOString();
      if (index % 4 === 0) {
        promptIndex = Math.floor(random() * promptIds.length);
        version = random() < 0.3 ? null : 1 + Math.floor(random() * 5);
        batchId = Number(insertBatch.run(promptIds[promptIndex], startedAt, startedAt).lastInsertRowid);
      }
      const topic = pick(topics);
      const template = templates[promptIndex];
      const messages = [
        { role: 'system', content: template.system },
        { role: 'user', content: template.user.replace('{{topic}}', topic) },
      ];
      const status = pick(STATUSES);
      const model = MODELS[index % MODELS.length];
      const providerId = model.startsWith('claude') ? 2 : model.includes(':') || model.startsWith('llama') || model.startsWith('mistral') ? 3 : 1;
      insertRun.run(
        batchId,
        index % 4,
        promptIds[promptIndex],
        version,
        providerId,
        model,
        model,
        JSON.stringify(messages),
        JSON.stringify({ topic }),
        sentence(40 + Math.floor(random() * 120)),
        status,
        status === 'error' ? 'The provider had a server error (500)' : null,
        300 + Math.floor(random() * 2_000),
        40 + Math.floor(random() * 400),
        random() / 100,
        `key-${index}`,
        startedAt,
        startedAt,
        200 + random() * 800,
        1_000 + random() * 9_000,
      );
    }
  });
  for (let from = 0; from < RUN_COUNT; from += 10_000) fillChunk(from, Math.min(RUN_COUNT, from + 10_000));
  const insertedAt = performance.now();
  // Indexed as schema v13 did, to time the upgrade from it (which indexes every run anew) and check it finds the same.
  const indexed = database.prepare(
    'INSERT INTO runs_fts (rowid, output, prompt_text) SELECT s.id, s.output, s.prompt_text FROM runs_fts_pending q JOIN runs_search s ON s.id = q.run_id',
  ).run().changes;
  database.exec('DELETE FROM runs_fts_pending');
  const indexedAt = performance.now();
  // Drawn apart, so the searches timed below are those of earlier runs of this bench.
  const upgradeRandom = seededRandom(14);
  const upgradeQueries = Array.from({ length: 100 }, (_, index) => {
    const word = vocabulary[index < 50 ? index : 1_000 + Math.floor(upgradeRandom() * 5_000)];
    return index % 4 === 3 ? word.slice(0, 4) : word;
  });
  const hitsAtV13 = upgradeQueries.map((query) =>
    database.prepare('SELECT rowid FROM runs_fts WHERE runs_fts MATCH ? ORDER BY rowid DESC LIMIT 50').pluck().all(toFtsQuery(query)),
  );
  database.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
  const upgradeStartedAt = performance.now();
  const upgraded = openDatabase(file);
  upgraded.pragma('wal_checkpoint(TRUNCATE)');
  upgraded.close();
  const builtAt = performance.now();
  row('stored runs (rows inserted)', `${RUN_COUNT.toLocaleString('en')} in ${((insertedAt - buildStarted) / 1000).toFixed(1)} s`);
  row('full-text indexed at schema v13 (one batch)', `${indexed.toLocaleString('en')} in ${((indexedAt - insertedAt) / 1000).toFixed(1)} s`);
  row('upgrade from schema v13 to v16 (sample and model counts, indexed anew)', `${((builtAt - upgradeStartedAt) / 1000).toFixed(1)} s`);

  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: 'bench', environment: {} });
  try {
    const call = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await dispatchCall(engine.handlers, channel, input);
      if (!result.ok) throw new Error(`${channel} ${JSON.stringify(input)}: ${result.error.message}`);
      return result.value as T;
    };
    const time = async (channel: string, input: unknown): Promise<{ ms: number; count: number }> => {
      const started = performance.now();
      const page = await call<RunPage>(channel, input);
      return { ms: performance.now() - started, count: page.items.length };
    };
    const hitsAtV15 = await Promise.all(
      upgradeQueries.map(async (query) => (await call<RunPage>('runs:search', { query, limit: 50 })).items.map((run) => run.id)),
    );
    const differing = upgradeQueries.filter((_, index) => JSON.stringify(hitsAtV13[index]) !== JSON.stringify(hitsAtV15[index]));
    if (differing.length > 0) throw new Error(`The upgrade from schema v13 changed the hits of ${differing.join(', ')}`);
    row('same hits at v13 and v16', `${upgradeQueries.length} searches (words, rare words, prefixes), 50 hits each`);
    // One stored output to take real phrases from, and its words.
    const sampleOutputs = await call<RunPage>('runs:list', { limit: 500 });
    const sampleWords = sampleOutputs.items.flatMap((run) => run.outputPreview.split(' ').slice(0, -1));
    const fromRandomDay = () => {
      const from = END - Math.floor(random() * 83) * DAY_MS - 7 * DAY_MS;
      return { from: new Date(from).toISOString(), to: new Date(from + 7 * DAY_MS).toISOString() };
    };
    const middleCursor = String(Math.floor(RUN_COUNT / 2));

    const kinds: [string, string, () => object][] = [
      ['search: a common word', 'runs:search', () => ({ query: vocabulary[Math.floor(random() * 20)], limit: 50 })],
      ['search: a rare word', 'runs:search', () => ({ query: vocabulary[1_000 + Math.floor(random() * 5_000)], limit: 50 })],
      ['search: two words', 'runs:search', () => ({ query: `${pick(sampleWords)} ${pick(sampleWords)}`, limit: 50 })],
      ['search: a phrase from an output', 'runs:search', () => {
        const words = pick(sampleOutputs.items).outputPreview.split(' ');
        const start = Math.floor(random() * Math.max(1, words.length - 4));
        return { query: `"${words.slice(start, start + 3).join(' ')}"`, limit: 50 };
      }],
      ['search: a prefix being typed (4 letters)', 'runs:search', () => ({ query: pick(sampleWords.filter((word) => word.length >= 6)).slice(0, 4), limit: 50 })],
      ['search: a word + status error + model', 'runs:search', () => ({ query: vocabulary[Math.floor(random() * 50)], status: 'error', model: pick(MODELS), limit: 50 })],
      ['list: newest page', 'runs:list', () => ({ limit: PAGE })],
      ['list: by model', 'runs:list', () => ({ model: pick(MODELS), limit: PAGE })],
      ['list: by status (error)', 'runs:list', () => ({ status: 'error', limit: PAGE })],
      ['list: by prompt and version', 'runs:list', () => ({ promptId: pick(promptIds), version: 1 + Math.floor(random() * 5), limit: PAGE })],
      ['list: by prompt, draft, model, status', 'runs:list', () => ({ promptId: pick(promptIds), version: 'draft', model: pick(MODELS), status: 'ok', limit: PAGE })],
      ['list: a 7-day range', 'runs:list', () => ({ ...fromRandomDay(), limit: PAGE })],
      ['list: 7-day range + model + status', 'runs:list', () => ({ ...fromRandomDay(), model: pick(MODELS), status: 'cancelled', limit: PAGE })],
      ['list: a page deep in history (cursor)', 'runs:list', () => ({ cursor: middleCursor, limit: PAGE })],
    ];

    // Warm the page cache as a session would have.
    for (const [, channel, input] of kinds) await time(channel, input());
    console.log(`\n  ${QUERIES_PER_KIND} queries of each kind (pages of 50 hits / ${PAGE} rows):`);
    row('kind', 'p50       p95       rows per page (avg)');
    const all: Record<'search' | 'list', number[]> = { search: [], list: [] };
    for (const [name, channel, input] of kinds) {
      const samples: number[] = [];
      let rows = 0;
      for (let index = 0; index < QUERIES_PER_KIND; index += 1) {
        const result = await time(channel, input());
        samples.push(result.ms);
        rows += result.count;
      }
      all[channel === 'runs:search' ? 'search' : 'list'].push(...samples);
      row(name, `${ms(percentile(samples, 0.5)).padEnd(9)} ${ms(percentile(samples, 0.95)).padEnd(9)} ${(rows / QUERIES_PER_KIND).toFixed(0)}`);
    }
    console.log('');
    row('all full-text searches', `p50 ${ms(percentile(all.search, 0.5))}, p95 ${ms(percentile(all.search, 0.95))} (goal p95 < 20 ms)`);
    row('all filtered list queries', `p50 ${ms(percentile(all.list, 0.5))}, p95 ${ms(percentile(all.list, 0.95))} (goal p95 < 20 ms)`);
    // The model filter's suggestions, asked for each time the list loads: kept apart as runs are written, not found by scanning them.
    const modelTimes: number[] = [];
    let models: string[] = [];
    for (let index = 0; index < QUERIES_PER_KIND; index += 1) {
      const started = performance.now();
      models = await call<string[]>('runs:models', {});
      modelTimes.push(performance.now() - started);
    }
    row('model suggestions (runs:models)', `p50 ${ms(percentile(modelTimes, 0.5))}, p95 ${ms(percentile(modelTimes, 0.95))} (${models.length} models)`);

    // Exporting: every run, page by page as the renderer asks (each page one engine call, so its
    // time is how long the engine is busy at a stretch), and a search's hits.
    console.log(`
  Export, pages of ${EXPORT_PAGE} runs:`);
    for (const [name, input] of [
      ['every run as CSV', { format: 'csv' }],
      ['every run as JSON Lines', { format: 'jsonl' }],
      ['a word\'s hits as CSV (the 100th most common)', { format: 'csv', query: vocabulary[99] }],
    ] as const) {
      const pages: number[] = [];
      let bytes = 0;
      let runs = 0;
      let cursor: string | undefined;
      const startedAt = performance.now();
      do {
        const pageStartedAt = performance.now();
        const result = await dispatchCall(engine.handlers, 'runs:export', { ...input, limit: EXPORT_PAGE, ...(cursor === undefined ? {} : { cursor }) });
        if (!result.ok) throw new Error(`runs:export: ${result.error.message}`);
        pages.push(performance.now() - pageStartedAt);
        const page = result.value as RunExportPage;
        bytes += Buffer.byteLength(page.text);
        runs += page.count;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const totalMs = performance.now() - startedAt;
      row(name, `${runs.toLocaleString('en-US')} runs, ${(bytes / 1024 / 1024).toFixed(0)} MB in ${(totalMs / 1000).toFixed(1)} s; a page p50 ${ms(percentile(pages, 0.5))}, p95 ${ms(percentile(pages, 0.95))}`);
    }

    // Deleting runs, each set in one transaction, from a second connection as another process
    // sharing the file would: the full-text index and the model list follow by trigger.
    console.log(`
  Deleting runs (one transaction each):`);
    const other = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    try {
      for (const [name, sql] of [
        ['the oldest 10,000', 'DELETE FROM runs WHERE id <= 10000'],
        [`every run left of ${MODELS[2]}`, `DELETE FROM runs WHERE model = '${MODELS[2]}'`],
      ] as const) {
        const startedAt = performance.now();
        const deleted = other.transaction(() => other.prepare(sql).run().changes)();
        const deleteMs = performance.now() - startedAt;
        models = await call<string[]>('runs:models', {});
        row(name, `${deleted.toLocaleString('en-US')} runs in ${ms(deleteMs)}; ${models.length} models suggested after`);
      }
    } finally {
      other.close();
    }
  } finally {
    engine.close();
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
