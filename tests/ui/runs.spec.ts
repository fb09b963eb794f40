/**
 * Side-by-side runs against the protocol-faithful fixture servers, through the real SDKs in the
 * browser host: three providers stream at once with live counters, the provider's usage
 * replaces the estimates, Stop cancels, a second run comes from the cache for $0, and history
 * finds the run by a word of its output.
 */

import { expect, test, type Locator, type Page } from '@playwright/test';
import { costOf, formatUsd } from '../../shared/cost';
import { startAnthropicServer, type AnthropicServer } from '../fixtures/anthropic-server';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import {
  addRunTarget,
  columnFigures,
  createPrompt,
  expectDraftSaved,
  messageBlocks,
  openApp,
  openWorkspace,
  providerCard,
  replaceEditorText,
  runColumn,
  saveVersion,
  setModelPrice,
  setProviderUrl,
  toastLines,
} from './ui-support';

/** `count` words, each a token of its own, with `marker` somewhere in the middle. */
function words(count: number, marker: string): string[] {
  const pool = ['side', 'by', 'columns', 'stream', 'tokens', 'calm', 'dense', 'figures'];
  return Array.from({ length: count }, (_, index) => (index === Math.floor(count / 2) ? ` ${marker}` : ` ${pool[index % pool.length]}`));
}

const OPENAI_TOKENS = words(60, 'aubergine');
const ANTHROPIC_TOKENS = words(60, 'quince');
const OLLAMA_TOKENS = words(60, 'kohlrabi');

const OPENAI_USAGE = { prompt_tokens: 1187, completion_tokens: 60, total_tokens: 1247, prompt_tokens_details: { cached_tokens: 1024 } };
const ANTHROPIC_USAGE = { input_tokens: 23, output_tokens: 61, cache_creation_input_tokens: 1536, cache_read_input_tokens: 2048 };

/** The flat test prices: $1 per million input tokens, $2 per million output (cache reads at the input rate). */
const PRICE = { input: 1, output: 2, cachedInput: null, cacheWrite: null, reasoning: null, perThousandRequests: null };
/**
 * The prices the tests add ($1 / $2): the catalog's cache rates, left empty in the form, keep their share of the input typed
 * (gpt-4o-mini: half of it, $0.50 where the catalog's $0.15 input has $0.075; claude-haiku-4-5, input $1 as the catalog's: cached $0.10, cache write $1.25).
 */
const OPENAI_PRICE = { ...PRICE, cachedInput: 0.5 };
const ANTHROPIC_PRICE = { ...PRICE, cachedInput: 0.1, cacheWrite: 1.25 };

let openai: OpenAiServer;
let anthropic: AnthropicServer;
let ollama: OllamaServer;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await Promise.all([openai?.close(), anthropic?.close(), ollama?.close()]);
});

async function startAll(chunkDelayMs: number, tokenCount = 60) {
  openai = await startOpenAiServer({ reply: { tokens: OPENAI_TOKENS.slice(0, tokenCount), usage: OPENAI_USAGE, chunkDelayMs } });
  anthropic = await startAnthropicServer({ reply: { tokens: ANTHROPIC_TOKENS.slice(0, tokenCount), usage: ANTHROPIC_USAGE, chunkDelayMs } });
  ollama = await startOllamaServer({ reply: { tokens: OLLAMA_TOKENS.slice(0, tokenCount), evalCount: 60, promptEvalCount: 26, chunkDelayMs } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-key' } });
}

/** Points the three built-in providers at the fixtures and prices the two cloud models. */
async function configureProviders(page: Page) {
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setProviderUrl(page, 'Anthropic', anthropic.baseUrl);
  await setProviderUrl(page, 'Ollama', ollama.url);
  await setModelPrice(page, 'OpenAI', 'gpt-4o-mini', 1, 2);
  await setModelPrice(page, 'Anthropic', 'claude-haiku-4-5', 1, 2);
  await openWorkspace(page, 'prompts');
}

async function preparePrompt(page: Page) {
  await createPrompt(page, 'Side by side');
  await replaceEditorText(page, messageBlocks(page).first(), 'Answer in sixty words, calmly.');
  await expectDraftSaved(page);
  const addModelAt = await page.getByTestId('add-model').boundingBox();
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  return { addModelAt };
}

/** What `watchPace` saw of a column while it streamed. */
interface Pace {
  startedAt: number;
  endedAt: number;
  /** Changes of the Out figure's text while the column ran. */
  figureChanges: number;
  /** Changes of the output text while the column ran. */
  textChanges: number;
}

/** What the page offers the watcher (the tests are typed without the DOM library). */
interface PaceGlobals {
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  __pace: Pace;
}

/** Counts, in the page, how often a running column's Out figure and its output text change, until it ends. */
async function watchPace(page: Page, model: string) {
  await runColumn(page, model).evaluate((column) => {
    const page = globalThis as unknown as PaceGlobals;
    const figure = column.querySelector('[data-testid="figure-output"]');
    const output = column.querySelector('[data-testid="run-output"]');
    const pace = { startedAt: performance.now(), endedAt: 0, figureChanges: 0, textChanges: 0 };
    page.__pace = pace;
    const isRunning = () => column.getAttribute('data-status') === 'running';
    let shown = figure?.textContent;
    const all = { subtree: true, childList: true, characterData: true };
    new page.MutationObserver(() => {
      if (!isRunning() || figure?.textContent === shown) return;
      shown = figure?.textContent;
      pace.figureChanges += 1;
    }).observe(figure, all);
    new page.MutationObserver(() => {
      if (isRunning()) pace.textChanges += 1;
    }).observe(output, all);
    new page.MutationObserver(() => {
      if (!isRunning() && pace.endedAt === 0) pace.endedAt = performance.now();
    }).observe(column, { attributes: true, attributeFilter: ['data-status'] });
  });
}

function chatRequests() {
  return {
    openai: openai.requestsTo('/v1/chat/completions').length,
    anthropic: anthropic.requestsTo('/v1/messages').length,
    ollama: ollama.requestsTo('/api/chat').length,
  };
}

test('three models stream side by side; exact usage replaces the estimates; a second run is cached; history finds it', async ({ page }) => {
  await startAll(40);
  await openApp(page, host);
  await configureProviders(page);
  const { addModelAt } = await preparePrompt(page);

  // Before running: an estimate per model, input counted locally, marked as an estimate.
  await expect(page.getByTestId('estimate-cell')).toHaveCount(3);
  // "+ Model" leads its row: chips and their estimates arriving after it never push it sideways.
  expect((await page.getByTestId('add-model').boundingBox())?.x).toBe(addModelAt?.x);
  await expect(page.locator('[data-testid="estimate-cell"][data-model="llama3.2:latest"]').getByTestId('estimate-cost')).toHaveText('$0.00');
  await expect(page.locator('[data-testid="estimate-cell"][data-model="gpt-4o-mini"]').getByTestId('estimate-input')).toHaveText(/^~\d+ in$/);

  // Each server holds its stream twice: after 5 tokens until the first reading is taken, then
  // after 30 until the counters were seen to move, so a loaded machine cannot end it in between.
  let releaseFirst = (): void => undefined;
  let releaseSecond = (): void => undefined;
  const firstHold = new Promise<void>((resolve) => (releaseFirst = resolve));
  const secondHold = new Promise<void>((resolve) => (releaseSecond = resolve));
  const holds = { fault: { kind: 'pause' as const, afterChunks: 5, until: firstHold, then: { kind: 'pause' as const, afterChunks: 30, until: secondHold } } };
  for (const server of [openai, anthropic, ollama]) server.script(holds);
  await messageBlocks(page).first().locator('.view-lines').click();
  await page.keyboard.press('Control+Enter');
  const models = ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest'];
  await expect(page.getByTestId('run-column')).toHaveCount(3);
  await expect(page.getByTestId('run-model')).toHaveText(models);
  await watchPace(page, 'gpt-4o-mini');

  // All three stream at once, their counters moving together, each marked as an estimate.
  const live = () =>
    page.getByTestId('run-column').evaluateAll((columns) =>
      columns.map((column) => {
        const output = column.querySelector('[data-testid="figure-output"]');
        return { status: column.getAttribute('data-status'), isEstimated: output?.getAttribute('data-estimated'), output: output?.querySelector('[data-testid="figure-value"]')?.textContent ?? '' };
      }),
    );
  const count = (text: string) => Number(text.replace(/\D/g, ''));
  await expect.poll(async () => (await live()).every((column) => column.status === 'running' && count(column.output) > 0)).toBe(true);
  const first = await live();
  releaseFirst();
  expect(first.map((column) => column.isEstimated)).toEqual(['true', 'true', 'true']);
  expect(first.every((column) => column.output.startsWith('~'))).toBe(true);
  // The batch's total is an estimate too while they run (read first: the columns still running after it proves it was read mid-stream).
  await expect
    .poll(async () => {
      const isTotalEstimated = (await page.getByTestId('batch-total').getAttribute('data-estimated')) === 'true';
      return isTotalEstimated && (await live()).every((column, index) => column.status === 'running' && count(column.output) > count(first[index].output));
    })
    .toBe(true);
  releaseSecond();
  expect(openai.maxConcurrent('gpt-4o-mini') + anthropic.maxConcurrent('claude-haiku-4-5') + ollama.maxConcurrent('llama3.2:latest')).toBe(3);

  // At the end, the providers' own usage, not estimates, and what it cost at the run's price.
  for (const model of models) await expect(runColumn(page, model)).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  // While it streamed, its text moved with the tokens and its figures at a reading pace: at most
  // about ten times a second (a token came every 40 ms, so every frame would be twice that), and
  // never more often than the text (on a loaded machine, whose frames come slower, as often).
  const pace = await page.evaluate(() => (globalThis as unknown as PaceGlobals).__pace);
  expect(pace.endedAt).toBeGreaterThan(pace.startedAt);
  expect(pace.figureChanges).toBeGreaterThanOrEqual(3);
  expect(pace.figureChanges).toBeLessThanOrEqual(Math.ceil((pace.endedAt - pace.startedAt) / 100) + 3);
  expect(pace.textChanges).toBeGreaterThanOrEqual(pace.figureChanges);
  const openaiCost = costOf({ inputTokens: 1187, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 60, reasoningTokens: 0 }, OPENAI_PRICE) as number;
  const anthropicCost = costOf({ inputTokens: 3607, cachedInputTokens: 2048, cacheWriteTokens: 1536, outputTokens: 61, reasoningTokens: 0 }, ANTHROPIC_PRICE) as number;
  const finals: Record<string, Record<string, string>> = Object.fromEntries(await Promise.all(models.map(async (model) => [model, await columnFigures(runColumn(page, model))])));
  const withoutTimes = (figures: Record<string, string>) => ({ input: figures.input, output: figures.output, cost: figures.cost });
  expect(Object.fromEntries(Object.entries(finals).map(([model, figures]) => [model, withoutTimes(figures)]))).toEqual({
    'gpt-4o-mini': { input: '1,187', output: '60', cost: formatUsd(openaiCost) },
    'claude-haiku-4-5': { input: '3,607', output: '61', cost: formatUsd(anthropicCost) },
    'llama3.2:latest': { input: '26', output: '60', cost: '$0.00' },
  });
  for (const model of models) {
    await expect(runColumn(page, model).locator('[data-estimated="true"]')).toHaveCount(0);
    expect(finals[model].ttft).toMatch(/^\d+ ms$|^\d+\.\d+ s$/);
    expect(finals[model].elapsed).toMatch(/^\d+ ms$|^\d+\.\d+ s$/);
  }
  await expect(page.getByTestId('finish-reason')).toHaveText(['finish: stop', 'finish: end_turn', 'finish: stop']);
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toHaveText(OPENAI_TOKENS.join(''));
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-output')).toHaveText(ANTHROPIC_TOKENS.join(''));
  await expect(page.getByTestId('batch-total')).toHaveText(`Total ${formatUsd(openaiCost + anthropicCost)}`);
  await expect(page.getByTestId('batch-total')).toHaveAttribute('data-estimated', 'false');

  // The same run again is answered by the cache: the estimate says so before Run; then no request, $0, marked "cached", money saved.
  await expect(page.getByTestId('estimate-cost')).toHaveText(['cached $0', 'cached $0', 'cached $0']);
  await expect(page.getByTestId('estimate-total')).toHaveText('est. $0.00');
  const before = chatRequests();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('cached-badge')).toHaveText([`cached · saved ${formatUsd(openaiCost)}`, `cached · saved ${formatUsd(anthropicCost)}`, 'cached · saved $0.00']);
  await expect(page.getByTestId('run-column').locator('[data-testid="figure-cost"] [data-testid="figure-value"]')).toHaveText(['$0.00', '$0.00', '$0.00']);
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('figure-input').getByTestId('figure-value')).toHaveText('1,187');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toHaveText(OPENAI_TOKENS.join(''));
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-output')).toHaveText(ANTHROPIC_TOKENS.join(''));
  await expect(page.getByTestId('batch-total')).toHaveText('Total $0.00');
  await expect(page.getByTestId('batch-saved')).toHaveText(`saved ${formatUsd(openaiCost + anthropicCost)}`);
  expect(chatRequests()).toEqual(before);

  // History finds the run by a word of its output, and opens it read-only.
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(6);
  await page.getByTestId('history-search').fill('aubergine');
  await expect(page.getByTestId('history-count')).toHaveText('2 matches');
  await expect(page.getByTestId('history-model')).toHaveText(['gpt-4o-mini', 'gpt-4o-mini']);
  await expect(page.getByTestId('history-preview').first().locator('mark')).toHaveText('aubergine');
  await page.getByTestId('history-row').last().click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('detail-output')).toHaveText(OPENAI_TOKENS.join(''));
  await expect(detail.getByTestId('detail-usage')).toContainText('1,187 (1,024 cached)');
  await expect(detail.getByTestId('detail-cost')).toContainText(`Cost${formatUsd(openaiCost)}`);
  // Each rate it was charged at: cache reads at the input rate, as the price has none of its own.
  await expect(detail.getByTestId('detail-cost').locator('.stats-row')).toHaveText([`Cost${formatUsd(openaiCost)}`, 'Input / 1M$1', 'Cached input / 1M$0.50', 'Output / 1M$2', 'Price fromyours']);
  await expect(detail.getByTestId('detail-message').first()).toContainText('Answer in sixty words, calmly.');

  // Re-run from history: served from the cache too, and it shows up at the top.
  await detail.getByTestId('detail-rerun').click();
  await expect(page.getByTestId('history-count')).toHaveText('3 matches');
  await expect(page.getByTestId('run-detail').getByTestId('cached-badge')).toBeVisible();
  expect(chatRequests()).toEqual(before);
  // Its timing is the original run's, and it says so; that run opens from there.
  const originalId = await page.getByTestId('history-row').last().getAttribute('data-run-id');
  await expect(page.getByTestId('run-detail').getByTestId('cache-source')).toHaveText(new RegExp(`^the cache in \\d+ ms, the answer of run ${originalId}$`));
  await expect(page.getByTestId('run-detail').getByTestId('detail-timing')).toContainText(`Latency`);
  await expect(page.getByTestId('run-detail').getByTestId('detail-timing')).toContainText(`(run ${originalId})`);
  await expect(page.getByTestId('run-detail').getByTestId('detail-parameters')).toContainText('Cacheanswered from the cache');
  await expect(page.getByTestId('run-detail').getByTestId('figure-elapsed')).toHaveAttribute('title', new RegExp(`Those of run ${originalId} whose answer the cache gave`));
  const hitId = await page.getByTestId('run-detail').getAttribute('data-run-id');
  await page.getByTestId('run-detail').getByTestId('open-cache-source').click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', originalId as string);
  await page.locator(`[data-testid="history-row"][data-run-id="${hitId}"]`).click();
  // Re-run without the cache: the provider is asked again, and the new run is no cache hit.
  await page.getByRole('button', { name: 'Re-run without cache' }).click();
  await expect(page.getByTestId('history-count')).toHaveText('4 matches');
  await expect(page.getByTestId('run-detail').getByTestId('run-status')).toHaveText('Done');
  await expect(page.getByTestId('run-detail').getByTestId('cached-badge')).toHaveCount(0);
  expect(chatRequests()).toEqual({ ...before, openai: before.openai + 1 });
  await expect(page.getByTestId('run-detail').getByTestId('detail-parameters')).toContainText('Cachebypassed: asked the provider anyway, and stored its answer');

  // Two models' runs compared: what each was asked (the differences marked), what each got
  // (the second's figures also as a change), and a Monaco diff of their outputs or requests.
  await page.getByTestId('history-search').fill('');
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(8);
  await expect(rows.nth(7).getByTestId('history-model')).toHaveText('gpt-4o-mini');
  await expect(rows.nth(6).getByTestId('history-model')).toHaveText('claude-haiku-4-5');
  // A third tick lets go of the first one ticked, and says so.
  await rows.nth(5).getByTestId('history-compare-check').check();
  await rows.nth(7).getByTestId('history-compare-check').check();
  await rows.nth(6).getByTestId('history-compare-check').check();
  await expect(page.getByTestId('toast').last()).toHaveText(
    new RegExp(`^Compare takes two runs: unticked run ${await rows.nth(5).getAttribute('data-run-id')}, kept ${await rows.nth(7).getAttribute('data-run-id')} and ${await rows.nth(6).getAttribute('data-run-id')}`),
  );
  await expect(rows.nth(5).getByTestId('history-compare-check')).not.toBeChecked();
  // The button names the two runs in the order the comparison shows them: the older first.
  const [olderId, newerId] = [await rows.nth(7).getAttribute('data-run-id'), await rows.nth(6).getAttribute('data-run-id')];
  await expect(page.getByTestId('compare-runs')).toHaveText(`Compare ${olderId} → ${newerId}`);
  await page.getByTestId('compare-runs').click();
  const compare = page.getByTestId('run-compare');
  const compareRow = (label: string) => compare.locator(`[data-testid="compare-row"][data-label="${label}"]`);
  // Asked differently: another model, on another provider; nothing else. Charged differently too: the catalog's cache rates of each stayed under the $1 / $2 added.
  await expect(compare.locator('[data-testid="compare-row"][data-different="true"] th')).toHaveText([/^Model/, /^Provider/, /^Price \/ 1M/]);
  await expect(compareRow('Model').getByTestId('compare-original')).toHaveText('gpt-4o-mini');
  await expect(compareRow('Model').getByTestId('compare-modified')).toHaveText('claude-haiku-4-5');
  await expect(compareRow('Provider')).toHaveAttribute('data-different', 'true');
  for (const label of ['Parameters', 'Messages sent']) await expect(compareRow(label).getByTestId('compare-modified')).toHaveText('same');
  await expect(compareRow('Variables').getByTestId('compare-modified')).toHaveText('none');
  await expect(compareRow('Input tokens').getByTestId('compare-original')).toHaveText('1,187');
  await expect(compareRow('Input tokens').getByTestId('compare-change')).toHaveText('+204%');
  await expect(compareRow('Cost').getByTestId('compare-original')).toHaveText(formatUsd(openaiCost));
  await expect(compareRow('Cost').getByTestId('compare-modified')).toContainText(formatUsd(anthropicCost));
  await expect(compareRow('Status').getByTestId('compare-modified')).toHaveText('Done · end_turn');
  const diff = compare.getByTestId('run-diff');
  await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
  await expect(compare.getByTestId('compare-same')).toHaveText('');
  await compare.getByTestId('compare-subject-request').click();
  await expect(compare.getByTestId('compare-subject-request')).toHaveAttribute('aria-checked', 'true');
  await expect(diff.locator('.modified .view-lines')).toContainText('model: claude-haiku-4-5');
  await expect(diff.locator('.original .view-lines')).toContainText('model: gpt-4o-mini');
  // At a laptop's width, the two headings give way rather than run over each other or the close button.
  await page.setViewportSize({ width: 1024, height: 720 });
  const spans = await compare.locator('.view-header').evaluate((header) =>
    [...header.querySelectorAll('.version-heading, [data-testid="close-run-compare"]')].map((element) => [element.getBoundingClientRect().left, element.getBoundingClientRect().right]),
  );
  expect(spans).toHaveLength(3);
  expect(spans[0][1]).toBeLessThanOrEqual(spans[1][0]);
  expect(spans[1][1]).toBeLessThanOrEqual(spans[2][0]);
  await page.setViewportSize({ width: 1440, height: 900 });
  // Escape closes it, as it closes a version diff.
  await page.keyboard.press('Escape');
  await expect(compare).toHaveCount(0);

  // Back in the runs panel, a column copies its whole output and opens its run in history.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await openWorkspace(page, 'prompts');
  // The column's actions show while it is pointed at or holds the focus; they take no room otherwise, yet Tab reaches them.
  await page.mouse.move(0, 0);
  await expect(runColumn(page, 'gpt-4o-mini').locator('.run-column-actions')).toHaveCSS('width', '0px');
  await runColumn(page, 'gpt-4o-mini').locator('.run-output-scroller').focus();
  await page.keyboard.press('Tab');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('copy-output')).toBeFocused();
  await expect(runColumn(page, 'claude-haiku-4-5').locator('.run-column-actions')).not.toHaveCSS('width', '0px');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast').last()).toHaveText(/Copied the output of claude-haiku-4-5/);
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(ANTHROPIC_TOKENS.join(''));
  await runColumn(page, 'gpt-4o-mini').hover();
  await runColumn(page, 'gpt-4o-mini').getByTestId('copy-output').click();
  await expect(page.getByTestId('toast').last()).toHaveText(/Copied the output of gpt-4o-mini/);
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(OPENAI_TOKENS.join(''));
  const claudeRunId = await runColumn(page, 'claude-haiku-4-5').getAttribute('data-run-id');
  // Opened from the keyboard, the run has it in History: its row in the list, whose ↓ goes on from there.
  await page.mouse.move(0, 0);
  await runColumn(page, 'claude-haiku-4-5').getByTestId('open-in-history').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', claudeRunId as string);
  await expect(page.getByTestId('run-detail').getByTestId('detail-output')).toHaveText(ANTHROPIC_TOKENS.join(''));
  await expect
    .poll(() => page.evaluate<string>(`(() => { const element = document.activeElement; return element === null || element === document.body ? 'body' : element.getAttribute('data-testid') + ' ' + element.getAttribute('aria-activedescendant'); })()`))
    .toBe(`history-list history-run-${claudeRunId}`);
  // Left out of the list by its filters, the run opens with its heading holding the keyboard.
  await page.getByTestId('filter-model').fill('gpt-4o-mini');
  await expect(page.getByTestId('history-row').getByTestId('history-model').filter({ hasNotText: 'gpt-4o-mini' })).toHaveCount(0);
  await expect(page.locator(`#history-run-${claudeRunId}`)).toHaveCount(0);
  await openWorkspace(page, 'prompts');
  await runColumn(page, 'claude-haiku-4-5').getByTestId('open-in-history').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', claudeRunId as string);
  await expect.poll(() => page.evaluate<string>('document.activeElement?.id ?? "none"')).toBe('run-detail-heading');
});

test('Stop cancels one column, then every other; each stops where it was', async ({ page }) => {
  await startAll(150, 60);
  await openApp(page, host);
  await configureProviders(page);
  await preparePrompt(page);

  await page.getByTestId('run-button').click();
  const models = ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest'];
  for (const model of models) await expect(runColumn(page, model).getByTestId('run-output')).not.toHaveText('');

  // One column first: it stops, the others carry on.
  await runColumn(page, 'claude-haiku-4-5').getByTestId('stop-run').click();
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'cancelled');
  // Its Stop went with its run; the focus stayed with the column rather than falling to the page, and it says who stopped it.
  await expect(runColumn(page, 'claude-haiku-4-5')).toBeFocused();
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-error')).toHaveText('Stopped by you before it finished');
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'running');
  await anthropic.waitForClientDisconnects(1);

  // Then the rest, all at once, from the keyboard: Stop all, reached by focus and pressed with Enter (Ctrl+. comes below).
  await expect(page.getByTestId('stop-batch')).toHaveText('Stop Ctrl+.');
  await page.getByTestId('stop-all').focus();
  await page.keyboard.press('Enter');
  for (const model of models) await expect(runColumn(page, model).getByTestId('run-status')).toHaveText('Stopped');
  await Promise.all([openai.waitForClientDisconnects(1), ollama.waitForClientDisconnects(1)]);
  await expect(page.getByTestId('run-button')).toBeVisible();
  // Stop all went with the batch; the focus went to Run, which took Stop's place, not to the page.
  await expect(page.getByTestId('run-button')).toBeFocused();

  // What streamed before the stop is kept and no longer grows.
  const text = await runColumn(page, 'gpt-4o-mini').getByTestId('run-output').innerText();
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThan(OPENAI_TOKENS.join('').length);
  await page.waitForTimeout(500);
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toHaveText(text);
  await expect(page.getByTestId('batch-counts')).toHaveText('3 stopped');
  // The provider counted Claude's input as it began to answer: exact; its output was counted here.
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('figure-input')).toHaveAttribute('data-estimated', 'false');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('figure-output')).toHaveAttribute('data-estimated', 'true');
  // Its figures were counted locally, and their tooltips say why the provider's never came.
  const stoppedOutput = runColumn(page, 'gpt-4o-mini').getByTestId('figure-output');
  await expect(stoppedOutput).toHaveAttribute('data-estimated', 'true');
  await expect(stoppedOutput).toHaveAttribute('title', /^Output tokens: ~\d+\nCounted by the local tokenizer: it was stopped before the provider’s usage came$/);
  await expect(page.getByTestId('batch-total')).toHaveAttribute('title', /^Part of it was counted by the local tokenizer/);

  // A stopped column runs again in its place, from the start; Stop reaches it there too.
  await expect(page.getByTestId('batch-replaced')).toHaveCount(0);
  const stoppedCost = await runColumn(page, 'claude-haiku-4-5').getByTestId('figure-cost').getByTestId('figure-value').innerText();
  expect(stoppedCost).toMatch(/^~?\$0\.0*[1-9]/);
  await runColumn(page, 'claude-haiku-4-5').getByTestId('retry-run').click();
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('batch-counts')).toHaveText('1 running · 2 stopped');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-output')).not.toHaveText('');
  await page.keyboard.press('Control+.');
  await expect(runColumn(page, 'claude-haiku-4-5').getByTestId('run-status')).toHaveText('Stopped');
  await anthropic.waitForClientDisconnects(2);
  await expect(page.getByTestId('batch-counts')).toHaveText('3 stopped');
  await expect(page.getByTestId('run-button')).toBeVisible();
  // The run it replaced was paid for: the total keeps it, and says so beside it; so does the comparison restored after a reload.
  const replacedNote = `· incl. ${stoppedCost} for 1 replaced run`;
  await expect(page.getByTestId('batch-replaced')).toHaveText(replacedNote);
  const total = await page.getByTestId('batch-total').innerText();
  await page.reload();
  await expect(page.getByTestId('batch-ran-at')).toHaveText(/^ran /);
  await expect(page.getByTestId('batch-total')).toHaveText(total);
  await expect(page.getByTestId('batch-replaced')).toHaveText(replacedNote);

  // Maximized, Escape gives the editor back, unless a picker open in the runs takes it first.
  await page.getByTestId('maximize-runs').click();
  await expect(page.locator('.split-centre')).toHaveClass(/is-runs-maximized/);
  await page.getByTestId('add-model').click();
  await expect(page.getByTestId('model-picker')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('model-picker')).toBeHidden();
  await expect(page.locator('.split-centre')).toHaveClass(/is-runs-maximized/);
  await page.keyboard.press('Escape');
  await expect(page.locator('.split-centre')).not.toHaveClass(/is-runs-maximized/);
  await expect(messageBlocks(page).first()).toBeVisible();

  // History says stopped in words and with a tag (the partial text would pass for a whole answer), and why in the detail.
  await openWorkspace(page, 'history');
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(4);
  expect(await page.getByTestId('history-status').evaluateAll((dots) => dots.map((dot) => [dot.getAttribute('aria-label'), dot.getAttribute('title')]))).toStrictEqual(
    Array(4).fill(['Stopped', 'Stopped']),
  );
  await expect(page.getByTestId('history-stopped')).toHaveText(['stopped', 'stopped', 'stopped', 'stopped']);
  await rows.first().click();
  await expect(page.getByTestId('detail-error')).toHaveText('Stopped by you before it finished');
});

test('the draft and a saved version run side by side, and history filters by version and status', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { usage: OPENAI_USAGE } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');

  await createPrompt(page, 'Two versions');
  await replaceEditorText(page, messageBlocks(page).first(), 'Version one text {{a b}}.');
  await expectDraftSaved(page);
  await saveVersion(page, 'first');
  await replaceEditorText(page, messageBlocks(page).first(), 'Draft two text.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.getByTestId('run-version-1').click();
  await expect(page.getByTestId('run-version-1')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('run-version-draft')).toHaveAttribute('aria-pressed', 'true');
  // The saved version sends a placeholder as written: the panel says so for it, not for the draft.
  await expect(page.getByTestId('estimate-literal-v1')).toHaveText('v1: 1 placeholder is not a variable and is sent as written: {{a b}}');
  await expect(page.getByTestId('estimate-literal')).toHaveCount(0);

  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-column')).toHaveCount(2);
  await expect(page.getByTestId('run-version')).toHaveText(['Draft', 'v1']);
  for (const column of await page.getByTestId('run-column').all()) await expect(column).toHaveAttribute('data-status', 'ok');
  const sent = openai.requestsTo('/v1/chat/completions').map((request) => (request.body as { messages: { content: string }[] }).messages[0].content);
  expect(sent.toSorted()).toEqual(['Draft two text.', 'Version one text {{a b}}.']);

  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('filter-prompt').selectOption({ label: 'Two versions' });
  await page.getByTestId('filter-version').selectOption({ label: 'v1' });
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').click();
  await expect(page.getByTestId('run-detail').getByTestId('detail-message').first()).toContainText('Version one text {{a b}}.');
  await page.getByTestId('filter-version').selectOption({ label: 'Draft' });
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('filter-status').selectOption({ label: 'Failed' });
  await expect(page.getByTestId('history-none')).toHaveText('No runs match. Run a prompt with Ctrl+Enter, or clear the filters.');
  await page.getByTestId('filter-clear').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  // Dates the wrong way round say so, rather than only that nothing matches.
  await page.getByTestId('filter-to').fill('2020-01-01');
  await page.getByTestId('filter-from').fill('2020-01-02');
  await expect(page.getByTestId('history-none')).toHaveText('The “From” date is after the “to” date: no run can match.');
  await page.getByTestId('filter-clear').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);

  // The list answers the keyboard: Home opens the newest run, arrows the next and previous.
  const ids = await page.getByTestId('history-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));
  await page.getByTestId('history-list').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', ids[0] ?? '');
  // Scrolled down to its request, a run gives way to the next one at that one's top.
  await page.setViewportSize({ width: 1440, height: 560 });
  await page.getByTestId('run-detail').evaluate((detail) => detail.scrollTo(0, detail.scrollHeight));
  expect(await page.getByTestId('run-detail').evaluate((detail) => detail.scrollTop)).toBeGreaterThan(100);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.getByTestId('run-detail').evaluate((detail) => detail.scrollTop)).toBe(0);
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', ids[1] ?? '');
  await expect(page.locator(`[data-testid="history-row"][data-run-id="${ids[1]}"]`)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-run-id', ids[0] ?? '');
});

/** What the page offers `linesInView` (the tests are typed without the DOM library). */
interface CaretGlobals {
  document: { caretRangeFromPoint(x: number, y: number): { startContainer: { textContent: string | null }; startOffset: number } | null };
}

/** The "Line N" at the top or bottom edge of a column's output, as the user sees it there, and the last line streamed so far. */
async function linesInView(page: Page, model: string): Promise<{ top: number; bottom: number; newest: number }> {
  return runColumn(page, model)
    .locator('.run-output-scroller')
    .evaluate((scroller) => {
      const lineAt = (y: number): number => {
        const box = scroller.getBoundingClientRect();
        const { document } = globalThis as unknown as CaretGlobals;
        const range = document.caretRangeFromPoint(box.left + 30, y);
        const text = range?.startContainer.textContent ?? '';
        const from = text.lastIndexOf('Line ', range?.startOffset ?? 0);
        return Number(/^Line (\d+)/.exec(text.slice(from))?.[1] ?? -1);
      };
      const box = scroller.getBoundingClientRect();
      const numbers = [...(scroller.textContent ?? '').matchAll(/Line (\d+)/g)].map((match) => Number(match[1]));
      return { top: lineAt(box.top + 16), bottom: lineAt(box.bottom - 16), newest: Math.max(0, ...numbers) };
    });
}

test('a long answer scrolls in its column: it follows the newest line, stays put while read higher up, and reaches both ends', async ({ page }) => {
  const lines = Array.from({ length: 240 }, (_, index) => `Line ${index + 1} of a long answer.\n`);
  // It ends at the max tokens, as a long answer often does. The server holds it after line 120 until
  // the test has scrolled up to read, so lines are still to come however loaded the machine is.
  openai = await startOpenAiServer({ reply: { tokens: lines, chunkDelayMs: 30, finishReason: 'length' } });
  let releaseStream = (): void => undefined;
  openai.script({ fault: { kind: 'pause', afterChunks: 120, until: new Promise<void>((resolve) => (releaseStream = resolve)) } });
  anthropic = await startAnthropicServer();
  ollama = await startOllamaServer();
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Long answer');
  await replaceEditorText(page, messageBlocks(page).first(), 'Write a long answer.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.keyboard.press('Control+Enter');
  const column = runColumn(page, 'gpt-4o-mini');
  const scroller = column.locator('.run-output-scroller');

  // Taller than its box while it streams, and the newest line is the one at the bottom.
  await expect(column.getByTestId('run-output')).toContainText('Line 60 ');
  expect(await scroller.evaluate((element) => element.scrollHeight > element.clientHeight * 2)).toBe(true);
  const following = await linesInView(page, 'gpt-4o-mini');
  expect(following.newest - following.bottom, JSON.stringify(following)).toBeLessThanOrEqual(1);

  // Scrolled up to read: what is read stays in place while lines keep arriving below.
  await scroller.hover();
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).bottom).toBeLessThan((await linesInView(page, 'gpt-4o-mini')).newest - 3);
  const reading = await linesInView(page, 'gpt-4o-mini');
  releaseStream();
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).newest).toBeGreaterThan(reading.newest + 20);
  expect((await linesInView(page, 'gpt-4o-mini')).top).toBe(reading.top);

  // Once it ended, the keyboard reaches both ends of the whole answer.
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 15_000 });
  await scroller.focus();
  await page.keyboard.press('Home');
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).top).toBe(1);
  await page.keyboard.press('End');
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).bottom).toBe(240);
  // Cut at the max tokens: the column says so, marked, with why in its tooltip.
  const finish = column.getByTestId('finish-reason');
  await expect(finish).toHaveText('finish: length');
  await expect(finish).toHaveClass(/is-cut-short/);
  await expect(finish).toHaveAttribute('title', 'Why the model stopped: length (the answer reached the max tokens and was cut short)');

  // An answer that arrives whole, not watched as it streamed (a cache hit, the comparison shown again after a reload), is shown from its start.
  await page.keyboard.press('Control+Enter');
  await expect(column.getByTestId('cached-badge')).toBeVisible();
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).top).toBe(1);
  await page.reload();
  await expect(column.getByTestId('cached-badge')).toBeVisible();
  await expect.poll(async () => (await linesInView(page, 'gpt-4o-mini')).top).toBe(1);
});

/** The rate cells of a price row, as shown. */
function rateCells(row: Locator): Locator {
  return row.locator('td.tabular');
}

test('a tiered price edited keeps its tiers; every rate shows in Prices and in a run; Compare shows a price changed between two runs', async ({ page }) => {
  await startAll(0);
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'Anthropic', anthropic.baseUrl);
  const table = page.getByTestId('price-table');

  // A local provider's list has no cache-write nor reasoning rate: those columns wait until asked for.
  await table.getByTestId('price-provider').selectOption({ label: 'Ollama' });
  await expect(table.getByTestId('price-column')).toHaveText(['Input / 1M', 'Output / 1M', 'Cached / 1M']);
  await expect(table.getByTestId('price-reasoning-note')).toHaveText('Reasoning tokens are billed at the output rate: no price here has a reasoning rate of its own.');

  // Anthropic's catalog has cache-write rates; claude-sonnet-4-5's every rate is tiered.
  await table.getByTestId('price-provider').selectOption({ label: 'Anthropic' });
  await expect(table.getByTestId('price-column')).toHaveText(['Input / 1M', 'Output / 1M', 'Cached / 1M', 'Cache write / 1M']);
  const sonnet = table.locator('[data-testid="price-row"][data-model="claude-sonnet-4-5"]');
  const sonnetRates = ['$3, $6 above 200k', '$15, $22.50 above 200k', '$0.30, $0.60 above 200k', '$3.75, $7.50 above 200k'];
  await expect(rateCells(sonnet)).toHaveText(sonnetRates);
  // Edit writes each rate as the table does, tiers and all, each field wide enough to read whole.
  await sonnet.getByTestId('price-edit').click();
  const fields = ['rate-input', 'rate-output', 'rate-cached', 'rate-cache-write'];
  const values = await Promise.all(fields.map((field) => sonnet.getByTestId(field).inputValue()));
  expect(values).toEqual(['3, 6 above 200k', '15, 22.5 above 200k', '0.3, 0.6 above 200k', '3.75, 7.5 above 200k']);
  for (const field of fields) expect(await sonnet.getByTestId(field).evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
  // Changing the output's base rate alone: every tier stays, the output's included.
  await sonnet.getByTestId('rate-output').fill('18, 22.5 above 200k');
  await sonnet.getByTestId('price-save').click();
  await expect(sonnet.getByTestId('price-source')).toHaveText('yours');
  await expect(rateCells(sonnet)).toHaveText([sonnetRates[0], '$18, $22.50 above 200k', ...sonnetRates.slice(2)]);
  // The toast says the price as saved, as the table writes it, and which rates are still the catalog's.
  expect(await toastLines(page, 'Saved your price for claude-sonnet-4-5')).toEqual([
    'Saved your price for claude-sonnet-4-5, per 1M tokens:',
    `Output $18, $22.50 above 200k; the catalog’s: Input ${sonnetRates[0]} · Cached ${sonnetRates[2]} · Cache write ${sonnetRates[3]}`,
  ]);
  // A tier typed wrongly is refused, naming the field, and nothing is saved.
  await sonnet.getByTestId('price-edit').click();
  await sonnet.getByTestId('rate-cached').fill('0.3, 0.6 over 200k');
  await sonnet.getByTestId('price-save').click();
  await expect(sonnet.getByTestId('price-error')).toHaveText('Cached input: write a tier as “6 above 200k” (dollars above an input size)');
  await sonnet.getByTestId('rate-cached').press('Escape');
  await expect(rateCells(sonnet)).toHaveText([sonnetRates[0], '$18, $22.50 above 200k', ...sonnetRates.slice(2)]);
  await expect(sonnet.getByTestId('price-error')).toHaveCount(0);
  // All rates: the reasoning column, to give a model a reasoning rate of its own.
  await table.getByTestId('price-every-rate').click();
  await expect(table.getByTestId('price-column')).toHaveText(['Input / 1M', 'Output / 1M', 'Cached / 1M', 'Cache write / 1M', 'Reasoning / 1M']);
  await expect(sonnet.getByTestId('price-reasoning')).toHaveText('= output');
  await expect(table.getByTestId('price-reasoning-note')).toHaveCount(0);

  // A Claude run at the catalog's price: its detail shows every rate its cost used, the cache write's too.
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Priced');
  await replaceEditorText(page, messageBlocks(page).first(), 'Answer in sixty words, calmly.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'claude-haiku-4-5')).toHaveAttribute('data-status', 'ok');
  const usage = { inputTokens: 3607, cachedInputTokens: 2048, cacheWriteTokens: 1536, outputTokens: 61, reasoningTokens: 0 };
  const catalogPrice = { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25, reasoning: null, perThousandRequests: null };
  const catalogCost = costOf(usage, catalogPrice) as number;
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').first().click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('detail-usage').locator('.stats-row').first()).toHaveText('Input3,607 (2,048 cached, 1,536 written to cache)');
  await expect(detail.getByTestId('detail-cost').locator('.stats-row')).toHaveText([
    `Cost${formatUsd(catalogCost)}`,
    'Input / 1M$1',
    'Cached input / 1M$0.10',
    'Cache write / 1M$1.25',
    'Output / 1M$5',
    'Price fromcatalog (claude-haiku-4-5)',
  ]);

  // The input rate edited (the cache rates kept), then the same request again: Compare shows why it cost more.
  await openWorkspace(page, 'settings');
  await table.getByTestId('price-provider').selectOption({ label: 'Anthropic' });
  const haiku = table.locator('[data-testid="price-row"][data-model="claude-haiku-4-5"]');
  await haiku.getByTestId('price-edit').click();
  await haiku.getByTestId('rate-input').fill('4');
  await haiku.getByTestId('rate-input').press('Enter');
  await expect(haiku.getByTestId('price-source')).toHaveText('yours');
  await expect(haiku.getByTestId('price-cache-write')).toHaveText('$1.25');
  expect(await toastLines(page, 'Saved your price for claude-haiku-4-5')).toEqual(['Saved your price for claude-haiku-4-5, per 1M tokens:', 'Input $4; the catalog’s: Output $5 · Cached $0.10 · Cache write $1.25']);
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').first().click();
  await page.getByRole('button', { name: 'Re-run without cache' }).click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('run-detail').getByTestId('run-status')).toHaveText('Done');
  const editedCost = costOf(usage, { ...catalogPrice, input: 4 }) as number;
  await expect(page.getByTestId('run-detail').getByTestId('detail-cost').locator('.stats-row').nth(1)).toHaveText('Input / 1M$4');
  await rows.nth(0).getByTestId('history-compare-check').check();
  await rows.nth(1).getByTestId('history-compare-check').check();
  await page.getByTestId('compare-runs').click();
  const compare = page.getByTestId('run-compare');
  const priceRow = compare.locator('[data-testid="compare-row"][data-label="Price / 1M"]');
  await expect(priceRow).toHaveAttribute('data-different', 'true');
  await expect(priceRow.locator('.compare-differs')).toHaveAttribute('title', 'The two runs were charged at different prices');
  await expect(priceRow.getByTestId('compare-original')).toHaveText('in $1 · out $5 · cached $0.10 · cache write $1.25 (catalog)');
  await expect(priceRow.getByTestId('compare-modified')).toHaveText('in $4 · out $5 · cached $0.10 · cache write $1.25 (yours)');
  const costRow = compare.locator('[data-testid="compare-row"][data-label="Cost"]');
  await expect(costRow.getByTestId('compare-original')).toHaveText(formatUsd(catalogCost));
  await expect(costRow.getByTestId('compare-modified')).toHaveText(`${formatUsd(editedCost)}+${Math.round(((editedCost - catalogCost) / catalogCost) * 100)}%`);
  // Same tokens, same request: the price is the only difference Compare marks.
  await expect(compare.locator('[data-testid="compare-row"][data-different="true"] th')).toHaveText([/^Price \/ 1M/]);

  // Reset: the catalog's price is back, and the toast says it whole.
  await openWorkspace(page, 'settings');
  await table.getByTestId('price-provider').selectOption({ label: 'Anthropic' });
  await haiku.getByTestId('price-reset').click();
  await expect(haiku.getByTestId('price-source')).toHaveText('catalog');
  expect(await toastLines(page, 'claude-haiku-4-5 is back')).toEqual(['claude-haiku-4-5 is back at the catalog’s price, per 1M tokens:', 'Input $1 · Output $5 · Cached $0.10 · Cache write $1.25']);
});

test('a key entered for the session is gone after the browser host restarts: the Anthropic chip says so instead of quietly estimating', async ({ page }) => {
  anthropic = await startAnthropicServer({ reply: { tokens: ANTHROPIC_TOKENS.slice(0, 5), usage: ANTHROPIC_USAGE }, countTokens: { inputTokens: 4321 } });
  const dataDir = makeTempDir('session-key');
  host = await startHost({ dataDir });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  const card = providerCard(page, 'Anthropic');
  await card.getByTestId('provider-url').fill(anthropic.baseUrl);
  await card.getByTestId('key-source-secret-store').click();
  await card.getByTestId('provider-api-key').fill('test-anthropic-key');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('key-state')).toHaveText('key entered');
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Counted');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  const chip = page.locator('[data-testid="estimate-cell"][data-model="claude-haiku-4-5"]');
  // With the key, Anthropic counts the input exactly.
  await expect(chip.getByTestId('estimate-input')).toHaveText('4,321 in');
  await expect(chip.getByTestId('estimate-input')).toHaveAttribute('data-exact', 'true');
  await expect(chip.getByTestId('estimate-no-key')).toHaveCount(0);

  // Started again, the host has forgotten the key: the chip says why its input is now an estimate, and what to do.
  const port = Number(new URL(host.url).port);
  await host.stop();
  host = await startHost({ dataDir, port });
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Counted' }).click();
  const hint = 'Anthropic counts the input exactly only with its API key, which is not set: a key entered in the browser host lasts only until the host stops. Enter it again in Settings › Providers.';
  await expect(chip.getByTestId('estimate-input')).toHaveText(/^~[\d,]+ in$/);
  await expect(chip.getByTestId('estimate-no-key')).toHaveText('no key');
  await expect(chip.getByTestId('estimate-no-key')).toHaveAttribute('title', hint);
  expect(await chip.getAttribute('title')).toMatch(new RegExp(`^Input counted by the local tokenizer; .*\\. ${hint.replace(/[.›]/g, '\\$&')}$`));

  // Entered again, the exact count is back.
  await openWorkspace(page, 'settings');
  await card.getByTestId('provider-api-key').fill('test-anthropic-key');
  await card.getByTestId('provider-save').click();
  await expect(card.getByTestId('key-state')).toHaveText('key entered');
  await openWorkspace(page, 'prompts');
  await expect(chip.getByTestId('estimate-input')).toHaveText('4,321 in');
  await expect(chip.getByTestId('estimate-no-key')).toHaveCount(0);
});

test('without an OpenAI key, the column’s error, List models and the chip say alike what to do: set OPENAI_API_KEY, or enter a key', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: OPENAI_TOKENS } });
  host = await startHost();
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Keyless');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  const advice = 'set OPENAI_API_KEY, or enter a key in Settings › Providers';
  const chip = page.locator('[data-testid="estimate-cell"][data-model="gpt-4o-mini"]');
  await expect(chip.getByTestId('estimate-no-key')).toHaveAttribute('title', `OpenAI needs an API key to run, which is not set: ${advice}.`);

  await page.getByTestId('add-model').focus();
  await page.keyboard.press('Enter');
  const picker = page.getByTestId('model-picker');
  await picker.getByTestId('picker-provider').selectOption({ label: 'OpenAI' });
  await picker.getByTestId('picker-list-models').click();
  await expect(picker.getByTestId('picker-list-state')).toHaveText(`No API key for OpenAI: ${advice}`);
  await picker.getByTestId('picker-model').press('Escape');
  await expect(picker).toBeHidden();

  await page.getByTestId('run-button').click();
  const column = runColumn(page, 'gpt-4o-mini');
  await expect(column).toHaveAttribute('data-status', 'error');
  await expect(column.getByTestId('run-error')).toHaveText(`No API key for OpenAI: ${advice}`);
  // Refused before sending: the fixture was never asked.
  expect(openai.requests.length).toBe(0);
});

test('a re-run streaming in History shows one set of figures, the live ones; the stored ones come when it ends', async ({ page }) => {
  await startAll(0);
  await openApp(page, host);
  await configureProviders(page);
  await createPrompt(page, 'Re-run live');
  await replaceEditorText(page, messageBlocks(page).first(), 'Answer calmly.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  await openWorkspace(page, 'history');
  await page.getByTestId('history-row').first().click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByTestId('detail-usage')).toContainText('the provider');

  let release = (): void => undefined;
  openai.script({ fault: { kind: 'pause', afterChunks: 3, until: new Promise<void>((resolve) => (release = resolve)) } });
  await detail.getByTestId('detail-rerun-fresh').click();
  await expect(page.getByTestId('history-count')).toHaveText('2 runs');
  await expect(detail.getByTestId('run-status')).toHaveText('Running');
  await expect(detail.getByTestId('figure-output').getByTestId('figure-value')).toHaveText(/^~[1-9]/);
  // Not the stored row's figures from when it started (no output yet, the input as first estimated) beside them.
  await expect(detail.getByTestId('detail-running-note')).toBeVisible();
  await expect(detail.getByTestId('detail-usage')).toHaveCount(0);
  await expect(detail.getByTestId('detail-cost')).toHaveCount(0);
  release();
  await expect(detail.getByTestId('run-status')).toHaveText('Done');
  await expect(detail.getByTestId('detail-running-note')).toHaveCount(0);
  await expect(detail.getByTestId('detail-usage')).toContainText('the provider');
  await expect(detail.getByTestId('figure-output').getByTestId('figure-value')).toHaveText(String(OPENAI_USAGE.completion_tokens));
});
