/**
 * History beyond its first page: the engine stores more runs than one keyset page holds (in
 * batches of ten samples against the OpenAI fixture), then the browser host opens on that data
 * folder and the user wheels the virtualized list to its end, listed and searched; every run must
 * come into view exactly once, the oldest last. Exporting saves every run found, over several
 * of the engine's export pages, in one file. A filter or search that leaves out the open run
 * closes it, and one that keeps it (on a later page too) does not.
 */

import { expect, test, type Locator, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../electron/core/database';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import type { HistorySeed } from './history-seed';
import { makeTempDir, startHost, type HostHandle } from './host';
import { openApp, openWorkspace, watchForProblems } from './ui-support';

/** Rows the renderer asks for per page (`HISTORY_PAGE_SIZE` in the history slice). */
const HISTORY_PAGE_SIZE = 100;
const TOTAL_RUNS = HISTORY_PAGE_SIZE + 30;
/** How many of them (the older ones) were about lighthouses; the rest about tides. */
const LIGHTHOUSE_RUNS = HISTORY_PAGE_SIZE + 11;
const OLDEST_OUTPUT = 'The very first answer mentions periwinkle.';
const MODELS = ['gpt-4o-mini', 'gpt-4.1-mini'];
/** The oldest run's model: no run on the first page has it. */
const FIRST_MODEL = 'gpt-4.1-nano';
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);

let openai: OpenAiServer | undefined;
let host: HostHandle | undefined;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

/** Stores the runs through the engine in a Node process of its own (see history-seed.ts); returns their ids, oldest first. */
async function storeRuns(
  dataDir: string,
  server: OpenAiServer,
  topics: HistorySeed['topics'] = [
    { topic: 'lighthouses', runs: LIGHTHOUSE_RUNS },
    { topic: 'tides', runs: TOTAL_RUNS - LIGHTHOUSE_RUNS },
  ],
  firstRunId?: number,
  models: string[] = MODELS,
  firstOutput = OLDEST_OUTPUT,
): Promise<number[]> {
  const outfile = path.join(makeTempDir('seed'), 'history-seed.cjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'history-seed.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Found through NODE_PATH in the project's node_modules, as the benchmarks find it.
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
  const seed: HistorySeed = {
    dataDir,
    baseUrl: server.baseUrl,
    models,
    firstModel: FIRST_MODEL,
    topics,
    ...(firstRunId === undefined ? {} : { firstRunId }),
  };
  server.script({ reply: { tokens: firstOutput.split(/(?= )/) } });
  const { stdout } = await execFileAsync(process.execPath, [outfile, JSON.stringify(seed)], { env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
  return JSON.parse(stdout) as number[];
}

interface ListView {
  ids: number[];
  isAtEnd: boolean;
  scrollTop: number;
  scrollHeight: number;
}

async function listView(list: Locator): Promise<ListView> {
  return list.evaluate((element) => ({
    ids: [...element.querySelectorAll('[data-testid="history-row"]')].map((row) => Number(row.getAttribute('data-run-id'))),
    isAtEnd: element.scrollTop + element.clientHeight >= element.scrollHeight - 1,
    scrollTop: element.scrollTop,
    scrollHeight: element.scrollHeight,
  }));
}

/**
 * Wheels the history list from its top to its very end, as a user would, and returns the ids of
 * every row that came into view, in the order they appeared. Fails when the list stops growing
 * while the header still says there is more.
 */
async function wheelToEnd(page: Page): Promise<number[]> {
  const list = page.getByTestId('history-list');
  const seen: number[] = [];
  await list.hover();
  for (let step = 0; step < 200; step += 1) {
    const view = await listView(list);
    for (const id of view.ids) if (!seen.includes(id)) seen.push(id);
    if (view.isAtEnd) {
      const counted = await page.getByTestId('history-count').innerText();
      // Every run the header counts has come into view: this is the end.
      if (!counted.endsWith('+') && seen.length >= Number(counted.replace(/\D/g, ''))) return seen;
      // At the end with more to come: the next page must arrive and lengthen the list (or the count come, to be read again).
      await expect
        .poll(async () => [(await listView(list)).scrollHeight, await page.getByTestId('history-count').innerText()], { message: 'the next page never arrived' })
        .not.toEqual([view.scrollHeight, counted]);
      continue;
    }
    await page.mouse.wheel(0, 500);
    await expect.poll(async () => (await listView(list)).scrollTop).not.toBe(view.scrollTop);
  }
  throw new Error(`The list never reached its end; saw ${seen.length} rows`);
}

test('history loads every page as the list is wheeled to its end, listed and searched', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', ' and', ' beams', ' all', ' night.'] } });
  const dataDir = makeTempDir('paging');
  const ids = await storeRuns(dataDir, openai);
  expect(ids).toHaveLength(TOTAL_RUNS);
  const newestFirst = ids.toReversed();

  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');

  // The first page alone is loaded; the header counts every run.
  await expect(page.getByTestId('history-count')).toHaveText(`${TOTAL_RUNS} runs`);
  // The model filter suggests every model history has, the oldest run's too, though its page is not loaded yet.
  const suggestions = page.locator(`datalist#${await page.getByTestId('filter-model').getAttribute('list')} option`);
  await expect(suggestions).toHaveCount(3);
  expect(await suggestions.evaluateAll((options) => options.map((option) => option.getAttribute('value')))).toEqual(['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini']);
  expect(await wheelToEnd(page)).toEqual(newestFirst);
  await expect(page.getByTestId('history-count')).toHaveText(`${TOTAL_RUNS} runs`);
  const lastRow = page.getByTestId('history-row').last();
  await expect(lastRow).toHaveAttribute('data-run-id', String(ids[0]));
  await expect(lastRow.getByTestId('history-preview')).toHaveText(OLDEST_OUTPUT);

  // End opens the oldest run.
  await page.getByTestId('history-list').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(ids[0]));
  await expect(page.getByTestId('run-detail').getByTestId('detail-output')).toHaveText(OLDEST_OUTPUT);

  // A search matching more than a page pages the same way, from its own first page.
  await page.keyboard.press('Home');
  await expect.poll(async () => (await listView(page.getByTestId('history-list'))).scrollTop).toBe(0);
  await page.getByTestId('history-search').fill('lighthouses');
  await expect(page.getByTestId('history-count')).toHaveText(`${LIGHTHOUSE_RUNS} matches`);
  expect(await wheelToEnd(page)).toEqual(newestFirst.slice(TOTAL_RUNS - LIGHTHOUSE_RUNS));
  await expect(page.getByTestId('history-count')).toHaveText(`${LIGHTHOUSE_RUNS} matches`);
  await expect(page.getByTestId('history-row').last()).toHaveAttribute('data-run-id', String(ids[0]));
  expect(problems()).toEqual([]);
});

/** The id of the row at the top of the list's viewport (read from where the rows are, not their order in the page). */
async function firstVisibleRow(page: Page): Promise<number> {
  return page.getByTestId('history-list').evaluate((list) => {
    const top = list.getBoundingClientRect().top;
    const rows = [...list.querySelectorAll('[data-testid="history-row"]')]
      .map((row) => ({ id: Number(row.getAttribute('data-run-id')), rect: row.getBoundingClientRect() }))
      .filter(({ rect }) => rect.bottom > top + 1)
      .sort((one, other) => one.rect.top - other.rect.top);
    return rows[0]?.id ?? -1;
  });
}

test('a new search or filter starts at the top of its results, ↓ from the search box on its newest; the count says how many runs match in all; a model picked from the suggestions is that model alone', async ({ page }) => {
  const models = ['gpt-4o', 'gpt-4o-mini'];
  openai = await startOpenAiServer({ models: [...models, FIRST_MODEL], reply: { tokens: [' Waves', ' and', ' beams', ' all', ' night.'] } });
  const dataDir = makeTempDir('top');
  // 111 about lighthouses: one gpt-4.1-nano run, then batches of ten, gpt-4o-mini first (60 runs) and gpt-4o (50) in turn; then 19 about tides.
  const ids = await storeRuns(dataDir, openai, undefined, undefined, models);
  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  const list = page.getByTestId('history-list');
  const count = page.getByTestId('history-count');
  const search = page.getByTestId('history-search');
  const model = page.getByTestId('filter-model');
  /** Wheels the list well down, away from its top. */
  const scrollDown = async () => {
    await list.hover();
    await page.mouse.wheel(0, 3_000);
    await expect.poll(async () => (await listView(list)).scrollTop).toBeGreaterThan(1_500);
  };
  // The whole count, more than the first page holds.
  await expect(count).toHaveText(`${TOTAL_RUNS} runs`);

  // Scrolled down, a search shows its newest match at the top.
  await scrollDown();
  await search.fill('lighthouses');
  await expect(count).toHaveText(`${LIGHTHOUSE_RUNS} matches`);
  await expect.poll(() => firstVisibleRow(page)).toBe(ids[LIGHTHOUSE_RUNS - 1]);
  expect((await listView(list)).scrollTop).toBe(0);
  // ↓ from the search box opens that run, the one shown first.
  await search.press('ArrowDown');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(ids[LIGHTHOUSE_RUNS - 1]));
  await expect(list).toHaveAttribute('aria-activedescendant', `history-run-${ids[LIGHTHOUSE_RUNS - 1]}`);

  // Scrolled down again, a filter starts at the top too: part of an id finds every model containing it.
  await scrollDown();
  await model.fill('4o');
  await expect(count).toHaveText('110 matches');
  await expect(page.getByTestId('filter-model-match')).toHaveText('contains');
  await expect.poll(() => firstVisibleRow(page)).toBe(ids[LIGHTHOUSE_RUNS - 1]);

  // A model of the suggestions, whole, is that model alone (not gpt-4o-mini), and says so.
  await scrollDown();
  await model.fill('gpt-4o');
  await expect(page.getByTestId('filter-model-match')).toHaveText('exactly');
  await expect(count).toHaveText('50 matches');
  const newestGpt4o = (await page.getByTestId('history-row').first().getAttribute('data-run-id')) as string;
  await expect.poll(() => firstVisibleRow(page)).toBe(Number(newestGpt4o));
  expect(new Set(await page.getByTestId('history-row').getByTestId('history-model').allInnerTexts())).toEqual(new Set(['gpt-4o']));
  // Its button switches to "contains", and back.
  await page.getByTestId('filter-model-match').click();
  await expect(count).toHaveText('110 matches');
  await page.getByTestId('filter-model-match').click();
  await expect(count).toHaveText('50 matches');

  // Without a search, the count is every run of the model.
  await search.fill('');
  await expect(count).toHaveText('60 runs');
  expect(problems()).toEqual([]);
});

test('a filter or search that hides the open run closes it and lets go of its row, the keyboard staying where it types; a run still listed stays open, pages down too', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', ' and', ' beams', ' all', ' night.'] } });
  const dataDir = makeTempDir('hidden');
  const ids = await storeRuns(dataDir, openai);
  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  const search = page.getByTestId('history-search');
  const model = page.getByTestId('filter-model');
  const count = page.getByTestId('history-count');
  const detail = page.getByTestId('run-detail');
  const selected = page.locator('[data-testid="history-row"][aria-selected="true"]');
  /** Waits for the list to settle: the first page and whether the open run is in the list are known. */
  const settled = async (text: string | RegExp) => {
    await expect(count).toHaveText(text);
    await expect(page.getByTestId('history-loading')).toHaveCount(0);
  };

  // The newest run (about tides) is open; a search it matches keeps it open, typed letter by letter.
  await page.getByTestId('history-row').first().click();
  await expect(detail).toHaveAttribute('data-run-id', String(ids.at(-1)));
  await search.pressSequentially('tides');
  await settled(`${TOTAL_RUNS - LIGHTHOUSE_RUNS} matches`);
  await expect(detail).toHaveAttribute('data-run-id', String(ids.at(-1)));
  await expect(selected).toHaveAttribute('data-run-id', String(ids.at(-1)));

  // A search that leaves it out closes it and its row's selection; the keyboard stays in the box, and typing goes on there.
  await search.press('Control+A');
  await search.pressSequentially('lighthouses');
  await settled(`${LIGHTHOUSE_RUNS} matches`);
  await expect(detail).toHaveCount(0);
  await expect(page.getByTestId('history-empty-detail')).toBeVisible();
  await expect(selected).toHaveCount(0);
  await expect(search).toBeFocused();
  await page.keyboard.type(' beams');
  await expect(search).toHaveValue('lighthouses beams');
  await settled(`${LIGHTHOUSE_RUNS} matches`);
  await expect(detail).toHaveCount(0);

  // The oldest run, opened at the end of the whole list, is pages down in the search's list: it stays open.
  await search.press('Escape');
  await settled(`${TOTAL_RUNS} runs`);
  expect((await wheelToEnd(page)).at(-1)).toBe(ids[0]);
  await page.getByTestId('history-list').focus();
  await page.keyboard.press('End');
  await expect(detail).toHaveAttribute('data-run-id', String(ids[0]));
  await search.fill('lighthouses');
  // The list starts again at its top; the open run, pages down, stays open.
  await settled(`${LIGHTHOUSE_RUNS} matches`);
  await expect(detail).toHaveAttribute('data-run-id', String(ids[0]));
  // A model filter it does not pass closes it, with the keyboard still in that field.
  await model.pressSequentially('mini');
  await settled('110 matches');
  await expect(detail).toHaveCount(0);
  await expect(model).toBeFocused();
  await expect(model).toHaveValue('mini');
  expect(problems()).toEqual([]);
});

test('a model leaves the model filter’s suggestions with its last run, deleted by another process sharing the file', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', '.'] } });
  const dataDir = makeTempDir('models');
  // One gpt-4.1-nano run, then ten of gpt-4.1-mini and one of gpt-4o-mini.
  const ids = await storeRuns(dataDir, openai, [{ topic: 'tides', runs: 12 }]);
  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  // The model field's datalist, looked up each time: the view has a new one each time it opens.
  const suggested = async () =>
    page.locator(`datalist#${await page.getByTestId('filter-model').getAttribute('list')} option`).evaluateAll((options) => options.map((option) => option.getAttribute('value')));
  await expect(page.getByTestId('history-count')).toHaveText('12 runs');
  await expect.poll(suggested).toEqual(['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini']);

  // The lone gpt-4.1-nano run, deleted while the host runs, as another process (the desktop app, a database tool) would.
  await openWorkspace(page, 'prompts');
  const other = openDatabase(path.join(dataDir, 'workbench.sqlite'));
  try {
    expect(other.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]).changes).toBe(1);
  } finally {
    other.close();
  }
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-count')).toHaveText('11 runs');
  await expect.poll(suggested).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
  expect(problems()).toEqual([]);
});

test('more new runs than a page, stored while History is open, leave no gap in its list or its count', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', '.'] } });
  const dataDir = makeTempDir('gap');
  const ids = await storeRuns(dataDir, openai, [{ topic: 'tides', runs: 12 }]);
  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-count')).toHaveText('12 runs');

  // Another process (the desktop app sharing the file) stores more runs than a page meanwhile.
  await openWorkspace(page, 'prompts');
  const added = Array.from({ length: HISTORY_PAGE_SIZE + 30 }, (_, index) => (ids.at(-1) as number) + 1 + index);
  const other = openDatabase(path.join(dataDir, 'workbench.sqlite'));
  try {
    other.transaction(() => {
      other.exec(`CREATE TEMP TABLE copied AS SELECT * FROM runs WHERE id = ${ids.at(-1) as number}`);
      for (const id of added) {
        other.prepare('UPDATE copied SET id = ?').run(id);
        other.exec('INSERT INTO runs SELECT * FROM copied');
      }
    })();
  } finally {
    other.close();
  }
  // Back in History, the newest page comes first and the rest pages in after it, every run once.
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-count')).toHaveText(`${ids.length + added.length} runs`);
  expect(await wheelToEnd(page)).toEqual([...ids, ...added].toReversed());
  await expect(page.getByTestId('history-count')).toHaveText(`${ids.length + added.length} runs`);
  expect(problems()).toEqual([]);
});

test('history exports every run it finds, page after page, as CSV and JSON Lines', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', ' and', ' beams', ' all', ' night.'] } });
  const dataDir = makeTempDir('export');
  // More than two of the engine's export pages (500 runs each).
  const lighthouseRuns = 520;
  const total = 1_030;
  const ids = await storeRuns(dataDir, openai, [
    { topic: 'lighthouses', runs: lighthouseRuns },
    { topic: 'tides', runs: total - lighthouseRuns },
  ]);
  expect(ids).toHaveLength(total);

  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-count')).toHaveText(`${total.toLocaleString('en-US')} runs`);

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^workbench-runs-\d{4}-\d{2}-\d{2}\.csv$/);
  const csvBytes = await fs.readFile(await csvDownload.path());
  // A UTF-8 byte-order mark, then the header: Excel on Windows reads the file as UTF-8.
  expect([...csvBytes.subarray(0, 6)]).toEqual([0xef, 0xbb, 0xbf, 0x69, 0x64, 0x2c]);
  const rows = parse(csvBytes, { columns: true, bom: true }) as Record<string, string>[];
  expect(rows.map((row) => Number(row.id))).toEqual(ids.toReversed());
  expect(rows.at(-1)).toMatchObject({ output: OLDEST_OUTPUT, status: 'ok', prompt: 'Paging', provider: 'OpenAI (fixture)' });
  await expect(page.getByTestId('toast').last()).toContainText(`Exported ${total.toLocaleString('en-US')} runs`);

  // With a search, the hits alone, whole, one per line.
  await page.getByTestId('history-search').fill('lighthouses');
  await expect(page.getByTestId('history-count')).toHaveText(`${lighthouseRuns} matches`);
  const [jsonlDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
  const jsonlText = await fs.readFile(await jsonlDownload.path(), 'utf8');
  // JSON Lines has no byte-order mark: JSON forbids one.
  expect(jsonlText.startsWith('{')).toBe(true);
  const lines = jsonlText.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; variables: Record<string, string> });
  expect(lines.map((line) => line.id)).toEqual(ids.slice(0, lighthouseRuns).toReversed());
  expect(lines.every((line) => line.variables.topic === 'lighthouses')).toBe(true);
  await expect(page.getByTestId('export-csv')).toBeEnabled();
  expect(problems()).toEqual([]);
});

test('the search box reads -word and OR, finds emoji and CJK, says plainly what it cannot search, and takes the keyboard from Ctrl+Shift+H', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL], reply: { tokens: [' Waves', ' and', ' beams', ' all', ' night.'] } });
  const dataDir = makeTempDir('search');
  // The topic is in the prompt text each run sent, which the search reads.
  const ids = await storeRuns(dataDir, openai, [
    { topic: 'lighthouses', runs: HISTORY_PAGE_SIZE + 1 },
    { topic: 'beacon keeper', runs: 2 },
    { topic: 'beacon', runs: 3 },
    { topic: 'keeper', runs: 4 },
    { topic: '🦄 unicorn', runs: 5 },
    { topic: '東京タワー', runs: 6 },
  ], 3_000);
  expect([ids.length, ids[0]]).toEqual([HISTORY_PAGE_SIZE + 1 + 20, 3_000]);

  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  const search = page.getByTestId('history-search');
  const count = page.getByTestId('history-count');
  const none = page.getByTestId('history-none');

  // Ctrl+Shift+H opens the history with the keyboard in its search box; ↓ goes on to the list, on its first run.
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('history-view')).toBeVisible();
  await expect(search).toBeFocused();
  await expect(count).toHaveText(`${ids.length} runs`);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('history-list')).toBeFocused();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', String(ids.at(-1)));
  // Tab from the search box goes through the filters beside it, in the order they show, then the export, then the list.
  await search.focus();
  const tabbed: string[] = [];
  for (let press = 0; press < 20 && tabbed.at(-1) !== 'history-list'; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      // The tests' types know no DOM.
      const active = (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null; tagName: string } | null } }).document.activeElement;
      return active?.getAttribute('data-testid') ?? active?.tagName ?? '';
    });
    if (tabbed.at(-1) !== focused) tabbed.push(focused);
  }
  expect(tabbed).toEqual(['filter-prompt', 'filter-model', 'filter-status', 'filter-from', 'filter-to', 'export-csv', 'export-jsonl', 'history-list']);

  // The tooltip says what the box understands.
  expect(await search.getAttribute('title')).toContain('-word or -"a phrase" leaves runs out · OR between two terms finds either');

  const expectFound = async (query: string, found: string, detail?: string) => {
    await search.fill(query);
    await expect(count).toHaveText(found);
    if (detail !== undefined) await expect(none).toHaveText(detail);
    else await expect(none).toBeHidden();
    await expect(page.getByTestId('history-error')).toBeHidden();
  };
  await expectFound('beacon -keeper', '3 matches');
  await expectFound('beacon keeper', '2 matches');
  await expectFound('beacon OR keeper', '9 matches');
  await expectFound('🦄', '5 matches');
  await expect(page.getByTestId('history-preview').first().locator('mark')).toHaveText('🦄');
  await expectFound('東京', '6 matches');
  await expect(page.getByTestId('history-preview').first().locator('mark')).toHaveText('東京');
  await expectFound('-keeper', 'No search', 'Add a word to find: -keeper only leaves runs out.');
  await expectFound('-keeper -"lamp room"', 'No search', 'Add a word to find: -keeper -"lamp room" only leaves runs out.');
  await expectFound('(((', 'No search', 'Nothing to search for in “(((”: search finds words, numbers, emoji and symbols, not punctuation or operators alone.');
  for (const nasty of ['"', '(', '^', ':', '*', '-', 'OR', 'AND']) {
    await expectFound(nasty, 'No search', `Nothing to search for in “${nasty}”: search finds words, numbers, emoji and symbols, not punctuation or operators alone.`);
  }
  await expectFound('--x', 'No search', 'Add a word to find: -x only leaves runs out.');
  await expectFound('NEAR(', '0 matches', 'No answer or message sent mentions “NEAR(”. To find runs by prompt, model or status, use the filters.');
  await expectFound('NEAR(beacon keeper)', '0 matches', 'No answer or message sent mentions “NEAR(beacon keeper)”. To find runs by prompt, model or status, use the filters.');

  // Text pasted past 500 characters stays whole in the box; the box says only the first 500 are searched, and no validation wording ever shows.
  const limit = page.getByTestId('history-search-limit');
  await search.fill('beacon');
  await expect(count).toHaveText('5 matches');
  await expect(limit).toBeEmpty();
  const pasted = `beacon ${'x'.repeat(493)}${'🦄'.repeat(100)}`;
  await search.focus();
  await search.press('Control+A');
  await page.keyboard.insertText(pasted);
  await expect(search).toHaveValue(pasted);
  await expect(limit).toHaveText('Only the first 500 characters are searched');
  await expect(limit).toBeVisible();
  await expect(search).toHaveAttribute('aria-describedby', (await limit.getAttribute('id')) ?? '');
  // "beacon x…x" (its last word a prefix) finds no run; the unicorns past 500 characters are not searched.
  await expect(count).toHaveText('0 matches');
  // The line quotes the search cut to 80 characters and wraps within the list's pane.
  await expect(none).toHaveText(`No answer or message sent mentions “beacon ${'x'.repeat(72)}…”. To find runs by prompt, model or status, use the filters.`);
  expect(await none.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  await expect(page.getByTestId('history-error')).toBeHidden();
  // Short enough again, the message goes: one unicorn over is still cut, none is not.
  await page.keyboard.press('End');
  for (let press = 0; press < 99; press += 1) await page.keyboard.press('Backspace');
  await expect(search).toHaveValue(`beacon ${'x'.repeat(493)}🦄`);
  await expect(limit).toHaveText('Only the first 500 characters are searched');
  await page.keyboard.press('Backspace');
  await expect(search).toHaveValue(`beacon ${'x'.repeat(493)}`);
  await expect(limit).toBeEmpty();
  await expect(search).not.toHaveAttribute('aria-describedby');
  await search.fill('beacon');
  await expect(count).toHaveText('5 matches');
  await expect(limit).toBeEmpty();

  // "101 matches" stays on one line beside "Compare 3100 → 3101" at 1024 px, and the bar holds all of it.
  await search.fill('lighthouses');
  await expect(count).toHaveText(`${HISTORY_PAGE_SIZE + 1} matches`);
  await page.getByTestId('history-compare-check').nth(0).check();
  await page.getByTestId('history-compare-check').nth(1).check();
  await expect(page.getByTestId('compare-runs')).toHaveText(/^Compare \d{4} → \d{4}$/);
  const lines = () => count.evaluate((element) => {
    const range = element.ownerDocument.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });
  expect(await lines()).toBe(1);
  expect(await page.locator('.history-summary').evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  expect(problems()).toEqual([]);
});

test('a search word at the end of a long answer shows in its row, and the opened run marks it and scrolls to it', async ({ page }) => {
  openai = await startOpenAiServer({ models: [...MODELS, FIRST_MODEL] });
  const dataDir = makeTempDir('long-answer');
  // No full stop: the index's snippet then takes all the words it may before the match.
  const words = 'the herd crossed the plain at dawn grazing as it went ';
  const output = `${words.repeat(2_300)}and at last far behind the others came the zebramarker`;
  expect(output.length).toBeGreaterThan(123_000);
  await storeRuns(dataDir, openai, [{ topic: 'grazing', runs: 1 }], undefined, MODELS, output);
  host = await startHost({ dataDir });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'history');
  await page.getByTestId('history-search').fill('zebramarker');
  await expect(page.getByTestId('history-count')).toHaveText('1 match');

  // The row's one line starts a few words before the match, so the match itself is in view, not cut off by its ellipsis.
  const preview = page.getByTestId('history-preview');
  await expect(preview).toHaveText(/^….{1,40}zebramarker$/);
  const rowMark = preview.locator('mark');
  await expect(rowMark).toHaveText('zebramarker');
  const [mark, line] = await Promise.all([rowMark.boundingBox(), preview.boundingBox()]);
  expect(mark!.x + mark!.width, 'the mark ends inside the row').toBeLessThanOrEqual(line!.x + line!.width);

  // The opened run marks the word in its answer, and its output box is scrolled down to it.
  await page.getByTestId('history-row').click();
  const outputMarks = page.getByTestId('detail-output').locator('mark');
  await expect(outputMarks).toHaveText(['zebramarker']);
  await expect(outputMarks).toBeInViewport();
  // Searched words are marked wherever they are, whatever their case, and only as whole words (the last one as it is typed, any word it starts).
  await page.getByTestId('history-search').fill('plain HERD');
  await expect(page.getByTestId('history-count')).toHaveText('1 match');
  await page.getByTestId('history-row').click();
  await expect(outputMarks).toHaveCount(4_600);
  await expect(outputMarks.first()).toHaveText('herd');
  await expect(outputMarks.first()).toBeInViewport();
  await page.getByTestId('history-search').fill('zebra');
  await expect(page.getByTestId('history-count')).toHaveText('1 match');
  await page.getByTestId('history-row').click();
  await expect(outputMarks).toHaveText(['zebramarker']);
  expect(problems()).toEqual([]);
});
