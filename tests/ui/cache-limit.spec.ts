/**
 * The response cache size limit in Settings, against the OpenAI fixture server: three samples of
 * about 400 KB each fill the cache past 1 MB; a 1 MB limit evicts at once, down to two answers,
 * and the size shows against the limit; 0.5 is refused in the engine's words and keeps the
 * limit; the limit outlives a reload; hex is refused and "1,024" read as the app writes it; an
 * empty field removes it.
 */

import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { startHost, type HostHandle } from './host';
import { addRunTarget, createPrompt, expectDraftSaved, messageBlocks, openApp, openWorkspace, replaceEditorText, setProviderUrl, watchForProblems } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** About 400 KB of answer: 400 chunks of 1 KiB. */
const TOKENS = Array.from({ length: 400 }, () => 'x'.repeat(1024));

let openai: OpenAiServer;
let host: HostHandle;

test.afterEach(async () => {
  await host?.stop();
  await openai?.close();
});

/** What the cache section says: its figures, the limit field and the field's message. */
async function cacheView(page: Page) {
  const message = page.getByTestId('cache-limit-message');
  return {
    entries: await page.getByTestId('cache-entries').innerText(),
    size: await page.getByTestId('cache-size').innerText(),
    limit: await page.getByTestId('cache-limit-input').inputValue(),
    message: (await message.count()) === 0 ? null : await message.innerText(),
  };
}

/** Types a limit into the field and commits it with Enter. */
async function typeLimit(page: Page, text: string) {
  await page.getByTestId('cache-limit-input').fill(text);
  await page.getByTestId('cache-limit-input').press('Enter');
}

test('a 1 MB limit evicts the answer used longest ago at once and shows the size against it; below 1 MB is refused; empty removes it', async ({ page }) => {
  openai = await startOpenAiServer({ reply: { tokens: TOKENS } });
  host = await startHost({ env: { OPENAI_API_KEY: 'test-openai-key' } });
  const problems = watchForProblems(page, host);
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await openWorkspace(page, 'prompts');
  await createPrompt(page, 'Large answers');
  await replaceEditorText(page, messageBlocks(page).first(), 'Write a lot.');
  await expectDraftSaved(page);
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');

  // Three samples: three requests, three cache entries of about 400 KB each.
  await page.getByTestId('run-samples').fill('3');
  await expect(page.getByTestId('run-samples')).toHaveValue('3');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-sample')).toHaveText(['#1', '#2', '#3']);
  for (const column of await page.getByTestId('run-column').all()) await expect(column).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(page.getByTestId('batch-counts')).toHaveText('3 done');
  expect(openai.requestsTo('/v1/chat/completions')).toHaveLength(3);

  await openWorkspace(page, 'settings');
  await page.getByRole('button', { name: 'Response cache' }).click();
  await expect(page.getByTestId('cache-entries')).toHaveText('3');
  expect(await cacheView(page)).toEqual({ entries: '3', size: expect.stringMatching(/^1\.\d MB$/), limit: '', message: null });
  await expect(page.getByTestId('cache-limit-input')).toHaveAttribute('placeholder', 'no limit');

  // 1 MB: the engine evicts one answer in the same call, and the stats say so against the limit.
  await typeLimit(page, '1');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('Saved: 1 MB');
  await expect(page.getByTestId('cache-entries')).toHaveText('2');
  expect(await cacheView(page)).toEqual({ entries: '2', size: expect.stringMatching(/^\d{3} KB of 1\.0 MB$/), limit: '1', message: 'Saved: 1 MB' });
  await page.getByTestId('cache-limit-input').blur();
  await page.mouse.move(0, 899);
  await page.locator('#settings-cache').screenshot({ path: path.join(SHOTS, 'cache-limit-light.png') });

  // Half a megabyte is refused in the engine's words; the field keeps what was typed, the limit stays.
  await typeLimit(page, '0.5');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('The cache limit is at least 1 MB');
  await expect(page.getByTestId('cache-limit-input')).toHaveAttribute('aria-invalid', 'true');
  expect(await cacheView(page)).toEqual({
    entries: '2',
    size: expect.stringMatching(/^\d{3} KB of 1\.0 MB$/),
    limit: '0.5',
    message: 'The cache limit is at least 1 MB',
  });

  // The engine kept 1 MB: a reload shows it.
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('cache-limit-input')).toHaveValue('1');
  await expect(page.getByTestId('cache-size')).toContainText('of 1.0 MB');
  expect(await cacheView(page)).toEqual({ entries: '2', size: expect.stringMatching(/^\d{3} KB of 1\.0 MB$/), limit: '1', message: null });

  // Hex is no size, whatever JavaScript makes of it; thousands separators are, as the app writes them.
  await typeLimit(page, '0x10');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('The cache limit is a whole number of MB, such as 500 or 1,024');
  await expect(page.getByTestId('cache-size')).toContainText('of 1.0 MB');
  await typeLimit(page, ' 1,024 MB ');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('Saved: 1,024 MB');
  await expect(page.getByTestId('cache-limit-input')).toHaveValue('1,024');
  // Grouped with spaces as some locales write it; a fraction of a MB reads as another locale's separator, so it is refused.
  await typeLimit(page, '2 048');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('Saved: 2,048 MB');
  await typeLimit(page, '1.024');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('The cache limit is a whole number of MB, such as 500 or 1,024');

  // An empty field is no limit: the size stands alone again.
  await typeLimit(page, '');
  await expect(page.getByTestId('cache-limit-message')).toHaveText('No limit');
  expect(await cacheView(page)).toEqual({ entries: '2', size: expect.stringMatching(/^\d{3} KB$/), limit: '', message: 'No limit' });
  await expect(page.getByTestId('cache-limit-clear')).toHaveCount(0);

  // An age: refused under a day in the engine's words; 30 days keeps today's answers.
  await page.getByTestId('cache-age-input').fill('0');
  await page.getByTestId('cache-age-input').press('Enter');
  await expect(page.getByTestId('cache-age-message')).toHaveText('Answers expire after 1 day at least');
  await page.getByTestId('cache-age-input').fill('30');
  await page.getByTestId('cache-age-input').press('Enter');
  await expect(page.getByTestId('cache-age-message')).toHaveText('Saved: 30 days');
  await expect(page.getByTestId('cache-entries')).toHaveText('2');
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await openWorkspace(page, 'settings');
  await expect(page.getByTestId('cache-age-input')).toHaveValue('30');
  expect(problems()).toEqual([]);
});
