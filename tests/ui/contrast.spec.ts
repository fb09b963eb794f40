/**
 * The small text of the Prompts view reads at WCAG AA contrast (4.5:1) in both themes: the run
 * columns' figure labels, a message's length, the shortcut hints and the braces of variables;
 * the Model tab's field hints and the Versions tab's dates; the "~" that marks an estimate,
 * placeholders, and the primary button's focus ring at 3:1.
 */

import { expect, test } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startHost, type HostHandle } from './host';
import { belowAa, contrastRatios, partContrastRatios, textIn, useTheme } from './layout-support';
import { addRunTarget, openApp, openWorkspace, runColumn, setProviderUrl } from './ui-support';

let ollama: OllamaServer;
let host: HostHandle;

test.beforeAll(async () => {
  ollama = await startOllamaServer({});
  host = await startHost({});
});

test.afterAll(async () => {
  await host.stop();
  await ollama.close();
});

test('small text in the Prompts view reads at 4.5:1 or more, in both themes', async ({ page }) => {
  await openApp(page, host);
  await openWorkspace(page, 'settings');
  await setProviderUrl(page, 'Ollama', ollama.url);
  await openWorkspace(page, 'prompts');
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  await addRunTarget(page, 'Ollama', 'qwen3:8b');
  await page.getByTestId('run-button').click();
  await expect(runColumn(page, 'qwen3:8b')).toHaveAttribute('data-status', 'ok');
  await page.getByTestId('tab-variables').click();
  const small = page.locator(
    [
      '[data-testid="run-column"] .figure-label',
      '[data-testid="message-stats"]',
      '[data-testid="save-version"] kbd',
      '[data-testid="run-button"] kbd',
      '.variable-braces',
    ].join(', '),
  );
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    await page.mouse.move(0, 0);
    const ratios = await contrastRatios(small);
    expect(ratios.length, theme).toBeGreaterThanOrEqual(6 + 2 + 1 + 1 + 6);
    expect(belowAa(ratios), `${theme}: ${ratios.join(', ')}`).toEqual([]);
  }
});

test('the Model tab’s field hints and the Versions tab’s dates read at 4.5:1 or more, in both themes', async ({ page }) => {
  const own = await startHost({});
  try {
    await openApp(page, own);
    await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
    await page.getByTestId('tab-model').click();
    // JSON schema shows every hint the tab has: the schema's, its name's and the format's own.
    await page.getByTestId('response-format').selectOption({ label: 'JSON schema' });
    const hints = page.getByTestId('model-panel').locator('.field-hint');
    await expect(hints.filter({ hasText: 'JSON held to the schema' })).toBeVisible();
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      const ratios = await contrastRatios(textIn(page.getByTestId('model-panel')));
      expect((await contrastRatios(hints)).length, theme).toBeGreaterThanOrEqual(5);
      expect(belowAa(ratios), `${theme}: ${ratios.join(', ')}`).toEqual([]);
    }
    await page.getByTestId('tab-versions').click();
    const dates = page.getByTestId('versions-panel').locator('.version-date');
    await expect(dates.first()).toBeVisible();
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await page.mouse.move(0, 0);
      const ratios = await contrastRatios(textIn(page.getByTestId('versions-panel')));
      expect((await contrastRatios(dates)).length, theme).toBeGreaterThanOrEqual(1);
      expect(belowAa(ratios), `${theme}: ${ratios.join(', ')}`).toEqual([]);
    }
  } finally {
    await own.stop();
  }
});

test('the "~" of an estimate and the Run button’s focus ring stand out, in both themes', async ({ page }) => {
  const own = await startHost({});
  try {
    await openApp(page, own);
    await openWorkspace(page, 'settings');
    await setProviderUrl(page, 'Ollama', ollama.url);
    await openWorkspace(page, 'prompts');
    await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
    await addRunTarget(page, 'Ollama', 'qwen3:8b');
    // A stream cut short: its figures stay the local tokenizer's estimates, each marked "~".
    ollama.script({ fault: { kind: 'cut', afterChunks: 3 } });
    await page.getByTestId('run-button').click();
    const column = runColumn(page, 'qwen3:8b');
    await expect(column).toHaveAttribute('data-status', 'error');
    const marks = column.locator('.estimate-mark');
    await expect(marks.first()).toBeVisible();

    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      const ratios = await contrastRatios(marks);
      expect(ratios.length, theme).toBeGreaterThanOrEqual(3);
      expect(belowAa(ratios), `${theme}: ${ratios.join(', ')}`).toEqual([]);
      await page.getByTestId('run-button').focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      // The ring is on the button's outside, against what is behind it (WCAG's 3:1 for what is not text).
      expect(await page.getByTestId('run-button').evaluate((button) => button.matches(':focus-visible')), theme).toBe(true);
      const [ring] = await partContrastRatios(page.getByTestId('run-button'), 'outline');
      expect(Number(ring.split(': ')[1]), `${theme}: ${ring}`).toBeGreaterThanOrEqual(3);
    }
  } finally {
    await own.stop();
  }
});

test('placeholders read at 4.5:1 in both themes, before anything is typed', async ({ page }) => {
  await openApp(page, host);
  await page.getByTestId('prompt-row').filter({ hasText: 'Customer support' }).click();
  // The library's search box and the prompt's description: inputs whose placeholder is all they show.
  const inputs = page.locator('[data-testid="library-search"], [data-testid="prompt-description"]');
  await page.getByTestId('prompt-description').fill('');
  await expect(inputs).toHaveCount(2);
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    const ratios = await partContrastRatios(inputs, 'placeholder');
    expect(ratios.length, theme).toBe(2);
    expect(belowAa(ratios), `${theme}: ${ratios.join(', ')}`).toEqual([]);
  }
});
