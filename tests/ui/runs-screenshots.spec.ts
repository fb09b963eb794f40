/**
 * Screenshots of runs, history and settings in both themes, for docs/screenshots/. Each screen
 * is first checked for what it must show, so a broken screen fails here instead of being
 * photographed.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startAnthropicServer, type AnthropicServer } from '../fixtures/anthropic-server';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { addRunTarget, openApp, openWorkspace, providerCard, runColumn, setProviderUrl } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

/** A reply as the fixture streams it: one token per word, spaces kept. */
function tokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

const OPENAI_REPLY = `Hi Priya,

Nothing went wrong on your side. When a bank is first connected, Ledgerly imports the last 7 days straight away and older transactions over the next 24 hours.

To get last month in now:
1. Open Accounts and pick your bank.
2. Choose "Import history" and set the start date to the 1st of last month.
3. Wait for the sync badge to turn green.

If anything is still missing tomorrow, reply here and a specialist will look at it.

The Ledgerly support team`;

const ANTHROPIC_REPLY = `Hi Priya,

You did nothing wrong. New bank connections bring in recent transactions first; the earlier ones follow within a day.

If you need them before Friday:
1. Go to Accounts > your bank > Import history.
2. Pick the first day of last month as the start date.
3. Check the transactions list once the sync finishes.

Should any month still be incomplete tomorrow, let us know and a specialist will reply within one business day.

The Ledgerly support team`;

const OLLAMA_REPLY = `Hello Priya,

Thanks for your message. Ledgerly first loads the most recent week of transactions; older ones come in the background.

You can speed this up with Accounts → Import history, choosing last month as the start date.

Best regards,
The Ledgerly support team`;

let openai: OpenAiServer;
let anthropic: AnthropicServer;
let ollama: OllamaServer;
let host: HostHandle;

test.beforeAll(async () => {
  openai = await startOpenAiServer({
    reply: { tokens: tokens(OPENAI_REPLY), usage: { prompt_tokens: 412, completion_tokens: 118, total_tokens: 530 } },
  });
  anthropic = await startAnthropicServer({
    reply: { tokens: tokens(ANTHROPIC_REPLY), usage: { input_tokens: 431, output_tokens: 121 } },
    // The pre-run count agrees with what the run is then charged, as it would for real.
    countTokens: { inputTokens: 431 },
  });
  ollama = await startOllamaServer({ reply: { tokens: tokens(OLLAMA_REPLY), promptEvalCount: 398, evalCount: 74 } });
  const promptsDir = makeTempDir('run-shots');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  host = await startHost({ promptsDir, env: { OPENAI_API_KEY: 'test-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-key' } });
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await host.stop();
  await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
});

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function settle(page: Page) {
  await page.waitForTimeout(400);
  await page.mouse.move(0, 899);
}

test('runs, history and settings in both themes', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'OpenAI', openai.baseUrl);
  await setProviderUrl(page, 'Anthropic', anthropic.baseUrl);
  await setProviderUrl(page, 'Ollama', ollama.url);
  await providerCard(page, 'Ollama').getByTestId('provider-test').click();
  await expect(providerCard(page, 'Ollama').getByTestId('model-row')).toHaveCount(2);
  await expect(providerCard(page, 'Ollama').locator('.models-table th')).toHaveText(['Model', 'Size', 'Quant.', 'Context', 'Price in / out per 1M', '']);
  // From /api/show: which model thinks (only qwen3 here), and each one's context length.
  await expect(providerCard(page, 'Ollama').getByTestId('model-thinks')).toHaveCount(1);
  await expect(providerCard(page, 'Ollama').locator('[data-testid="model-row"][data-model="qwen3:8b"]')).toContainText('thinks');
  await expect(providerCard(page, 'Ollama').locator('[data-testid="model-row"][data-model="qwen3:8b"] td').nth(3)).toHaveText('40,960');

  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  await expect(page.getByTestId('prompt-title')).toHaveText('Customer support');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await addRunTarget(page, 'Anthropic', 'claude-haiku-4-5');
  await addRunTarget(page, 'Ollama', 'llama3.2:latest');
  await expect(page.getByTestId('estimate-cell')).toHaveCount(3);
  await page.getByTestId('run-button').click();
  for (const model of ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest']) await expect(runColumn(page, model)).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('batch-total')).toHaveAttribute('data-estimated', 'false');

  for (const theme of ['light', 'dark'] as const) {
    await openWorkspace(page, 'prompts');
    await useTheme(page, theme);
    await expect(runColumn(page, 'gpt-4o-mini').getByTestId('run-output')).toContainText('The Ledgerly support team');
    // Each answer followed its newest line as it streamed; read from the start (Home in each column), as one compares them.
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest']) {
      await runColumn(page, model).locator('.run-output-scroller').focus();
      await page.keyboard.press('Home');
    }
    await page.locator('body').click({ position: { x: 5, y: 890 } });
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `runs-${theme}.png`) });

    await openWorkspace(page, 'history');
    await expect(page.getByTestId('history-row')).toHaveCount(3);
    await page.getByTestId('history-row').nth(1).click();
    await expect(page.getByTestId('run-detail').getByTestId('detail-output')).toContainText('The Ledgerly support team');
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `history-${theme}.png`) });

    await openWorkspace(page, 'settings');
    await expect(providerCard(page, 'Ollama').getByTestId('model-row')).toHaveCount(2);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `settings-${theme}.png`) });
  }

  // Two models' answers to the same request, compared in history.
  await useTheme(page, 'light');
  await openWorkspace(page, 'history');
  const rows = page.getByTestId('history-row');
  await expect(rows.nth(2).getByTestId('history-model')).toHaveText('gpt-4o-mini');
  await rows.nth(2).getByTestId('history-compare-check').check();
  await rows.nth(1).getByTestId('history-compare-check').check();
  await page.getByTestId('compare-runs').click();
  const compare = page.getByTestId('run-compare');
  await expect(compare.getByTestId('run-diff').locator('.monaco-diff-editor')).toBeVisible();
  await expect(compare.locator('[data-testid="compare-row"][data-label="Model"] [data-testid="compare-modified"]')).toHaveText('claude-haiku-4-5');
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, 'history-compare-light.png') });

  // Four columns, three of them answered by the cache: each still names its model in full, with its status, badge and figures.
  await openWorkspace(page, 'prompts');
  await addRunTarget(page, 'Ollama', 'qwen3:8b');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('cached-badge')).toHaveCount(3);
  for (const model of ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest', 'qwen3:8b']) {
    const column = runColumn(page, model);
    await expect(column).toHaveAttribute('data-status', 'ok');
    await expect(column.getByTestId('run-status')).toHaveText('Done');
    const isWhole = (locator: typeof column) => locator.evaluate((element) => element.scrollWidth <= element.clientWidth);
    expect(await isWhole(column.getByTestId('run-model')), `${model}'s name is cut`).toBe(true);
    // Pointed at, its buttons take the status's room, not the name's.
    const nameWidth = (await column.getByTestId('run-model').boundingBox())?.width ?? 0;
    await column.hover();
    await expect(column.getByTestId('open-in-history')).toBeVisible();
    expect(await isWhole(column.getByTestId('run-model')), `${model}'s name is cut while pointed at`).toBe(true);
    expect((await column.getByTestId('run-model').boundingBox())?.width ?? 0, `${model}'s name narrows while pointed at`).toBeGreaterThanOrEqual(nameWidth - 8);
    await page.mouse.move(0, 0);
    await expect(column.getByTestId('run-status')).toBeVisible();
    // So with the keyboard on one of its buttons.
    await column.getByTestId('open-in-history').focus();
    expect(await isWhole(column.getByTestId('run-model')), `${model}'s name is cut while its button has the focus`).toBe(true);
    expect((await column.getByTestId('run-model').boundingBox())?.width ?? 0, `${model}'s name narrows while its button has the focus`).toBeGreaterThanOrEqual(nameWidth - 8);
    await column.getByTestId('open-in-history').blur();
    await expect(column.getByTestId('run-status')).toBeVisible();
    if (model !== 'qwen3:8b') expect(await isWhole(column.getByTestId('cached-badge')), `${model}'s cached badge is cut`).toBe(true);
    // So are its provider's name and why it finished (without "finish:" in a column this narrow).
    expect(await isWhole(column.locator('.run-column-provider-label')), `${model}'s provider is cut`).toBe(true);
    expect(await isWhole(column.getByTestId('finish-reason')), `${model}'s finish reason is cut`).toBe(true);
    // A figure cut short by a narrow column holds its whole value in its tooltip.
    const cost = (await column.getByTestId('figure-cost').getByTestId('figure-value').textContent()) as string;
    await expect(column.getByTestId('figure-cost')).toHaveAttribute('title', new RegExp(`^Cost of this run: ${cost.replace(/[$.~]/g, '\\$&')}`));
  }
  await expect(runColumn(page, 'gpt-4o-mini').getByTestId('cached-badge')).toHaveText(/^cached · saved \$0\.\d+$/);
  // Narrower columns: what a hit saved shows whole or not at all (never "$0.000" of $0.000066), and "cached" always shows.
  await page.setViewportSize({ width: 1100, height: 900 });
  const badges = await page.getByTestId('cached-badge').evaluateAll((elements) =>
    elements.map((badge) => {
      const box = badge.getBoundingClientRect();
      const saved = badge.querySelector('.cached-saved')?.getBoundingClientRect();
      const isHidden = saved !== undefined && (saved.width === 0 || saved.top >= box.bottom);
      return { isCachedWhole: badge.scrollWidth <= badge.clientWidth, saved: saved === undefined ? 'none' : isHidden ? 'hidden' : saved.right <= box.right + 0.5 ? 'whole' : 'cut' };
    }),
  );
  expect(badges.every((badge) => badge.isCachedWhole && badge.saved !== 'cut'), JSON.stringify(badges)).toBe(true);
  expect(badges.some((badge) => badge.saved === 'hidden'), JSON.stringify(badges)).toBe(true);
  await page.setViewportSize({ width: 1440, height: 900 });
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, 'runs-cached-light.png') });

  // Maximized, the runs take the whole window: the four columns fit side by side, wider; back, the panels return.
  const widthBefore = (await runColumn(page, 'gpt-4o-mini').boundingBox())?.width ?? 0;
  await page.getByTestId('maximize-runs').click();
  await expect(page.getByTestId('prompt-row').first()).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Variables' })).toBeHidden();
  const viewport = page.viewportSize()?.width ?? 0;
  for (const model of ['gpt-4o-mini', 'claude-haiku-4-5', 'llama3.2:latest', 'qwen3:8b']) {
    const box = await runColumn(page, model).boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0), `${model} fits in the window`).toBeLessThanOrEqual(viewport);
    expect(box?.width ?? 0).toBeGreaterThan(widthBefore * 1.2);
  }
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, 'runs-maximized-light.png') });
  await page.getByTestId('maximize-runs').click();
  await expect(page.getByTestId('prompt-row').first()).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Variables' })).toBeVisible();
});
