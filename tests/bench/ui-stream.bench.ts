/**
 * UI streaming: six columns, each streaming 2,000 tokens as fast as a local OpenAI-protocol
 * fixture sends them, through the built browser host into the real renderer in Chromium.
 *
 * Prints what a user would feel: long tasks over 50 ms (PerformanceObserver 'longtask'),
 * dropped frames (gaps between requestAnimationFrame callbacks), and the time from the last
 * token of each stream leaving the server to it being on screen, split into the engine's share
 * (server to page) and the renderer's (page to painted frame). Two loads: a burst (every token
 * written at once) and a pace of one token per millisecond per column, faster than any real
 * model, which keeps deltas arriving every frame in every column. Figures only, no assertions.
 *
 * Needs `npm run build` first (it serves dist/) and Chromium (`CHROMIUM_PATH`, default
 * /usr/bin/chromium). Diagnostics: BENCH_GAPS=1 lists when each late frame fell; BENCH_TRACE=1
 * records a Chromium trace of each pass and prints the main-thread tasks longer than a
 * frame with what they spent it on (layout, paint, script, GC); BENCH_PROFILE=1 samples script.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { startOpenAiServer, type OpenAiServer } from '../fixtures/openai-server';
import { cleanUp, heading, makeTempDir, ms, percentile, row } from './bench-support';

const COLUMNS = 6;
const TOKENS = 2000;
const KEY = 'bench-key';
const MODELS = Array.from({ length: COLUMNS }, (_, index) => `bench-model-${index + 1}`);
/** How many times the paced load runs (its figures vary from run to run on a busy machine). */
const PACED_PASSES = Number(process.env.BENCH_PACED_PASSES ?? 3);
/** One frame at 60 Hz. */
const FRAME_MS = 1000 / 60;

const root = process.cwd();
// Loaded at run time, not bundled: Playwright finds its own files relative to itself.
const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** When the server wrote each stream's last token (epoch ms), by stream number. */
const lastTokenSentAt = new Map<number, number>();

/** Notes when a response carries a stream's end marker: the moment its last token leaves the server. */
function watchServerWrites(): void {
  const write = http.ServerResponse.prototype.write;
  http.ServerResponse.prototype.write = function patchedWrite(this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string') {
      const match = /ENDMARK(\d+)/.exec(chunk);
      if (match && !lastTokenSentAt.has(Number(match[1]))) lastTokenSentAt.set(Number(match[1]), Date.now());
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
}

function streamTokens(stream: number): string[] {
  return [...Array.from({ length: TOKENS - 1 }, (_, index) => (index % 12 === 11 ? ' word.\n' : ` w${index}`)), ` ENDMARK${stream}`];
}

async function startHost(): Promise<{ url: string; child: ChildProcess }> {
  const entry = path.join(root, 'dist', 'electron', 'web.cjs');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run 'npm run build' first`);
  const promptsDir = makeTempDir();
  const child = spawn(process.execPath, [entry, '--port', '0'], {
    cwd: root,
    env: { ...process.env, WORKBENCH_DATA_DIR: makeTempDir(), WORKBENCH_PROMPTS_DIR: promptsDir, OPENAI_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
    if (match) return { url: match[1], child };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`The host did not start:\n${output}`);
}

/** Points OpenAI at the fixture and sets up a prompt with six model columns, through the UI. */
async function prepare(page: Page, server: OpenAiServer): Promise<void> {
  await page.getByTestId('connection-status').filter({ hasText: 'Connected' }).waitFor();
  await page.getByTestId('nav-settings').click();
  const card = page.locator('[data-testid="provider-card"][data-provider="OpenAI"]');
  await card.getByTestId('provider-url').fill(server.baseUrl);
  await card.getByTestId('provider-save').click();
  await card.getByTestId('provider-message').filter({ hasText: 'Saved' }).waitFor();
  await page.getByTestId('nav-prompts').click();
  await page.getByTestId('new-prompt').click();
  await page.getByTestId('new-prompt-name').fill('Stream bench');
  await page.keyboard.press('Enter');
  await page.getByTestId('prompt-title').filter({ hasText: 'Stream bench' }).waitFor();
  await page.getByTestId('message-block').first().locator('.view-lines').click();
  await page.keyboard.type('Write two thousand words.');
  await page.getByTestId('draft-status').filter({ hasText: 'Draft saved' }).waitFor();
  for (const model of MODELS) {
    await page.getByTestId('add-model').click();
    await page.getByTestId('picker-provider').selectOption({ label: 'OpenAI' });
    await page.getByTestId('picker-model').fill(model);
    await page.getByTestId('picker-model').press('Enter');
    await page.locator(`[data-testid="target-chip"][data-model="${model}"]`).waitFor();
    await page.getByTestId('picker-model').press('Escape');
  }
  // Every pass sends its requests: the cache would answer the second at once.
  await page.getByTestId('bypass-cache').check();
}

/**
 * The in-page probe: frame times (requestAnimationFrame), long tasks, and when each stream's end
 * marker reached the DOM and the frame after (when it is on screen). Plain JavaScript in a
 * string: it runs in the page, and this file compiles without the DOM library.
 */
const PROBE = `(() => {
  const probe = { frames: [], longTasks: [], endSeen: {}, endPainted: {}, isRunning: true };
  globalThis.__probe = probe;
  const onFrame = (time) => {
    probe.frames.push(time);
    if (probe.isRunning) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask' });
  new MutationObserver((records) => {
    for (const record of records) {
      // Only the changed text is read: the whole output would cost more than what is measured.
      const texts = record.type === 'characterData' ? [record.target.data] : [...record.addedNodes].map((node) => node.textContent || '');
      for (const text of texts) {
        const match = /ENDMARK(\\d+)\\s*$/.exec(text.slice(-16));
        if (!match || probe.endSeen[match[1]] !== undefined) continue;
        const stream = match[1];
        probe.endSeen[stream] = performance.now();
        // Text is written in a frame's rAF callback, and that frame paints it; the next frame's
        // callback runs once it has been painted (an upper bound, by at most a frame).
        requestAnimationFrame(() => (probe.endPainted[stream] = performance.now()));
      }
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/**
 * Installed before the app loads: when each stream's end marker arrived over the bridge's
 * WebSocket, so the engine's share of the latency can be told from the renderer's.
 */
const SOCKET_PROBE = `(() => {
  globalThis.__endArrived = {};
  const original = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message') return original.call(this, type, listener, options);
    return original.call(this, type, (event) => {
      if (typeof event.data === 'string' && event.data.includes('ENDMARK')) {
        const match = /ENDMARK(\\d+)/.exec(event.data);
        if (match && globalThis.__endArrived[match[1]] === undefined) globalThis.__endArrived[match[1]] = performance.now();
      }
      return listener.call(this, event);
    }, options);
  };
})()`;

/** Stops the probe and returns what it saw. */
const COLLECT = `(() => {
  const probe = globalThis.__probe;
  probe.isRunning = false;
  return { frames: probe.frames, longTasks: probe.longTasks, endPainted: probe.endPainted, endArrived: globalThis.__endArrived, timeOrigin: performance.timeOrigin };
})()`;

interface PassResult {
  wallMs: number;
  frames: number[];
  longTasks: { start: number; duration: number }[];
  endPainted: Record<string, number>;
  endArrived: Record<string, number>;
  timeOrigin: number;
  deltaEvents: number;
}

async function runPass(page: Page, server: OpenAiServer, pass: number, chunkDelayMs: number, deltaCounter: { count: number }): Promise<PassResult> {
  lastTokenSentAt.clear();
  server.script(...MODELS.map((_, index) => ({ reply: { tokens: streamTokens(pass * 10 + index + 1), chunkDelayMs } })));
  await page.evaluate(PROBE);
  deltaCounter.count = 0;
  const columns = page.getByTestId('run-column');
  const snapshot = () => columns.evaluateAll((items) => items.map((item) => ({ id: item.getAttribute('data-run-id'), status: item.getAttribute('data-status') })));
  const previous = new Set((await snapshot()).map((item) => item.id));
  const started = Date.now();
  // Run the way a user does, with the keyboard: Playwright's click checks its target from
  // inside the page (bounding boxes, hit tests), forcing a layout the probe would count against the app.
  await page.keyboard.press('Control+Enter');
  // Polled from here (one atomic read of every column): the page's strict CSP forbids the
  // string predicates of waitForFunction.
  for (;;) {
    const now = await snapshot();
    if (now.length === COLUMNS && now.every((item) => !previous.has(item.id) && item.status === 'ok')) break;
    if (Date.now() - started > 120_000) throw new Error('The six streams did not finish within 2 minutes');
    await page.waitForTimeout(50);
  }
  const wallMs = Date.now() - started;
  await page.waitForTimeout(300);
  const probe = (await page.evaluate(COLLECT)) as Omit<PassResult, 'wallMs' | 'deltaEvents'>;
  return { wallMs, ...probe, deltaEvents: deltaCounter.count };
}

/** The share of frames (percent) dropped while the page sits still for `durationMs`, its probe running. */
async function idleDroppedShare(page: Page, durationMs: number): Promise<number> {
  await page.evaluate(PROBE);
  await page.waitForTimeout(durationMs);
  const { frames } = (await page.evaluate(COLLECT)) as { frames: number[] };
  return droppedFrames(frames).share;
}

/** Frames missed between rAF callbacks at 60 Hz, and their share of all frames, in percent. */
function droppedFrames(frames: readonly number[]): { dropped: number; share: number } {
  const dropped = frames.slice(1).reduce((sum, time, index) => sum + Math.max(0, Math.round((time - frames[index]) / FRAME_MS) - 1), 0);
  return { dropped, share: (100 * dropped) / Math.max(1, dropped + frames.length) };
}

/** Prints a pass; returns its share of dropped frames, in percent. */
function report(label: string, result: PassResult, pass: number): number {
  heading(label);
  const gaps = result.frames.slice(1).map((time, index) => time - result.frames[index]);
  const { dropped, share: droppedShare } = droppedFrames(result.frames);
  const longTotal = result.longTasks.reduce((sum, task) => sum + task.duration, 0);
  row('columns x tokens', `${COLUMNS} x ${TOKENS}`);
  row('from Run to all six done', ms(result.wallMs));
  row('run:delta events received', String(result.deltaEvents));
  row('animation frames', String(result.frames.length));
  row('dropped frames (rAF gaps, at 60 Hz)', `${dropped} (${droppedShare.toFixed(1)}%)`);
  row('frame interval p50 / p95 / max', `${ms(percentile(gaps, 0.5))} / ${ms(percentile(gaps, 0.95))} / ${ms(Math.max(0, ...gaps))}`);
  if (process.env.BENCH_GAPS === '1') {
    // Where in the pass each late frame fell (ms after its first frame), to tell start-up costs from steady ones.
    const late = gaps.flatMap((gap, index) => (gap > FRAME_MS * 1.5 ? [`${(result.frames[index] - result.frames[0]).toFixed(0)}:${gap.toFixed(0)}`] : []));
    row('late frames (at ms: gap ms)', late.join(' ') || 'none');
  }
  row('long tasks over 50 ms', `${result.longTasks.length} (total ${ms(longTotal)}, longest ${ms(Math.max(0, ...result.longTasks.map((task) => task.duration)))})`);
  const total: number[] = [];
  const engine: number[] = [];
  const renderer: number[] = [];
  for (let index = 1; index <= COLUMNS; index += 1) {
    const stream = String(pass * 10 + index);
    const sent = lastTokenSentAt.get(Number(stream));
    const painted = result.endPainted[stream];
    const arrived = result.endArrived[stream];
    if (sent === undefined || painted === undefined) continue;
    total.push(result.timeOrigin + painted - sent);
    if (arrived !== undefined) {
      engine.push(result.timeOrigin + arrived - sent);
      renderer.push(painted - arrived);
    }
  }
  const spread = (values: number[]) => (values.length === 0 ? 'not measured' : `${ms(percentile(values, 0.5))} / ${ms(Math.max(...values))}`);
  row('last token: server -> on screen, p50 / max', `${spread(total)} (${total.length} streams)`);
  row('  of which engine and socket (server -> page)', spread(engine));
  row('  of which renderer (page -> painted frame)', spread(renderer));
  return droppedShare;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** With BENCH_PROFILE=1: samples the page's main thread (CDP) and prints where its time went. */
async function startProfile(page: Page): Promise<() => Promise<void>> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return async () => {
    const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[] } };
    const total = profile.samples.length;
    const byName = new Map<string, number>();
    for (const node of profile.nodes) {
      const name = `${node.callFrame.functionName || '(anonymous)'} ${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber}`;
      byName.set(name, (byName.get(name) ?? 0) + (node.hitCount ?? 0));
    }
    heading('main thread, paced pass: top self time');
    for (const [name, hits] of [...byName].sort((left, right) => right[1] - left[1]).slice(0, 18)) row(name.slice(0, 46), `${((100 * hits) / total).toFixed(1)}%`);
  };
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string }; beginData?: { dirtyObjects?: number; totalObjects?: number; partialLayout?: boolean } };
}

/**
 * With BENCH_TRACE=1: prints each task on the page's main thread that took longer than a frame,
 * with what it spent its time on (Chromium's own trace events), to tell layout from script.
 */
async function traced<T>(browser: Browser, page: Page, run: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_TRACE !== '1') return run();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8'] });
  const result = await run();
  const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  const onMain = events.filter((event) => main !== undefined && event.pid === main.pid && event.tid === main.tid && event.ph === 'X' && event.dur !== undefined);
  const first = Math.min(...onMain.map((event) => event.ts));
  const tasks = onMain.filter((event) => event.name === 'RunTask' && (event.dur ?? 0) > FRAME_MS * 1000);
  const total = (name: string) => onMain.filter((event) => event.name === name).reduce((sum, event) => sum + (event.dur ?? 0), 0) / 1000;
  heading(`main-thread tasks over one frame: ${tasks.length}; in all: layout ${total('Layout').toFixed(0)} ms, paint ${total('Paint').toFixed(0)} ms, style ${total('UpdateLayoutTree').toFixed(0)} ms, script ${total('FunctionCall').toFixed(0)} ms`);
  for (const task of tasks.slice(0, 12)) {
    const inside = onMain.filter((event) => event !== task && event.ts >= task.ts && event.ts + (event.dur ?? 0) <= task.ts + (task.dur ?? 0));
    const byName = new Map<string, number>();
    for (const event of inside) {
      const label = event.name === 'FunctionCall' ? `FunctionCall ${event.args?.data?.functionName ?? ''}` : event.name;
      byName.set(label, (byName.get(label) ?? 0) + (event.dur ?? 0));
    }
    const top = [...byName].sort((left, right) => right[1] - left[1]).slice(0, 6);
    const layouts = inside.filter((event) => event.name === 'Layout').map((event) => `${event.args?.beginData?.dirtyObjects}/${event.args?.beginData?.totalObjects}${event.args?.beginData?.partialLayout ? 'p' : ''}`);
    if (layouts.length > 0) top.push([`layout objects dirty/total ${layouts.join(' ')}`, 0]);
    row(`at ${((task.ts - first) / 1000).toFixed(0)} ms, ${((task.dur ?? 0) / 1000).toFixed(1)} ms`, top.map(([name, dur]) => `${name} ${(dur / 1000).toFixed(1)}`).join(', '));
  }
  return result;
}

async function main(): Promise<void> {
  watchServerWrites();
  const server = await startOpenAiServer({ apiKey: KEY, models: MODELS });
  const host = await startHost();
  const { chromium } = requireFromRoot('@playwright/test') as typeof import('@playwright/test');
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const deltaCounter = { count: 0 };
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => {
        if (typeof frame.payload === 'string' && frame.payload.includes('"run:delta"')) deltaCounter.count += 1;
      });
    });
    await page.addInitScript(SOCKET_PROBE);
    await page.goto(host.url);
    await prepare(page, server);
    console.log(`Six columns streaming ${TOKENS} tokens each from a local fixture as fast as it writes; Chromium ${browser.version()}.`);
    report('burst, first pass (cold): every token written at once', await traced(browser, page, () => runPass(page, server, 1, 0, deltaCounter)), 1);
    // From here the columns get the whole centre, as someone watching six streams would have it.
    await page.getByTestId('maximize-runs').click();
    report('burst, second pass (warm)', await traced(browser, page, () => runPass(page, server, 2, 0, deltaCounter)), 2);
    const profiler = process.env.BENCH_PROFILE === '1' ? await startProfile(page) : null;
    const droppedShares: number[] = [];
    for (let pass = 3; pass < 3 + PACED_PASSES; pass += 1) {
      const result = await traced(browser, page, () => runPass(page, server, pass, 1, deltaCounter));
      droppedShares.push(report(`paced ${pass - 2} of ${PACED_PASSES}: a token every ~1 ms per column (~6,000 tokens/s in all)`, result, pass));
    }
    if (profiler) await profiler();
    // The control: the same page for as long as a paced pass, nothing streaming. What it drops
    // is the machine's (the fixture, the host and Chromium share two cores), not the streams'.
    const idleShares: number[] = [];
    for (let pass = 0; pass < PACED_PASSES; pass += 1) idleShares.push(await idleDroppedShare(page, 3000));
    heading('paced passes together');
    row('dropped frames, median / worst pass', `${percentile(droppedShares, 0.5).toFixed(1)}% / ${Math.max(...droppedShares).toFixed(1)}%`);
    row('control: nothing streaming, 3 s, median / worst', `${percentile(idleShares, 0.5).toFixed(1)}% / ${Math.max(...idleShares).toFixed(1)}%`);
    console.log('\n  Note: the fixture, the host and Chromium share this machine; on few cores their contention shows up as dropped frames.');
  } finally {
    await browser?.close();
    host.child.kill('SIGTERM');
    await server.close();
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
