/**
 * Narrow windows (700 and 900 px wide, both themes): the Prompts view and Settings keep every
 * part whole and inside the window, with nothing to scroll sideways but the run columns. Takes
 * screenshots of both for docs/screenshots/.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { makeTempDir, startHost, type HostHandle } from './host';
import { layoutProblems, scrollsSideways, useTheme } from './layout-support';
import { addRunTarget, openApp, openWorkspace, providerCard, runColumn, setProviderUrl } from './ui-support';

const SHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const REPO_PROMPTS = path.resolve(import.meta.dirname, '..', '..', 'prompts');

let openai: OpenAiServer;
let ollama: OllamaServer;
let host: HostHandle;

test.beforeAll(async () => {
  openai = await startOpenAiServer({});
  ollama = await startOllamaServer({});
  const promptsDir = makeTempDir('narrow');
  fs.cpSync(REPO_PROMPTS, promptsDir, { recursive: true });
  host = await startHost({ promptsDir, env: { OPENAI_API_KEY: 'test-openai-key' } });
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await host.stop();
  await Promise.all([openai.close(), ollama.close()]);
});

async function settle(page: Page) {
  await page.waitForTimeout(300);
  await page.mouse.move(0, 0);
}

/** Points a provider at a fixture, unless an earlier test did. */
async function pointAt(page: Page, label: string, url: string) {
  if ((await providerCard(page, label).getByTestId('provider-url').inputValue()) !== url) await setProviderUrl(page, label, url);
}

/** Whether `docs/screenshots/` gets a picture of this width and theme (a few are enough). */
function isPhotographed(width: number, theme: 'light' | 'dark'): boolean {
  return width === 700 || theme === 'light';
}

const WIDTHS = [700, 900];

test('the Prompts view at 700 and 900 px, in both themes', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await pointAt(page, 'OpenAI', openai.baseUrl);
  await pointAt(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  // A model Ollama does not have fails at once: its column shows "Failed".
  await addRunTarget(page, 'Ollama', 'llama-3.3-70b-versatile');
  await addRunTarget(page, 'Ollama', 'qwen3:8b');
  await addRunTarget(page, 'OpenAI', 'gpt-4o-mini');
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'qwen3:8b')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'gpt-4o-mini')).toHaveAttribute('data-status', 'ok');
  await expect(runColumn(page, 'llama-3.3-70b-versatile')).toHaveAttribute('data-status', 'error');
  // Opened again, the comparison says when it ran, the longest part of its header.
  await page.reload();
  await openApp(page, host);
  await expect(page.getByTestId('batch-ran-at')).toHaveText(/^ran /);

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      const failed = runColumn(page, 'llama-3.3-70b-versatile');
      const problems = [
        ...(await layoutProblems(page.getByTestId('prompt-title'))),
        ...(await layoutProblems(page.getByTestId('save-version'), { isOneLine: true })),
        ...(await layoutProblems(page.getByTestId('message-stats'), { isOneLine: true })),
        ...(await layoutProblems(page.getByTestId('target-model'))),
        ...(await layoutProblems(page.locator('[data-testid="runs-toolbar"] > :not(.target-chips), [data-testid="target-chip"]'))),
        ...(await layoutProblems(page.locator('[data-testid="batch-header"] > *'), { isOneLine: true })),
        ...(await layoutProblems(failed.getByTestId('run-status'), { isOneLine: true })),
        ...(await layoutProblems(failed.locator('.figure-label, [data-testid="figure-value"]'))),
        ...(await layoutProblems(page.getByRole('tab'), { within: '[data-testid="right-panel"]' })),
        ...(await layoutProblems(page.locator('.prompt-row-name, .variable-name'))),
      ];
      expect(problems, `Prompts at ${width} px, ${theme}`).toEqual([]);
      expect(await page.getByTestId('prompt-title').innerText()).toBe('Customer support');
      // The editor keeps room to write in.
      expect((await page.getByTestId('message-block').first().boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(width === 700 ? 340 : 500);
      if (isPhotographed(width, theme)) {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-prompts-${theme}-${width}.png`) });
      }
    }
  }
});

test('Settings at 700 and 900 px, in both themes', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await pointAt(page, 'Ollama', ollama.url);
  const ollamaCard = providerCard(page, 'Ollama');
  await ollamaCard.getByTestId('provider-test').click();
  await expect(ollamaCard.getByTestId('model-row')).toHaveCount(2);

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 850 });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await ollamaCard.scrollIntoViewIfNeeded();
      const problems = [
        ...(await layoutProblems(page.locator('.settings-index > *'), { isOneLine: true })),
        ...(await layoutProblems(page.locator('.provider-card-header > *'), { isOneLine: true })),
        ...(await layoutProblems(ollamaCard.getByTestId('model-add-target'), { isOneLine: true, within: '[data-testid="provider-card"]' })),
        ...(await layoutProblems(ollamaCard.locator('[data-testid="model-row"] td'), { within: '[data-testid="provider-card"]' })),
        ...(await layoutProblems(page.locator('[data-testid="price-row"]:nth-child(-n + 12) td'))),
        ...(await layoutProblems(page.getByTestId('new-price-row').locator('td'))),
      ];
      expect(problems, `Settings at ${width} px, ${theme}`).toEqual([]);
      expect(await scrollsSideways(page.locator('.settings-body')), `Settings at ${width} px scroll sideways`).toBe(false);
      if (isPhotographed(width, theme)) {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-settings-${theme}-${width}.png`) });
      }
      // Each price shows whole, its column's name with it when the rows are stacked.
      const firstPrice = page.getByTestId('price-row').first();
      await firstPrice.scrollIntoViewIfNeeded();
      for (const name of ['price-input', 'price-output', 'price-cached', 'price-source', 'price-edit']) await expect(firstPrice.getByTestId(name)).toBeInViewport({ ratio: 1 });
      if (width === 700 && theme === 'light') {
        await settle(page);
        await page.screenshot({ path: path.join(SHOTS, `narrow-prices-${theme}-${width}.png`) });
      }
    }
  }
});
