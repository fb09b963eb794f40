/**
 * Run history: every run stored with what it ran with; filtered, keyset-paged lists; full-text
 * search over outputs and prompt text; re-running a stored request exactly.
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../electron/core/engine';
import { toFtsQuery } from '../../../../electron/core/runs/run-store';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START } from '../../../../shared/types';
import { addOllama, addOpenAi, createPrompt, startWorkbench, TOPIC_CONTENT, type Workbench } from './run-harness';
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
    let workbench = startWorkbench({ dataDir });
    const openAi = await addOpenAi(workbench, { models: ['gpt-4o-mini', 'gpt-4.1'] });
    const promptId = await createPrompt(workbench);
    const targets = ['gpt-4o-mini', 'gpt-4.1'].map((model) => ({ providerId: openAi.providerId, model }));
    await finish(workbench, { promptId, versions: ['draft'], targets, bypassCache: true });
    workbench.engine.close();
    // As a v10 database was: no model list, no cache source.
    const database = new BetterSqlite3(path.join(dataDir, DATABASE_FILE_NAME));
    database.exec('DROP TRIGGER runs_model_seen; DROP TABLE run_models; ALTER TABLE runs DROP COLUMN cached_from_run_id; ALTER TABLE runs DROP COLUMN input_estimated; ALTER TABLE cache_counters DROP COLUMN unpriced_hits; PRAGMA user_version = 10;');
    database.close();
    workbench = startWorkbench({ dataDir });
    expect(await workbench.call('runs:models', {})).toStrictEqual(['gpt-4.1', 'gpt-4o-mini']);
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
      ['oceans', 'moon tide', 'moon tide ', '"pulls the" ocean', 'a', 'x AND y*', '(((', '"unclosed phrase', 'café au'].map(toFtsQuery),
    ).toStrictEqual(['"oceans"*', '"moon" "tide"*', '"moon" "tide"', '"pulls the" "ocean"*', '"a"', '"x" "AND" "y"', null, '"unclosed phrase"', '"café" "au"']);
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
