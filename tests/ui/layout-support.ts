/**
 * Helpers for UI tests of layout and legibility: what is cut short, out of the window or
 * overlapping, whether a box scrolls sideways, and the contrast of text against what it is
 * drawn on.
 */

import { expect, type Locator, type Page } from '@playwright/test';

/** Switches the theme through the status bar and waits for it to apply. */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/**
 * What is wrong with how the elements `locator` finds show, each as "<what>: <problem>": cut
 * short (its text wider than its box), out of the window, hidden by an ancestor that clips
 * (scrolled out of a scrolling box sideways counts), past the edge of its closest `within` (a
 * selector), or wrapped when `isOneLine` (taller than one line of its text).
 */
export async function layoutProblems(locator: Locator, { isOneLine = false, within = '' } = {}): Promise<string[]> {
  return locator.evaluateAll(
    (elements, { oneLine, frame }) =>
      elements.flatMap((element) => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return [];
        const name = `${element.getAttribute('data-testid') ?? element.className}${element.textContent ? ` "${element.textContent.trim().slice(0, 40)}"` : ''}`;
        const view = element.ownerDocument.defaultView;
        const problems: string[] = [];
        if (element.scrollWidth > element.clientWidth + 1) problems.push(`${name}: cut short (${element.scrollWidth} > ${element.clientWidth})`);
        if (box.left < -0.5 || box.right > view.innerWidth + 0.5) problems.push(`${name}: outside the window (${Math.round(box.left)}–${Math.round(box.right)})`);
        for (let parent = element.parentElement; parent !== null; parent = parent.parentElement) {
          if (view.getComputedStyle(parent).overflowX === 'visible') continue;
          const clip = parent.getBoundingClientRect();
          if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
            problems.push(`${name}: clipped by ${parent.getAttribute('data-testid') ?? parent.className}`);
            break;
          }
        }
        const edge = frame === '' ? null : element.closest(frame)?.getBoundingClientRect();
        if (edge && (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)) problems.push(`${name}: past the edge of ${frame}`);
        const lineHeight = Number.parseFloat(view.getComputedStyle(element).lineHeight) || 18;
        if (oneLine && box.height > lineHeight * 1.6) problems.push(`${name}: wraps (${Math.round(box.height)} px tall)`);
        return problems;
      }),
    { oneLine: isOneLine, frame: within },
  );
}

/**
 * The pairs of elements `locator` finds whose boxes overlap (by more than a pixel each way), as
 * "<one> / <other>"; elements not shown are left out.
 */
export async function overlaps(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) => {
    const shown = elements
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0);
    const name = (element: (typeof elements)[number]) => `${element.getAttribute('data-testid') ?? element.className} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const found: string[] = [];
    for (let first = 0; first < shown.length; first += 1) {
      for (let second = first + 1; second < shown.length; second += 1) {
        const [a, b] = [shown[first], shown[second]];
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const width = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const height = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (width > 1 && height > 1) found.push(`${name(a.element)} / ${name(b.element)}`);
      }
    }
    return found;
  });
}

/**
 * The boxes inside `root` that scroll sideways (their content wider than they are) and are not
 * among `allowed` (a selector: a diff, a spreadsheet of cases), as "<what> (<content> > <box>)".
 */
export async function sidewaysScrollers(root: Locator, allowed: string): Promise<string[]> {
  return root.evaluate(
    (element, allowedSelector) =>
      [element, ...element.querySelectorAll('*')].flatMap((box) => {
        const overflow = box.ownerDocument.defaultView?.getComputedStyle(box).overflowX ?? 'visible';
        if (!['auto', 'scroll'].includes(overflow) || box.scrollWidth <= box.clientWidth + 1) return [];
        if (box.closest('.monaco-editor') !== null || (allowedSelector !== '' && box.matches(allowedSelector))) return [];
        return [`${box.getAttribute('data-testid') ?? box.className} (${box.scrollWidth} > ${box.clientWidth})`];
      }),
    allowed,
  );
}

/**
 * Text inside `root` cut short with an ellipsis that no tooltip gives whole (no `title` on it or
 * around it), as "<what> "<text>"". Fields, which scroll their own text, are left out.
 */
export async function untitledCuts(root: Locator): Promise<string[]> {
  return root.evaluate((element) =>
    [...element.querySelectorAll('*')].flatMap((box) => {
      const style = box.ownerDocument.defaultView?.getComputedStyle(box);
      if (!style || style.textOverflow !== 'ellipsis' || box.scrollWidth <= box.clientWidth + 1) return [];
      if (box.matches('input, select, textarea') || box.closest('[title], .monaco-editor') !== null) return [];
      return [`${box.getAttribute('data-testid') ?? box.className} "${(box.textContent ?? '').trim().slice(0, 40)}"`];
    }),
  );
}

/** Whether a scrolling box can scroll sideways. */
export async function scrollsSideways(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.scrollWidth > element.clientWidth + 1);
}

/** Whether the page itself can scroll sideways (the window is wider than the app's content may be). */
export async function pageScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1 || document.body.scrollWidth > document.body.clientWidth + 1');
}

/**
 * The contrast ratio of the text of each element `locator` finds against what it is drawn on, as
 * "<text>: <ratio>" (two decimals). The background is the first opaque one among its ancestors,
 * with any translucent ones between laid over it; translucent text, and the opacity of
 * ancestors, are blended in too. An element counts by its own text nodes (an input, select or
 * text area by the value it shows); one not shown, or with no text, is left out.
 */
export async function contrastRatios(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) => {
    const view = elements[0]?.ownerDocument.defaultView;
    if (!view) return [];
    const channels = (colour: string): number[] => {
      const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [];
      // color(srgb r g b / a) gives 0–1 channels; rgb() and rgba() give 0–255.
      return colour.startsWith('color(') ? [parts[0] * 255, parts[1] * 255, parts[2] * 255, parts[3] ?? 1] : [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    const over = (top: number[], alpha: number, bottom: number[]) => top.slice(0, 3).map((channel, index) => channel * alpha + bottom[index] * (1 - alpha));
    const luminance = ([red, green, blue]: number[]) => {
      const linear = (value: number) => {
        const channel = value / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
    };
    return elements.flatMap((element) => {
      const isShown = element.getClientRects().length > 0 && view.getComputedStyle(element).visibility === 'visible';
      const label = (
        element instanceof view.HTMLInputElement || element instanceof view.HTMLTextAreaElement
          ? element.value
          : element instanceof view.HTMLSelectElement
            ? (element.selectedOptions[0]?.text ?? '')
            : [...element.childNodes].filter((node) => node.nodeType === node.TEXT_NODE).map((node) => node.textContent).join(' ')
      )
        .trim()
        .replace(/\s+/g, ' ');
      if (!isShown || label === '') return [];
      const text = channels(view.getComputedStyle(element).color);
      const layers: number[][] = [];
      let opacity = 1;
      let base = [255, 255, 255];
      for (let node = element; node !== null; node = node.parentElement) {
        const style = view.getComputedStyle(node);
        opacity *= Number(style.opacity);
        const colour = channels(style.backgroundColor);
        if (colour[3] === 1) {
          base = colour.slice(0, 3);
          break;
        }
        if (colour[3] > 0) layers.push(colour);
      }
      const background = layers.reduceRight((below, layer) => over(layer, layer[3], below), base);
      const shown = over(text, text[3] * opacity, background);
      const [lighter, darker] = [luminance(shown), luminance(background)].sort((a, b) => b - a);
      return [`${label.slice(0, 60)}: ${((lighter + 0.05) / (darker + 0.05)).toFixed(2)}`];
    });
  });
}

/**
 * Every element inside `root` that shows text of its own (a text node of its own, or the value of
 * an input, select or text area), shown and not disabled (WCAG leaves inactive controls out).
 * Monaco's editors and charts' SVG draw their own text, in their own colours, and are left out.
 */
export function textIn(root: Locator): Locator {
  return root.locator(
    `xpath=.//*[not(ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " monaco-editor ") or local-name()="svg" or local-name()="option" or local-name()="datalist" or @disabled or @aria-hidden="true"])]` +
      `[text()[normalize-space()] or self::input[not(@type="checkbox" or @type="radio" or @type="range" or @type="file" or @type="hidden")] or self::select or self::textarea]`,
  );
}

/**
 * The contrast of a part `contrastRatios` cannot see, for each element `locator` finds, as
 * "<name>: <ratio>": its placeholder against the element's background, or its focus ring (its
 * outline, drawn outside it) against what is behind the element. `<name>` is the placeholder
 * text, or the element's test id.
 */
export async function partContrastRatios(locator: Locator, part: 'placeholder' | 'outline'): Promise<string[]> {
  return locator.evaluateAll(
    (elements, which) =>
      elements.map((element) => {
        const view = element.ownerDocument.defaultView!;
        const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
        const luminance = (rgb: number[]) =>
          rgb.slice(0, 3).reduce((sum, value, index) => {
            const channel = value / 255;
            return sum + [0.2126, 0.7152, 0.0722][index] * (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4);
          }, 0);
        // A placeholder is drawn on its own element; a ring outside it, on what is behind.
        let behind = [255, 255, 255];
        for (let node = which === 'outline' ? element.parentElement : element; node !== null; node = node.parentElement) {
          const colour = channels(view.getComputedStyle(node).backgroundColor);
          if (colour.length === 3 || colour[3] === 1) {
            behind = colour;
            break;
          }
        }
        const drawn = channels(which === 'outline' ? view.getComputedStyle(element).outlineColor : view.getComputedStyle(element, '::placeholder').color);
        const alpha = drawn[3] ?? 1;
        const shown = drawn.slice(0, 3).map((channel, index) => channel * alpha + behind[index] * (1 - alpha));
        const [lighter, darker] = [luminance(shown), luminance(behind)].sort((a, b) => b - a);
        const name = which === 'outline' ? element.getAttribute('data-testid') : element.getAttribute('placeholder');
        return `${name ?? ''}: ${((lighter + 0.05) / (darker + 0.05)).toFixed(2)}`;
      }),
    part,
  );
}

/** The texts of `contrastRatios` under 4.5:1 (WCAG AA for normal text). */
export function belowAa(ratios: string[]): string[] {
  return ratios.filter((ratio) => Number(ratio.split(': ').at(-1)) < 4.5);
}
