/**
 * The small text of the Prompts view reads at WCAG AA contrast (4.5:1) in both themes: the run
 * columns' figure labels, a message's length, the shortcut hints and the braces of variables.
 */

import { expect, test, type Locator, type Page } from '@playwright/test';
import { startOllamaServer, type OllamaServer } from '../fixtures/ollama-server';
import { startHost, type HostHandle } from './host';
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

/**
 * The contrast ratio of each element's text against the background it is drawn on (the first
 * ancestor's opaque background colour), rounded to two decimals, as "<text>: <ratio>".
 */
async function contrastRatios(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) => {
    const view = elements[0]?.ownerDocument.defaultView;
    const channels = (colour: string): number[] => {
      const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [];
      // color(srgb r g b / a) gives 0–1 channels; rgb() and rgba() give 0–255.
      return colour.startsWith('color(') ? [parts[0] * 255, parts[1] * 255, parts[2] * 255, parts[3] ?? 1] : [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    const luminance = ([red, green, blue]: number[]) => {
      const linear = (value: number) => {
        const channel = value / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
    };
    return elements.map((element) => {
      const text = channels(view.getComputedStyle(element).color);
      let background = [255, 255, 255, 1];
      for (let node = element; node !== null; node = node.parentElement) {
        const colour = channels(view.getComputedStyle(node).backgroundColor);
        if (colour[3] === 1) {
          background = colour;
          break;
        }
      }
      // A translucent text colour is blended over its background first.
      const blended = text.slice(0, 3).map((channel, index) => channel * text[3] + background[index] * (1 - text[3]));
      const [lighter, darker] = [luminance(blended), luminance(background)].sort((a, b) => b - a);
      return `${element.textContent.trim()}: ${((lighter + 0.05) / (darker + 0.05)).toFixed(2)}`;
    });
  });
}

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

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
    expect(ratios.filter((ratio) => Number(ratio.split(': ').at(-1)) < 4.5), `${theme}: ${ratios.join(', ')}`).toEqual([]);
  }
});
