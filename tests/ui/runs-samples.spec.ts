/**
 * Samples in the runs panel, against the OpenAI fixture server: two samples of one model are two
 * columns, "#1" and "#2", two requests and two cache entries (History tags both); the estimate
 * counts both; a batch over the cell limit, or a count out of range, is refused before Run.
 * Waits are explained: a sample queued behind another on one Ollama model says "Queued", a
 * rate-limited column says it is sent again, and one waiting for its first token says how long
 * it will wait. A new comparison opens at its first column.
 */

import { expect, test, type Page } from '@playwright/test';
import { formatUsd } from '../../shared/cost';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, replaceEditorText, runColumn, setModelPrice, setProviderUrl, toastLines } from './ui-support';

const TOKENS = [' one', ' sample', ' of', ' several', ' answers', '.'];

let openai: OpenAiServer;
let ollama: OllamaServer | undefined;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
  await ollama?.close();
  ollama = undefined;
});

test('two samples of one model run as two columns #1 and #2, two requests, both cached the second time; too many cells are refused', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS, chunkDelayMs: 60 } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setModelPrice(page, 'OpenAI', 'gpt-4o-mini', 3, 4);
  // It had the catalog's price: the toast says yours stands in for it now, and that the cached rate left empty keeps the catalog's share of the input.
  expect(await toastLines(page, 'Your price for gpt-4o-mini')).toEqual(['Your price for gpt-4o-mini now stands in for the catalog’s, per 1M tokens:', 'Input $3 · Output $4 · Cached $1.50 (0.5× input, as the catalog’s)']);
  // Adding a price for it again asks before replacing yours, and a second Add does.
  const newPrice = page.getByTestId('price-table').getByTestId('new-price-row');
  await newPrice.getByTestId('new-price-model').fill('gpt-4o-mini');
  await newPrice.getByTestId('rate-input').fill('1');
  await newPrice.getByTestId('rate-output').fill('2');
  await newPrice.getByTestId('new-price-add').click();
  await expect(newPrice.getByTestId('price-error')).toHaveText('gpt-4o-mini has your price already ($3 / $4 per 1M): Add again to replace it');
  const priceRow = page.locator('[data-testid="price-row"][data-model="gpt-4o-mini"]');
  await expect(priceRow.getByTestId('price-input')).toHaveText('$3');
  await newPrice.getByTestId('new-price-add').click();
  await expect(priceRow.getByTestId('price-input')).toHaveText('$1');
  expect(await toastLines(page, 'Replaced your price for gpt-4o-mini')).toEqual(['Replaced your price for gpt-4o-mini, per 1M tokens:', 'Input $1 · Output $2 · Cached $0.50 (0.5× input, as the catalog’s)']);
  await expect(newPrice.getByTestId('price-error')).toHaveCount(0);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Samples');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');

  // One sample: the estimate is the input of one request ($1 per million tokens, no output history yet).
  const samples = page.getByTestId('run-samples');
  await expect(samples).toHaveValue('1');
  const input = page.getByTestId('estimate-input');
  await expect(input).toHaveText(/^~\d+ in$/);
  const inputTokens = Number((await input.innerText()).replace(/\D/g, ''));
  await expect(page.getByTestId('estimate-cost')).toHaveText(`~${formatUsd(inputTokens / 1e6)}`);

  // Two samples, stepped with the keyboard: the estimate doubles.
  await samples.focus();
  await page.keyboard.press('ArrowUp');
  await expect(samples).toHaveValue('2');
  await expect(page.getByTestId('estimate-cost')).toHaveText(`~${formatUsd((2 * inputTokens) / 1e6)}`);
  // The input figure is of the same two requests as the cost; the tooltip says so.
  await expect(input).toHaveText(`~${(2 * inputTokens).toLocaleString('en-US')} in`);
  await expect(page.getByTestId('estimate-cell')).toHaveAttribute('title', new RegExp(`^Input counted by the local tokenizer, for 2 requests \\(2 samples\\) of up to ${inputTokens} tokens each; `));
  await expect(page.getByTestId('estimate-total')).toHaveText(`est. ~${formatUsd((2 * inputTokens) / 1e6)}`);

  const requests = () => openai.requestsTo('/v1/chat/completions').length;
  await page.getByTestId('run-button').click();
  const columns = page.getByTestId('run-column');
  await expect(columns).toHaveCount(2);
  await expect(page.getByTestId('run-sample')).toHaveText(['#1', '#2']);
  await expect(page.getByTestId('run-model')).toHaveText(['gpt-4o-mini', 'gpt-4o-mini']);
  for (const column of await columns.all()) await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(page.getByTestId('run-output')).toHaveText([TOKENS.join(''), TOKENS.join('')]);
  // Both streamed at once, each its own request.
  expect(openai.maxConcurrent('gpt-4o-mini')).toBe(2);
  expect(requests()).toBe(2);
  await expect(page.getByTestId('cached-badge')).toHaveCount(0);

  // Again: each sample is answered by its own cache entry, no request sent.
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-sample')).toHaveText(['#1', '#2']);
  await expect(page.getByTestId('cached-badge')).toHaveCount(2);
  await expect(page.getByTestId('batch-counts')).toHaveText('2 done');
  expect(requests()).toBe(2);
  // The cache's figures in Settings: two hits of four lookups, and what the two hits saved at your price.
  const savedByHits = await page.getByTestId('batch-saved').innerText();
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('cache-hit-rate')).toHaveText('50% (2 of 4)');
  expect(savedByHits).toMatch(/^saved \$0\.\d+$/);
  await expect(page.getByTestId('cache-saved')).toHaveText(savedByHits.replace('saved ', ''));
  // History tags each sample, the first of several too, and each status in words, not colour alone.
  await openWorkspace(page, 'history');
  await expect(page.getByTestId('history-row')).toHaveCount(4);
  await expect(page.getByTestId('history-sample')).toHaveText(['#2', '#1', '#2', '#1']);
  expect(await page.getByTestId('history-sample').evaluateAll((tags) => tags.map((tag) => tag.getAttribute('title')))).toStrictEqual(
    Array(2).fill(['Sample 2 of 2 of the same request', 'Sample 1 of 2 of the same request']).flat(),
  );
  await page.getByTestId('history-row').nth(1).click();
  await expect(page.getByTestId('run-detail').locator('.run-detail-title .muted').last()).toHaveText(/ · sample 1 of 2$/);
  expect(await page.getByTestId('history-status').evaluateAll((dots) => dots.map((dot) => dot.getAttribute('aria-label')))).toStrictEqual(['Done', 'Done', 'Done', 'Done']);
  await expect(page.getByTestId('history-stopped')).toHaveCount(0);
  await openWorkspace(page, 'prompts');

  // Seven models x ten samples is over the 64-cell limit: said inline, Run disabled.
  await page.getByTestId('add-model').click();
  const picker = page.getByTestId('model-picker');
  for (const model of ['m2', 'm3', 'm4', 'm5', 'm6', 'm7']) {
    await picker.getByTestId('picker-model').fill(model);
    await picker.getByTestId('picker-model').press('Enter');
  }
  await picker.getByTestId('picker-model').press('Escape');
  await expect(page.getByTestId('target-chip')).toHaveCount(7);
  await samples.focus();
  await page.keyboard.press('End');
  await expect(samples).toHaveValue('10');
  await expect(page.getByTestId('estimate-samples')).toHaveText('70 cells (7 models × 1 version × 10 samples) is over the limit of 64 cells per run: lower the samples or the models');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await expect(samples).toHaveAttribute('aria-invalid', 'true');

  // A count out of range is refused the same way; a valid one clears it.
  await samples.fill('0');
  await expect(page.getByTestId('estimate-samples')).toHaveText('Samples must be a whole number from 1 to 10');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.keyboard.press('Control+Enter');
  await samples.fill('9');
  await expect(page.getByTestId('estimate-samples')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  expect(requests()).toBe(2);
});

test('a new comparison opens at its first column, however far the last one was scrolled; one still streaming keeps its place', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS, chunkDelayMs: 150 } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Many columns');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.getByTestId('run-samples').fill('8');
  const strip = page.getByTestId('run-columns');
  const scrolled = () => strip.evaluate((element) => ({ left: element.scrollLeft, isWider: element.scrollWidth > element.clientWidth + 100 }));

  // Scrolled to its last column while it streams, and it stays there as the columns fill and end.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-column')).toHaveCount(8);
  const firstBatch = await page.getByTestId('run-column').first().getAttribute('data-run-id');
  await strip.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
  const end = await scrolled();
  expect([end.isWider, end.left > 100]).toStrictEqual([true, true]);
  await expect(page.getByTestId('batch-counts')).toHaveText('8 done', { timeout: 20_000 });
  expect(await scrolled()).toStrictEqual(end);

  // The next comparison starts at its first column.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-column').first()).not.toHaveAttribute('data-run-id', firstBatch ?? '');
  await expect(page.getByTestId('batch-counts')).toHaveText('8 done');
  expect(await scrolled()).toStrictEqual({ left: 0, isWider: true });
});

test('a sample queued behind another on one Ollama model says so; a rate-limited column says it is sent again', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS } });
  // Slow enough (~3.6 s a sample) for a loaded machine to see #2 queued, then running.
  ollama = await startOllamaServer({ reply: { tokens: TOKENS, chunkDelayMs: 600 } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setProviderUrl(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Waits');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.getByTestId('run-samples').fill('2');
  // Long enough for a loaded machine to look while it waits.
  openai.script({ fault: { kind: 'http-error', status: 429, retryAfterMs: 4000 } });
  await page.keyboard.press('Control+Enter');

  // Ollama answers one request per model at a time: #2 waits, says so, and has no time yet.
  const ollamaColumns = page.locator('[data-testid="run-column"][data-model="llama3.2:latest"]');
  await expect(ollamaColumns).toHaveCount(2);
  await expect(ollamaColumns.nth(0).getByTestId('run-status')).toHaveText('Running');
  await expect(ollamaColumns.nth(1).getByTestId('run-status')).toHaveText('Queued');
  await expect(page.getByTestId('batch-counts')).toContainText('1 queued');
  await expect(ollamaColumns.nth(1).getByTestId('figure-elapsed').getByTestId('figure-value')).toHaveText('–');
  await expect(ollamaColumns.nth(1).getByTestId('run-output')).toHaveAttribute('data-placeholder', 'Queued behind another request to this model…');
  // The rate-limited sample says why it has no token yet, and counts down to sending it again.
  const waiting = runColumn(page, 'gpt-4o-mini').filter({ has: page.locator('[data-retrying="true"]') });
  await expect(waiting).toHaveCount(1);
  const limited = page.locator(`[data-testid="run-column"][data-run-id="${await waiting.getAttribute('data-run-id')}"]`);
  await expect(limited.getByTestId('run-output')).toHaveAttribute('data-placeholder', /^OpenAI is rate limiting requests \(429\).*\nSending again in [1-4] s…$/s);
  await expect(page.getByTestId('batch-counts')).toContainText('1 waiting to retry');
  const chip = limited.getByTestId('run-status');
  const firstLeft = Number(/^Retry in (\d) s$/.exec(await chip.innerText())?.[1]);
  expect(firstLeft).toBeGreaterThanOrEqual(1);

  // Then #2 goes out and streams; its time counts from then, as its stored latency does.
  await expect(ollamaColumns.nth(1).getByTestId('run-status')).toHaveText('Running', { timeout: 10_000 });
  // Meanwhile the rate-limited column counted down.
  if (firstLeft > 1) await expect(chip).toHaveText(new RegExp(`^(Retry in [1-${firstLeft - 1}] s|Retrying|Running|Done)$`));
  for (const column of await page.getByTestId('run-column').all()) await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 15_000 });
  await expect(page.getByTestId('run-output')).toHaveText(Array(4).fill(TOKENS.join('')));
  // Once sent, it said so beside the answer, and keeps it.
  await expect(limited.getByTestId('run-notice')).toHaveText([/^Sent again after 4 s: OpenAI is rate limiting requests \(429\)/]);
  expect(ollama.maxConcurrent('llama3.2:latest')).toBe(1);
});

test('a column waiting for its first token says how long it will wait: 3 min for OpenAI, 5 min for Ollama', async ({ page }) => {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  // Both answer at once with headers, then hold their first token until the test lets them go.
  openai = await startOpenAiServer({ reply: { tokens: TOKENS } });
  ollama = await startOllamaServer({ reply: { tokens: TOKENS } });
  openai.script({ fault: { kind: 'pause', afterChunks: 0, until: released } });
  ollama.script({ fault: { kind: 'pause', afterChunks: 0, until: released } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setProviderUrl(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'First token');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  await page.keyboard.press('Control+Enter');
  const placeholders = page.getByTestId('run-column').getByTestId('run-output');
  await expect(placeholders.nth(0)).toHaveAttribute('data-placeholder', 'Waiting for the first token… (gives up after 3 min)');
  await expect(placeholders.nth(1)).toHaveAttribute('data-placeholder', 'Waiting for the first token… (gives up after 5 min)');
  release();
  await expect(placeholders).toHaveText(Array(2).fill(TOKENS.join('')));
});

test('a window reloaded while a column waits to retry still counts down to it, with the reason', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Reload while waiting');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  openai.script({ fault: { kind: 'http-error', status: 429, retryAfterMs: 6000 } });
  await page.keyboard.press('Control+Enter');
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-status')).toHaveText(/^Retry in [1-6] s$/);

  // The reloaded window has the wait from the comparison it restores, not from a delta (none comes until the retry).
  await page.reload();
  const column = runColumn(page, 'gpt-4o-mini');
  await expect(column.getByTestId('run-status')).toHaveText(/^Retry in [1-5] s$/);
  await expect(column.getByTestId('run-output')).toHaveAttribute('data-placeholder', /^OpenAI is rate limiting requests \(429\).*\nSending again in [1-5] s…$/s);
  await expect(page.getByTestId('batch-counts')).toContainText('1 waiting to retry');
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 15_000 });
  await expect(column.getByTestId('run-output')).toHaveText(TOKENS.join(''));
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(2);
});

test('four columns streaming on a 1440 px window show every live figure whole, the tiny estimated costs too', async ({ page }) => {
  const models = ['gpt-4o-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4.1'];
  openai = await startOpenAiServer({ models, reply: { tokens: Array.from({ length: 80 }, (_, index) => ` w${index}`), chunkDelayMs: 80 } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Narrow columns');
  await replaceEditorText(page, messageBlocks(page).first(), 'Hi.');
  await expectDraftSaved(page);
  for (const model of models) await addRunTarget(page, 'OpenAI', model);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-output').first()).toContainText('w10');
  // Mid-stream: "~$0.000021" on gpt-4o-mini, in a column about 230 px wide.
  const figures = await page.getByTestId('run-column').locator('[data-testid="figure-value"]').evaluateAll((elements) =>
    elements.map((element) => ({ text: element.textContent, isWhole: element.scrollWidth <= element.clientWidth })),
  );
  expect(figures.filter((figure) => !figure.isWhole)).toStrictEqual([]);
  expect(figures.some((figure) => /^~\$0\.0000\d\d$/.test(figure.text ?? ''))).toBe(true);
  await page.getByTestId('stop-all').click();
});

test('retry notices keep to two lines each in a column: the final error and the answer stay in sight', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: Array.from({ length: 30 }, (_, index) => `Line ${index + 1} of a long answer.\n`) } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Retries');
  await replaceEditorText(page, messageBlocks(page).first(), 'Say something.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  const column = runColumn(page, 'gpt-4o-mini');
  const box = async (locator: ReturnType<Page['locator']>) => (await locator.boundingBox()) as { x: number; y: number; width: number; height: number };

  // A server error three times: the column says it gave up, above the two retries, within the column.
  openai.script(...Array.from({ length: 3 }, () => ({ fault: { kind: 'http-error' as const, status: 500 } })));
  await page.keyboard.press('Control+Enter');
  await expect(column).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
  const error = column.getByTestId('run-error');
  await expect(error).toHaveText(/Sorry about that! Gave up after 3 attempts\.$/);
  const notices = column.getByTestId('run-notices').locator('li');
  await expect(notices).toHaveCount(2);
  const [columnBox, errorBox, noticesBox] = [await box(column), await box(error), await box(column.getByTestId('run-notices'))];
  expect([errorBox.y < noticesBox.y, errorBox.y + errorBox.height <= columnBox.y + columnBox.height]).toStrictEqual([true, true]);
  // Each notice on two lines at most; the whole of it in its tooltip.
  for (const notice of await notices.all()) {
    expect((await box(notice)).height).toBeLessThan(36);
    await expect(notice).toHaveAttribute('title', /^Sent again (at once|after \d(\.\d)? s): OpenAI had a server error \(500\): The server had an error while processing your request\. Sorry about that!$/);
  }
  // In a narrow column (the only one, in a 700 px window) a notice is cut at two lines; reached with the keyboard (Tab from the one before it), it shows whole.
  await page.setViewportSize({ width: 700, height: 900 });
  const [first, second] = await notices.all();
  const clampedHeight = (await box(second)).height;
  expect(await second.getByTestId('run-notice').evaluate((element) => element.scrollHeight > element.clientHeight + 1)).toBe(true);
  await first.focus();
  await page.keyboard.press('Tab');
  await expect(second).toBeFocused();
  await expect.poll(async () => (await box(second)).height).toBeGreaterThan(clampedHeight + 5);
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await box(second)).height).toBe(clampedHeight);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Rate limited once, then answered: the notice takes two lines at most, the answer keeps its room.
  openai.script({ fault: { kind: 'http-error', status: 429, retryAfterMs: 300 } });
  await column.getByTestId('retry-run').click();
  await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 15_000 });
  await expect(column.getByTestId('run-notice')).toHaveText([/^Sent again after 0\.3 s: OpenAI is rate limiting requests \(429\)/]);
  await expect(column.getByTestId('run-notices').locator('li')).toHaveCount(1);
  expect((await box(column.getByTestId('run-notices').locator('li'))).height).toBeLessThan(36);
  expect((await box(column.locator('.run-output-scroller'))).height).toBeGreaterThanOrEqual(80);
});
