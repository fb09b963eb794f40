/**
 * The small text of the Prompts view reads at WCAG AA contrast (4.5:1) in both themes: the run
 * columns' figure labels, a message's length, the shortcut hints and the braces of variables.
 */

import { expect, test } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startHost, type HostHandle } from './host';
import { belowAa, contrastRatios, useTheme } from './layout-support';
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
