/**
 * Run history: every run stored with what it ran with; filtered, keyset-paged lists; full-text
 * search over outputs and prompt text; re-running a stored request exactly.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { MIGRATIONS, openDatabase } from '../../../../electron/core/database';
import { RunStore, toFtsQuery } from '../../../../electron/core/runs/run-store';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../../shared/types';
import { addOllama, addOpenAi, afterTest, createPrompt, indexAsSchemaV13, marked, runEachOutput, searchHits, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';
import { makeTempDir, manualClock } from '../../support';

async function finish(workbench: Workbench, input: object) {
  const started = await workbench.call('runs:start', input as never);
  await workbench.batchDone(started.batchId);
  return started;
}

describe('run history', () => {
  test('stores the batch, prompt, version, provider, model, rendered messages, parameters, variables and timings', async () => {
    const clock = manualClock('2025-03-01T10:00:00.000Z');
    const workbench = startWorkbench({ now: clock.now });
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench, TOPIC_CONTENT, { topic: 'tides', unused: 'x' });
    await workbench.call('versions:save', { promptId, content: TOPIC_CONTENT, variables: { topic: 'tides' }, note: '' });
    const started = await finish(workbench, { promptId, versions: [1], targets: [{ providerId, model: 'gpt-4o-mini' }], variables: { topic: 'moons' } });
    const run = await workbench.call('runs:get', { id: started.cells[0].runId });
    expect({
      batchId: run.batchId,
      promptId: run.promptId,
      promptName: run.promptName,
      version: run.version,
      providerId: run.providerId,
      providerLabel: run.providerLabel,
      providerKind: run.providerKind,
      model: run.model,
      messages: run.messages,
      parameters: run.parameters,
      variables: run.variables,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      hasTimings: [run.ttftMs, run.latencyMs].every((value) => typeof value === 'number' && value >= 0),
      outputPreview: run.outputPreview,
    }).toStrictEqual({
      batchId: started.batchId,
      promptId,
      promptName: 'Explainer',
      version: 1,
      providerId,
      providerLabel: 'OpenAI (fixture)',
      providerKind: 'openai',
      model: 'gpt-4o-mini',
      messages: [TOPIC_CONTENT.messages[0], { role: 'user', content: 'Tell me about moons.' }],
      parameters: { temperature: 0.2 },
      variables: { topic: 'moons' },
      startedAt: '2025-03-01T10:00:00.000Z',
      finishedAt: '2025-03-01T10:00:00.000Z',
      hasTimings: true,
      outputPreview: 'Hello, side by side!',
    });
  });

  test('lists newest first with filters (prompt, version, model, status, dates) and keyset pages', async () => {
    const clock = manualClock('2025-03-01T10:00:00.000Z');
    const workbench = startWorkbench({ now: clock.now });
    const openAi = await addOpenAi(workbench, { models: ['gpt-4o-mini', 'gpt-4.1'] });
    const ollama = await addOllama(workbench);
    const first = await createPrompt(workbench, TOPIC_CONTENT, { topic: 'tides' }, 'First');
    const second = await createPrompt(workbench, TOPIC_CONTENT, { topic: 'tides' }, 'Second');
    await workbench.call('versions:save', { promptId: first, content: TOPIC_CONTENT, variables: { topic: 'tides' }, note: '' });
    const targets = [
      { providerId: openAi.providerId, model: 'gpt-4o-mini' },
      { providerId: openAi.providerId, model: 'gpt-4.1' },
      { providerId: ollama.providerId, model: 'llama3.2' },
    ];
    await finish(workbench, { promptId: first, versions: [1, 'draft'], targets, bypassCache: true });
    clock.set('2025-03-02T10:00:00.000Z');
    openAi.server.script({ fault: { kind: 'http-error', status: 400 } });
    await finish(workbench, { promptId: second, versions: ['draft'], targets: targets.slice(0, 1), bypassCache: true });
    const ids = async (input: object) => (await workbench.call('runs:list', input)).items.map((run) => run.id);
    const all = await ids({});
    expect(all).toStrictEqual([7, 6, 5, 4, 3, 2, 1]);
    expect({
      prompt: await ids({ promptId: first }),
      version: await ids({ promptId: first, version: 1 }),
      draft: await ids({ version: 'draft' }),
      model: await ids({ model: 'gpt-4.1' }),
      // Any part of a model id, in any case, finds every model holding it.
      family: await ids({ model: 'GPT-4' }),
      part: await ids({ model: '4o-MINI' }),
      // LIKE's wildcards are matched as themselves.
      wildcard: await ids({ model: 'gpt_4' }),
      noModel: await ids({ model: 'claude' }),
      provider: await ids({ providerId: ollama.providerId }),
      status: await ids({ status: 'error' }),
      from: await ids({ from: '2025-03-02T00:00:00Z' }),
      to: await ids({ to: '2025-03-02T00:00:00+00:00' }),
      combined: await ids({ promptId: first, model: 'gpt-4o-mini', status: 'ok', to: '2025-03-01T11:00:00Z' }),
    }).toStrictEqual({
      prompt: [6, 5, 4, 3, 2, 1],
      version: [5, 3, 1],
      draft: [7, 6, 4, 2],
      model: [4, 3],
      family: [7, 4, 3, 2, 1],
      part: [7, 2, 1],
      wildcard: [],
      noModel: [],
      provider: [6, 5],
      status: [7],
      from: [7],
      to: [6, 5, 4, 3, 2, 1],
      combined: [2, 1],
    });
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await workbench.call('runs:list', { limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.items.map((run) => run.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toStrictEqual([[7, 6, 5], [4, 3, 2], [1]]);
    // The model filter's suggestions: every model with a run, each once, in order, whatever page they are on.
    expect(await workbench.call('runs:models', {})).toStrictEqual(['gpt-4.1', 'gpt-4o-mini', 'llama3.2']);
  });

  test('a run keeps the variables its version uses, not another version’s nor a value left from a deleted placeholder', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    await workbench.call('versions:save', { promptId, content: TOPIC_CONTENT, variables: { topic: 'tides' }, note: '' });
    const withTone = { ...TOPIC_CONTENT, messages: [...TOPIC_CONTENT.messages, { role: 'user' as const, content: 'In a {{tone}} tone.' }] };
    await workbench.call('drafts:save', { promptId, content: withTone, variables: { topic: 'tides', tone: 'calm', ticket_id: '42' } });
    const started = await finish(workbench, { promptId, versions: [1, 'draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const runs = await Promise.all(started.cells.map((cell) => workbench.call('runs:get', { id: cell.runId })));
    expect(runs.map((run) => [run.version, run.variables])).toStrictEqual([
      [1, { topic: 'tides' }],
      ['draft', { topic: 'tides', tone: 'calm' }],
    ]);
  });

  test('a history from before the model list was kept lists every model after the upgrade', async () => {
    const dataDir = makeTempDir();
    // As a v10 database was: no model list.
    const old = openDatabase(path.join(dataDir, DATABASE_FILE_NAME), MIGRATIONS.slice(0, 10));
    try {
      old.exec(`
        INSERT INTO run_batches (id, cell_count, bypass_cache, created_at) VALUES (1, 2, 0, '2026-01-01T00:00:00.000Z');
        INSERT INTO runs (id, batch_id, cell_index, provider_kind, provider_label, endpoint, model,
          messages_json, parameters_json, variables_json, status, price_source, cache_key, owner_pid, started_at)
        VALUES
          (1, 1, 0, 'openai', 'OpenAI', 'e', 'gpt-4o-mini', '[]', '{}', '{}', 'ok', 'catalog', 'k1', 1, '2026-01-01T00:00:00.000Z'),
          (2, 1, 1, 'openai', 'OpenAI', 'e', 'gpt-4.1', '[]', '{}', '{}', 'ok', 'catalog', 'k2', 1, '2026-01-01T00:00:01.000Z');
      `);
      expect(old.prepare("SELECT name FROM sqlite_schema WHERE name = 'run_models'").all()).toStrictEqual([]);
    } finally {
      old.close();
    }
    const workbench = startWorkbench({ dataDir });
    expect(await workbench.call('runs:models', {})).toStrictEqual(['gpt-4.1', 'gpt-4o-mini']);
  });

  test('a model leaves the model filter’s suggestions with its last run, however its runs are deleted', async () => {
    const workbench = startWorkbench();
    const openAi = await addOpenAi(workbench, { models: ['gpt-4o-mini', 'gpt-4.1'] });
    const ollama = await addOllama(workbench);
    const promptId = await createPrompt(workbench);
    const target = (providerId: number, model: string) => ({ providerId, model });
    const pair = await finish(workbench, { promptId, versions: ['draft'], targets: [target(openAi.providerId, 'gpt-4o-mini'), target(openAi.providerId, 'gpt-4.1')], bypassCache: true });
    const lone = await finish(workbench, { promptId, versions: ['draft'], targets: [target(openAi.providerId, 'gpt-4o-mini')], bypassCache: true });
    const local = await finish(workbench, { promptId, versions: ['draft'], targets: [target(ollama.providerId, 'llama3.2')], samples: 2 });
    const [miniRun, fourOneRun] = pair.cells.map((cell) => cell.runId);
    // Deleted by another connection to the file (the other host's, a database tool's): triggers keep the list in step.
    const other = openDatabase(path.join(workbench.dataDir, DATABASE_FILE_NAME));
    afterTest(() => {
      other.close();
    });
    const seen: Record<string, string[]> = {};
    const look = async (step: string) => {
      seen[step] = await workbench.call('runs:models', {});
    };
    await look('stored');
    other.prepare('DELETE FROM runs WHERE id = ?').run(miniRun);
    await look('one of two gpt-4o-mini runs deleted');
    other.prepare('DELETE FROM runs WHERE id = ?').run(fourOneRun);
    await look('the gpt-4.1 run deleted');
    // A batch deleted takes its runs with it (ON DELETE CASCADE), both of one model at once.
    other.prepare('DELETE FROM run_batches WHERE id = ?').run(local.batchId);
    await look('the llama3.2 batch deleted');
    other.prepare('UPDATE runs SET model = ? WHERE id = ?').run('gpt-4o-mini-renamed', lone.cells[0].runId);
    await look('the last run given another model');
    other.prepare('DELETE FROM runs').run();
    await look('every run deleted');
    await finish(workbench, { promptId, versions: ['draft'], targets: [target(openAi.providerId, 'gpt-4.1')], bypassCache: true });
    await look('a new run');
    // Each model stays while one of its runs does, and goes with its last.
    expect(seen).toStrictEqual({
      stored: ['gpt-4.1', 'gpt-4o-mini', 'llama3.2'],
      'one of two gpt-4o-mini runs deleted': ['gpt-4.1', 'gpt-4o-mini', 'llama3.2'],
      'the gpt-4.1 run deleted': ['gpt-4o-mini', 'llama3.2'],
      'the llama3.2 batch deleted': ['gpt-4o-mini'],
      'the last run given another model': ['gpt-4o-mini-renamed'],
      'every run deleted': [],
      'a new run': ['gpt-4.1'],
    });
  });

  test('upgrading to schema v16 counts each model’s runs and drops the models whose runs were all deleted before', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const old = openDatabase(file, MIGRATIONS.slice(0, 13));
    try {
      old.exec(`
        INSERT INTO run_batches (id, cell_count, bypass_cache, created_at) VALUES (1, 3, 0, '2026-01-01T00:00:00.000Z');
        INSERT INTO runs (id, batch_id, cell_index, provider_kind, provider_label, endpoint, model,
          messages_json, parameters_json, variables_json, status, price_source, cache_key, owner_pid, started_at)
        VALUES
          (1, 1, 0, 'openai', 'OpenAI', 'e', 'kept', '[]', '{}', '{}', 'ok', 'catalog', 'k1', 1, '2026-01-01T00:00:00.000Z'),
          (2, 1, 1, 'openai', 'OpenAI', 'e', 'kept', '[]', '{}', '{}', 'ok', 'catalog', 'k2', 1, '2026-01-01T00:00:01.000Z'),
          (3, 1, 2, 'openai', 'OpenAI', 'e', 'gone', '[]', '{}', '{}', 'ok', 'catalog', 'k3', 1, '2026-01-01T00:00:02.000Z');
        DELETE FROM runs WHERE id = 3;
      `);
      // What v13 left: the model whose runs are gone is still listed.
      expect(old.prepare('SELECT model FROM run_models ORDER BY model').pluck().all()).toStrictEqual(['gone', 'kept']);
    } finally {
      old.close();
    }
    const database = openDatabase(file);
    try {
      expect(database.prepare('SELECT model, run_count FROM run_models').raw().all()).toStrictEqual([['kept', 2]]);
    } finally {
      database.close();
    }
    const workbench = startWorkbench({ dataDir });
    expect(await workbench.call('runs:models', {})).toStrictEqual(['kept']);
  });

  test('counts every run the filters and search find, on every page; a model picked whole is that model alone, not those containing it', async () => {
    const workbench = startWorkbench();
    const openAi = await addOpenAi(workbench, { models: ['gpt-4o', 'gpt-4o-mini'] });
    const first = await createPrompt(workbench, TOPIC_CONTENT, { topic: 'tides' }, 'First');
    const second = await createPrompt(workbench, TOPIC_CONTENT, { topic: 'tides' }, 'Second');
    const targets = [
      { providerId: openAi.providerId, model: 'gpt-4o' },
      { providerId: openAi.providerId, model: 'gpt-4o-mini' },
    ];
    // First: 3 samples on each model about tides (runs 1-3 gpt-4o, 4-6 gpt-4o-mini), then 2 each about moons (7-8, 9-10); second: 1 each about tides (11-12).
    await finish(workbench, { promptId: first, versions: ['draft'], targets, samples: 3, bypassCache: true });
    await finish(workbench, { promptId: first, versions: ['draft'], targets, samples: 2, variables: { topic: 'moons' }, bypassCache: true });
    await finish(workbench, { promptId: second, versions: ['draft'], targets, bypassCache: true });
    /** The whole count, as the renderer adds it up: slice after slice until the cursor is null. */
    const count = async (input: object) => {
      let total = 0;
      let cursor: string | null | undefined;
      do {
        const slice = await workbench.call('runs:count', { ...input, ...(cursor == null ? {} : { cursor }) } as never);
        total += slice.count;
        cursor = slice.nextCursor;
      } while (cursor !== null);
      return total;
    };
    const listed = async (input: object) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const { query, ...filters } = input as { query?: string };
        const page = query === undefined ? await workbench.call('runs:list', { ...filters, limit: 2, ...(cursor === undefined ? {} : { cursor }) }) : await workbench.call('runs:search', { query, ...filters, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        ids.push(...page.items.map((run) => run.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return ids;
    };
    const cases = {
      all: {},
      prompt: { promptId: first },
      modelContains: { model: 'gpt-4o' },
      modelExact: { model: 'gpt-4o', isModelExact: true },
      // Exact is exact: a part of an id, or another case, is no model.
      modelExactPart: { model: '4o', isModelExact: true },
      modelExactCase: { model: 'GPT-4o', isModelExact: true },
      promptAndExactModel: { promptId: first, model: 'gpt-4o-mini', isModelExact: true },
      status: { status: 'ok' },
      search: { query: 'moons' },
      searchAndPrompt: { query: 'tides', promptId: first },
      searchAndExactModel: { query: 'tides', model: 'gpt-4o', isModelExact: true },
      searchNothing: { query: 'zebra' },
      onlyExcluded: { query: 'tides -tides' },
    };
    const counted: Record<string, number> = {};
    const found: Record<string, number> = {};
    for (const [name, input] of Object.entries(cases)) {
      counted[name] = await count(input);
      found[name] = (await listed(input)).length;
    }
    // Each count is what paging through the list finds.
    expect(counted).toStrictEqual(found);
    expect(counted).toStrictEqual({
      all: 12,
      prompt: 10,
      modelContains: 12,
      modelExact: 6,
      modelExactPart: 0,
      modelExactCase: 0,
      promptAndExactModel: 5,
      status: 12,
      search: 4,
      searchAndPrompt: 6,
      searchAndExactModel: 4,
      searchNothing: 0,
      onlyExcluded: 0,
    });
    expect(await listed({ model: 'gpt-4o', isModelExact: true })).toStrictEqual([11, 8, 7, 3, 2, 1]);
    // Below a cursor, a count counts the older runs only, and says where it stopped.
    expect(await workbench.call('runs:count', { status: 'ok', cursor: '5' })).toStrictEqual({ count: 4, nextCursor: null });
    expect(await workbench.call('runs:count', { query: 'tides', promptId: first, cursor: '4' })).toStrictEqual({ count: 3, nextCursor: null });
  });

  test('full-text search finds a run by a word of its output or of its prompt, with a snippet, honouring filters', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    server.script(
      { reply: { tokens: ['The ', 'moon ', 'pulls ', 'the ', 'oceans ', 'into ', 'bulges.'] } },
      { reply: { tokens: ['Volcanoes ', 'vent ', 'magma.'] } },
    );
    const moon = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const volcano = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], variables: { topic: 'geology' } });
    const search = async (query: string, filters: object = {}) =>
      (await workbench.call('runs:search', { query, ...filters })).items.map((hit) => [hit.id, hit.snippet]);
    const moonId = moon.cells[0].runId;
    const volcanoId = volcano.cells[0].runId;
    const mark = (word: string) => `${SNIPPET_MATCH_START}${word}${SNIPPET_MATCH_END}`;
    expect({
      byOutputWord: await search('oceans'),
      byPrefix: await search('volc'),
      byPromptWord: await search('geology'),
      byBoth: await search('answer bulges'),
      byPhrase: await search('"pulls the oceans"'),
      wrongPhrase: await search('"oceans the pulls"'),
      filteredOut: await search('oceans', { status: 'error' }),
      nothing: await search('zebra'),
      syntaxIsText: await search('oceans AND (NOT *'),
    }).toStrictEqual({
      byOutputWord: [[moonId, `The moon pulls the ${mark('oceans')} into bulges.`]],
      byPrefix: [[volcanoId, `${mark('Volcanoes')} vent magma.`]],
      byPromptWord: [[volcanoId, `You answer in one short sentence.\nTell me about ${mark('geology')}.`]],
      byBoth: [[moonId, `The moon pulls the oceans into ${mark('bulges')}.`]],
      byPhrase: [[moonId, `The moon ${mark('pulls the oceans')} into bulges.`]],
      wrongPhrase: [],
      filteredOut: [],
      nothing: [],
      syntaxIsText: [],
    });
  });

  test('turns typed text into a safe FTS5 query', () => {
    expect(
      [
        'oceans', 'moon tide', 'moon tide ', '"pulls the" ocean', 'a', 'x AND y*', '(((', '"unclosed phrase', 'café au',
        'beacon -keeper', 'beacon -"lamp room" OR', 'beacon OR keeper tower', 'beacon NOT keeper', '-keeper', '--x', 'NEAR(a b)', '🦄', '東京', 'กินข้าว', 'ເຂົ້າ',
      ].map(toFtsQuery),
    ).toStrictEqual([
      '"oceans"*', '"moon" "tide"*', '"moon" "tide"', '"pulls the" "ocean"*', '"a"', '"x" "y"', null, '"unclosed phrase"', '"café" "au"',
      '"beacon" NOT "keeper"', '"beacon" NOT "lamp room"', '("beacon" OR "keeper") "tower"*', '"beacon" NOT "keeper"', null, null, '"NEAR a" "b"',
      '"\u200b🦄\u200b"', '"\u200b東\u200b\u200b京\u200b"', '"\u200bกิน\u200bข้าว\u200b"*',
      // Lao, Khmer and Burmese as CJK, by grapheme cluster (a vowel sign stays with its consonant).
      '"\u200bເ\u200bຂົ້\u200bາ\u200b"*',
    ]);
  });

  test('search reads -word, -"a phrase", OR and NOT as people mean them, and no typed text is FTS5 syntax', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const outputs = ['The beacon and its keeper.', 'A beacon alone.', 'The keeper alone.', 'A beacon in the lamp room.', 'Or else a beacon, or a keeper.'];
    server.script(...outputs.map((output) => ({ reply: { tokens: output.split(/(?= )/) } })));
    const ids: number[] = [];
    for (let index = 0; index < outputs.length; index += 1) ids.push((await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true })).cells[0].runId);
    const [both, beacon, keeper, lampRoom, withOr] = ids;
    const search = async (query: string) => {
      try {
        return (await workbench.call('runs:search', { query })).items.map((hit) => hit.id);
      } catch (error) {
        return (error as Error).message;
      }
    };
    const nasty = ['"', '(', '*', 'NEAR(', ':', '^', '-', 'OR', '--x', 'AND', 'NOT', 'beacon:', 'beacon^', 'beacon*', '"beacon', 'beacon)', '(beacon', 'NEAR(beacon keeper)', '{output}: beacon', 'beacon OR', 'OR OR beacon', 'beacon - keeper', 'beacon --keeper'];
    expect({
      excluded: await search('beacon -keeper'),
      excludedPhrase: await search('beacon -"lamp room"'),
      either: await search('beacon OR keeper'),
      both: await search('beacon AND keeper'),
      not: await search('beacon NOT keeper'),
      lowerCaseOrIsAWord: await search('beacon or'),
      onlyExcluded: await search('-keeper'),
      onlyExcludedPhrase: await search('-"lamp room" -keeper'),
      nasty: Object.fromEntries(await Promise.all(nasty.map(async (query) => [query, await search(query)]))),
    }).toStrictEqual({
      excluded: [lampRoom, beacon],
      excludedPhrase: [withOr, beacon, both],
      either: [withOr, lampRoom, keeper, beacon, both],
      both: [withOr, both],
      not: [lampRoom, beacon],
      lowerCaseOrIsAWord: [withOr],
      onlyExcluded: 'Add a word to find: -keeper only leaves runs out.',
      onlyExcludedPhrase: 'Add a word to find: -"lamp room" -keeper only leaves runs out.',
      nasty: {
        '"': [], '(': [], '*': [], 'NEAR(': [], ':': [], '^': [], '-': [], OR: [], '--x': 'Add a word to find: -x only leaves runs out.', AND: [], NOT: [],
        'beacon:': [withOr, lampRoom, beacon, both], 'beacon^': [withOr, lampRoom, beacon, both], 'beacon*': [withOr, lampRoom, beacon, both],
        '"beacon': [withOr, lampRoom, beacon, both], 'beacon)': [withOr, lampRoom, beacon, both], '(beacon': [withOr, lampRoom, beacon, both],
        'NEAR(beacon keeper)': [], '{output}: beacon': [], 'beacon OR': [withOr, lampRoom, beacon, both], 'OR OR beacon': [withOr, lampRoom, beacon, both],
        'beacon - keeper': [withOr, both], 'beacon --keeper': [lampRoom, beacon],
      },
    });
  });

  test('a search or export over 500 characters is refused in plain words, never in the validator’s', async () => {
    const workbench = startWorkbench();
    const refusal = async (call: Promise<unknown>) => call.then(() => 'accepted', (error: unknown) => (error as Error).message);
    const long = `beacon ${'x'.repeat(500)}`;
    expect([
      await refusal(workbench.call('runs:search', { query: long })),
      await refusal(workbench.call('runs:export', { format: 'csv', query: long })),
      await refusal(workbench.call('runs:search', { query: 'x'.repeat(500) })),
    ]).toStrictEqual(['A search can be 500 characters at most: shorten it', 'A search can be 500 characters at most: shorten it', 'accepted']);
  });

  test('search finds emoji and Chinese, Japanese or Korean words anywhere, with snippets as written', async () => {
    const workbench = startWorkbench();
    const outputs = ['A 🦄 unicorn.', 'Horses🦄everywhere.', '東京タワーに行きました。', '私は東京に住んでいます。', '서울에서 만나요.', 'Nothing special.', 'I ❤️ tides.', 'Plain ❤ moons.'];
    const [unicorn, glued, tower, lives, seoul, , redHeart, plainHeart] = await runEachOutput(workbench, outputs);
    const search = (query: string) => searchHits(workbench, query);
    expect({
      emoji: await search('🦄'),
      emojiAndWord: await search('🦄 unicorn'),
      tokyo: await search('東京'),
      tower: await search('東京タワー'),
      korean: await search('서울'),
      notThere: await search('大阪'),
      // A variation selector (U+FE0F, "in colour") is no part of what is searched for.
      redHeart: await search('❤️'),
      plainHeart: await search('❤'),
    }).toStrictEqual({
      emoji: [[glued, `Horses${marked('🦄')}everywhere.`], [unicorn, `A ${marked('🦄')} unicorn.`]],
      emojiAndWord: [[unicorn, `A ${marked('🦄')} ${marked('unicorn')}.`]],
      tokyo: [[lives, `私は${marked('東京')}に住んでいます。`], [tower, `${marked('東京')}タワーに行きました。`]],
      tower: [[tower, `${marked('東京タワー')}に行きました。`]],
      korean: [[seoul, `${marked('서울')}에서 만나요.`]],
      notThere: [],
      redHeart: [[plainHeart, `Plain ${marked('❤')} moons.`], [redHeart, `I ${marked('❤')}\ufe0f tides.`]],
      plainHeart: [[plainHeart, `Plain ${marked('❤')} moons.`], [redHeart, `I ${marked('❤')}\ufe0f tides.`]],
    });
  });

  test('search finds a word inside a Thai, Lao, Khmer or Burmese sentence (written without spaces), and not a word that is not there', async () => {
    const workbench = startWorkbench();
    const [thai, lao, khmer, burmese] = await runEachOutput(workbench, [
      'ฉันชอบกินข้าวผัดกับไข่ดาวทุกวัน', // Thai: I like to eat fried rice with a fried egg every day.
      'ພວກເຮົາໄປຕະຫຼາດໃນຕອນເຊົ້າ', // Lao: we go to the market in the morning.
      'ខ្ញុំរៀនភាសាខ្មែរនៅសាលា', // Khmer: I learn Khmer at school.
      'မြန်မာနိုင်ငံသည်အာရှတွင်ရှိသည်', // Burmese: Myanmar is in Asia.
    ]);
    const search = (query: string) => searchHits(workbench, query);
    expect({
      egg: await search('ไข่ '),
      fish: await search('ปลา '),
      market: await search('ຕະຫຼາດ '),
      school: await search('ໂຮງຮຽນ '),
      learn: await search('រៀន '),
      house: await search('ផ្ទះ '),
      asia: await search('အာရှ '),
      europe: await search('ဥရောပ '),
      eggAsItIsTyped: await search('ไข่ดา'),
    }).toStrictEqual({
      egg: [[thai, `ฉันชอบกินข้าวผัดกับ${marked('ไข่')}ดาวทุกวัน`]],
      fish: [],
      // A snippet is 16 characters of Lao, Khmer or Burmese, as of CJK.
      market: [[lao, `ພວກເຮົາໄປ${marked('ຕະຫຼາດ')}ໃນຕ…`]],
      school: [],
      learn: [[khmer, `ខ្ញុំ${marked('រៀន')}ភាសាខ្មែរនៅសាលា`]],
      house: [],
      asia: [[burmese, `မြန်မာနိုင်ငံသည်${marked('အာရှ')}တွင်ရှိသ…`]],
      europe: [],
      eggAsItIsTyped: [[thai, `ฉันชอบกินข้าวผัดกับ${marked('ไข่ดาว')}ทุกวัน`]],
    });
  });

  test('search finds a Lao, Khmer or Burmese word the dictionary joins to the next one, words in any order, and a word as it is typed', async () => {
    const workbench = startWorkbench();
    const [lao, khmer, burmese] = await runEachOutput(workbench, [
      'ຂ້ອຍມັກກິນເຂົ້າໜຽວ', // Lao: I like to eat sticky rice (ICU reads ກິນເຂົ້າ as one word).
      'ខ្ញុំចូលចិត្តញ៉ាំបាយណាស់', // Khmer: I like to eat rice very much (ញ៉ាំបាយ as one word).
      'ကျွန်တော်ထမင်းစားချင်တယ်', // Burmese: I want to eat rice (ထမင်းစား as one word).
    ]);
    const search = (query: string) => searchHits(workbench, query);
    expect({
      laoRice: await search('ເຂົ້າ '),
      khmerRice: await search('បាយ '),
      burmeseEat: await search('စား '),
      laoInOrder: await search('ມັກ ກິນ'),
      laoOtherOrder: await search('ກິນ ມັກ'),
      khmerOtherOrder: await search('បាយ ចូលចិត្ត '),
      burmeseOtherOrder: await search('စား ထမင်း '),
      laoFish: await search('ປາ '),
      khmerFish: await search('ត្រី '),
      burmeseFish: await search('ငါး '),
      laoAsItIsTyped: await search('ເຂົ'),
      khmerAsItIsTyped: await search('ញ៉ា'),
      burmeseAsItIsTyped: await search('ထမင'),
    }).toStrictEqual({
      laoRice: [[lao, `ຂ້ອຍມັກກິນ${marked('ເຂົ້າ')}ໜຽວ`]],
      khmerRice: [[khmer, `ខ្ញុំចូលចិត្តញ៉ាំ${marked('បាយ')}ណាស់`]],
      burmeseEat: [[burmese, `ကျွန်တော်ထမင်း${marked('စား')}ချင်တယ်`]],
      // Each term is marked on its own, as two CJK words side by side are.
      laoInOrder: [[lao, `ຂ້ອຍ${marked('ມັກ')}${marked('ກິນ')}ເຂົ້າໜຽວ`]],
      laoOtherOrder: [[lao, `ຂ້ອຍ${marked('ມັກ')}${marked('ກິນ')}ເຂົ້າໜຽວ`]],
      khmerOtherOrder: [[khmer, `ខ្ញុំ${marked('ចូលចិត្ត')}ញ៉ាំ${marked('បាយ')}ណាស់`]],
      burmeseOtherOrder: [[burmese, `ကျွန်တော်${marked('ထမင်း')}${marked('စား')}ချင်တယ်`]],
      laoFish: [],
      khmerFish: [],
      burmeseFish: [],
      laoAsItIsTyped: [[lao, `ຂ້ອຍມັກກິນ${marked('ເຂົ້')}າໜຽວ`]],
      khmerAsItIsTyped: [[khmer, `ខ្ញុំចូលចិត្ត${marked('ញ៉ាំ')}បាយណាស់`]],
      burmeseAsItIsTyped: [[burmese, `ကျွန်တော်${marked('ထမင်')}းစားချင်တယ်`]],
    });
  });

  test('upgrading to schema v13 indexes the stored runs anew, so emoji and CJK words are found in them', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const old = openDatabase(file, MIGRATIONS.slice(0, 12));
    try {
      old.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at) VALUES (1, 1, 3, 0, '2026-01-01T00:00:00.000Z');
        INSERT INTO runs (id, batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model,
          messages_json, parameters_json, variables_json, output, status, price_source, cache_key, owner_pid, started_at)
        VALUES
          (1, 1, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', '[{"role":"user","content":"東京について"}]', '{}', '{}', '🦄 unicorn', 'ok', 'catalog', 'k1', 1, '2026-01-01T00:00:00.000Z'),
          (2, 1, 1, 1, 1, 'openai', 'OpenAI', 'e', 'm', '[{"role":"user","content":"tides"}]', '{}', '{}', 'the moon 🦄', 'ok', 'catalog', 'k2', 1, '2026-01-01T00:00:01.000Z'),
          (3, 1, 2, 1, 1, 'openai', 'OpenAI', 'e', 'm', '[{"role":"user","content":"tides"}]', '{}', '{}', 'half 🦄', 'running', 'catalog', 'k3', 1, '2026-01-01T00:00:02.000Z');
      `);
      indexAsSchemaV13(old);
      old.prepare('UPDATE runs SET output = ? WHERE id = 2').run('the moon 🦄 again');
    } finally {
      old.close();
    }
    const database = openDatabase(file, MIGRATIONS.slice(0, 13));
    try {
      expect({
        // Run 2 changed and waits in the queue; run 3 is still running.
        indexed: database.prepare('SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?').pluck().all(toFtsQuery('🦄')),
        pending: database.prepare('SELECT run_id FROM runs_fts_pending').pluck().all(),
        check: (() => {
          database.prepare("INSERT INTO runs_fts (runs_fts) VALUES ('integrity-check')").run();
          return 'ok';
        })(),
      }).toStrictEqual({ indexed: [1], pending: [2], check: 'ok' });
    } finally {
      database.close();
    }
    const workbench = startWorkbench({ dataDir });
    expect([
      (await workbench.call('runs:search', { query: '🦄' })).items.map((hit) => hit.id),
      (await workbench.call('runs:search', { query: '東京' })).items.map((hit) => hit.id),
    ]).toStrictEqual([[2, 1], [1]]);
  });

  test('each run says how many samples its comparison ran, so the first of several is told from a run on its own; a retry and a re-run keep the count', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const target = { providerId, model: 'gpt-4o-mini' };
    const alone = await finish(workbench, { promptId, versions: ['draft'], targets: [target], bypassCache: true });
    const samples = await finish(workbench, { promptId, versions: ['draft'], targets: [target], samples: 3, bypassCache: true });
    const retry = await workbench.call('runs:rerun', { id: samples.cells[0].runId, inPlaceOf: samples.batchId });
    await workbench.batchDone(retry.batchId);
    const again = await workbench.call('runs:rerun', { id: samples.cells[1].runId, bypassCache: true });
    await workbench.batchDone(again.batchId);
    const view = (runs: { id: number; sampleIndex: number; sampleCount: number }[]) => runs.map((run) => [run.id, run.sampleIndex + 1, run.sampleCount]);
    const expected = [
      [again.cells[0].runId, 2, 3],
      [retry.cells[0].runId, 1, 3],
      ...samples.cells.toReversed().map((cell) => [cell.runId, cell.sampleIndex + 1, 3]),
      [alone.cells[0].runId, 1, 1],
    ];
    expect([
      view((await workbench.call('runs:list', {})).items),
      view((await workbench.call('runs:search', { query: 'tides' })).items),
      view(await Promise.all(expected.map(([id]) => workbench.call('runs:get', { id })))),
      // As each run ended, the windows were told the same.
      view(workbench.eventsOf('run:done').toSorted((a, b) => b.id - a.id)),
    ]).toStrictEqual([expected, expected, expected, expected]);
  });

  test('upgrading to schema v14 gives stored runs the sample count of their batch, and a retried column that of the comparison it was run in', () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const old = openDatabase(file, MIGRATIONS.slice(0, 13));
    try {
      old.exec(`
        INSERT INTO prompts (id, slug, name, created_at, updated_at) VALUES (1, 'p', 'P', 't', 't');
        INSERT INTO run_batches (id, prompt_id, cell_count, bypass_cache, created_at, origin, in_place_of_batch, replaces_run_id) VALUES
          (1, 1, 1, 0, 't', 'panel', NULL, NULL),
          (2, 1, 4, 0, 't', 'panel', NULL, NULL),
          (3, 1, 1, 0, 't', 'retry', 2, 2),
          (4, 1, 1, 0, 't', 'rerun', NULL, NULL);
        INSERT INTO runs (id, batch_id, cell_index, prompt_id, provider_id, provider_kind, provider_label, endpoint, model, sample_index,
          messages_json, parameters_json, variables_json, status, price_source, cache_key, owner_pid, started_at)
        VALUES
          (1, 1, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', 0, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (2, 2, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', 0, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (3, 2, 1, 1, 1, 'openai', 'OpenAI', 'e', 'm', 1, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (4, 2, 2, 1, 1, 'openai', 'OpenAI', 'e', 'n', 0, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (5, 2, 3, 1, 1, 'openai', 'OpenAI', 'e', 'n', 1, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (6, 3, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', 0, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't'),
          (7, 4, 0, 1, 1, 'openai', 'OpenAI', 'e', 'm', 0, '[]', '{}', '{}', 'ok', 'catalog', 'k', 1, 't');
      `);
    } finally {
      old.close();
    }
    const database = openDatabase(file);
    try {
      // A re-run from history (batch 4) kept no link to the run it sent again: a run on its own, as it was shown.
      expect(new RunStore(database).list({}).items.map((run) => [run.id, run.sampleIndex + 1, run.sampleCount])).toStrictEqual([
        [7, 1, 1],
        [6, 1, 2],
        [5, 2, 2],
        [4, 1, 2],
        [3, 2, 2],
        [2, 1, 2],
        [1, 1, 1],
      ]);
    } finally {
      database.close();
    }
  });

  test('re-runs a stored run exactly, as a new batch: same rendered request, provider and model', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    server.script({ fault: { kind: 'http-error', status: 500 } });
    const failed = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    // The draft changes afterwards; the re-run still sends what the stored run sent.
    await workbench.call('drafts:save', { promptId, content: { ...TOPIC_CONTENT, messages: [{ role: 'user', content: 'Changed' }] }, variables: {} });
    const rerun = await workbench.call('runs:rerun', { id: failed.cells[0].runId });
    await workbench.batchDone(rerun.batchId);
    const run = await workbench.call('runs:get', { id: rerun.cells[0].runId });
    const [before, after] = server.requestsTo(chatPath).map((request) => request.body);
    expect([rerun.batchId !== failed.batchId, run.status, run.version, run.promptId, after]).toStrictEqual([true, 'ok', 'draft', promptId, before]);
  });

  test('finished runs reach the search index in the background, and the index stays true to the runs', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench, { reply: { tokens: ['Slow ', 'tides.'], chunkDelayMs: 30 } });
    const promptId = await createPrompt(workbench);
    server.script({ fault: { kind: 'cut', afterChunks: 1 } });
    const first = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 3, bypassCache: true });
    const cancelled = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true });
    await workbench.waitFor('run:delta', (delta) => delta.batchId === cancelled.batchId);
    await workbench.call('runs:cancel', { batchId: cancelled.batchId });
    await workbench.batchDone(cancelled.batchId);
    const database = new BetterSqlite3(path.join(workbench.dataDir, DATABASE_FILE_NAME));
    try {
      const pending = () => (database.prepare('SELECT count(*) AS count FROM runs_fts_pending').get() as { count: number }).count;
      const queued = pending();
      const deadline = Date.now() + 5_000;
      while (pending() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      const indexed = (database.prepare('SELECT count(*) AS count FROM runs_fts').get() as { count: number }).count;
      expect([queued > 0, pending(), indexed]).toStrictEqual([true, 0, 4]);
      // FTS5 checks its index against the runs it was built from.
      expect(() => database.prepare("INSERT INTO runs_fts (runs_fts) VALUES ('integrity-check')").run()).not.toThrow();
    } finally {
      database.close();
    }
    expect((await workbench.call('runs:search', { query: 'slow' })).items.map((hit) => hit.batchId)).toStrictEqual([
      cancelled.batchId,
      first.batchId,
      first.batchId,
      first.batchId,
    ]);
  });

  test('the preview is the first 200 characters, counted as SQLite counts them (emoji are one), in events and history alike', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench, { reply: { tokens: Array.from({ length: 150 }, () => '🌊 ') } });
    const promptId = await createPrompt(workbench);
    const started = await finish(workbench, { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const announced = await workbench.runDone(started.cells[0].runId);
    const listed = (await workbench.call('runs:list', {})).items[0];
    expect([Array.from(announced.outputPreview).length, listed.outputPreview, await workbench.call('runs:get', { id: announced.id })]).toStrictEqual([
      200,
      announced.outputPreview,
      announced,
    ]);
  });
});
