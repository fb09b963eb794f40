/**
 * Runs that cannot go well: each failure is stored with a message a person can act on, or the
 * batch is refused before anything is sent; a failing cell never stops the others.
 */

import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { systemClock, type Clock } from '../../../../electron/core/providers/clock';
import { formatBudgetUsd, formatUsd } from '../../../../shared/cost';
import type { Fault } from '../../../fixtures/fault-injection';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { addAnthropic, addCompatible, addOllama, addOpenAi, CallFailure, createPrompt, startWorkbench } from './run-harness';

/** A loopback URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('failing runs', () => {
  test('a stream cut mid-answer keeps the partial output, with status error and estimated usage', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    server.script({ fault: { kind: 'cut', afterChunks: 3 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const run = await workbench.runDone(started.cells[0].runId);
    expect({
      status: run.status,
      output: run.output,
      errorKind: run.errorKind,
      error: run.error,
      isEstimated: run.usage.isEstimated,
      inputTokens: run.usage.inputTokens,
      outputTokens: run.usage.outputTokens,
      isCostKnown: typeof run.costUsd === 'number' && run.costUsd > 0,
    }).toStrictEqual({
      status: 'error',
      output: 'Hello, side',
      errorKind: 'stream',
      error: expect.stringMatching(/^OpenAI's stream broke after 3 chunks of output: OpenAI closed the connection before the response finished/),
      isEstimated: true,
      inputTokens: started.cells[0].estimatedInputTokens,
      outputTokens: 3,
      isCostKnown: true,
    });
    expect(workbench.streamedText(run.id)).toBe('Hello, side');
    expect(await workbench.call('runs:get', { id: run.id })).toStrictEqual(run);
  });

  test('a stream that stalls after it began ends, once the stall limit passed, as an error that says so and keeps the partial answer', async () => {
    // A short stall limit stands in for Ollama's minutes; the fixture stops sending after two tokens and keeps the connection open.
    const workbench = startWorkbench({ resilience: { retry: { maxRetries: 0 }, timeouts: { stallMs: 300 } } });
    const { server, providerId } = await addOllama(workbench);
    server.script({ fault: { kind: 'stall', afterChunks: 2 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2' }] });
    const run = await workbench.runDone(started.cells[0].runId);
    expect([run.status, run.errorKind, run.error, run.output, run.usage.isEstimated, server.requestsTo('/api/chat').length]).toStrictEqual([
      'error',
      'timeout',
      'Ollama sent nothing for 0.3 s after the answer began: the stream stalled; the partial answer is kept',
      'Hello,',
      true,
      1,
    ]);
    await server.waitForClientDisconnects(1);
  });

  test('a provider’s own time limits are what its runs wait against and say, from the run after they were set; emptied, its kind’s come back', async () => {
    // The engine's limits are its kinds' defaults here (5 min for Ollama): only the provider's settings can make them short.
    const workbench = startWorkbench();
    const { server, providerId } = await addOllama(workbench);
    const promptId = await createPrompt(workbench);
    const run = async (fault?: Fault) => {
      if (fault !== undefined) server.script({ fault });
      const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2' }], bypassCache: true });
      const record = await workbench.runDone(started.cells[0].runId);
      return [started.cells[0].firstOutputLimitMs, record.status, record.error, record.output];
    };
    const setLimits = (limits: { firstOutputLimit?: string | null; stallLimit?: string | null }) => workbench.call('providers:save', { id: providerId, kind: 'ollama', label: 'Ollama', ...limits });

    await setLimits({ firstOutputLimit: '1s', stallLimit: '2' });
    // A server that takes 20 s to start its answer, and one that stops after two tokens and holds the connection open.
    const slowStart = await run({ kind: 'slow-first-byte', delayMs: 20_000 });
    const stalled = await run({ kind: 'stall', afterChunks: 2 });
    await setLimits({ firstOutputLimit: '', stallLimit: null });
    const unset = await run();
    expect({ slowStart, stalled, unset }).toStrictEqual({
      slowStart: [1000, 'error', 'Ollama sent no output within 1 s', ''],
      stalled: [1000, 'error', 'Ollama sent nothing for 2 s after the answer began: the stream stalled; the partial answer is kept', 'Hello,'],
      unset: [300_000, 'ok', null, expect.any(String)],
    });
    await server.waitForClientDisconnects(2);
  });

  test('an OpenAI-compatible endpoint out on the internet runs under a cloud API’s default time limits, one on this machine under a local server’s', async () => {
    // The real clock, with the timers the runs set written down: what each run waited against.
    const timers: number[] = [];
    const clock: Clock = { ...systemClock, setTimer: (ms, callback) => (timers.push(ms), systemClock.setTimer(ms, callback)) };
    const workbench = startWorkbench({ resilience: { retry: { maxRetries: 0 }, clock } });
    const local = await addCompatible(workbench);
    // A host out on the internet by its name, as OpenRouter's or Groq's is; this process resolves
    // that one name to a fixture on 127.0.0.1, so nothing leaves the machine, not even a DNS query.
    const hosted = await startOpenAiServer({ apiKey: null, models: ['meta-llama/llama-3.3-70b-instruct'] });
    const hostedName = 'llm.hosted.invalid';
    const realLookup = dns.lookup;
    const lookup = (hostname: string, options: unknown, callback?: unknown): void => {
      if (hostname !== hostedName) return (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
      const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
      const isAll = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
      process.nextTick(() => (isAll ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
    };
    (dns as { lookup: unknown }).lookup = lookup;
    try {
      const remote = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Hosted', baseUrl: `http://${hostedName}:${new URL(hosted.baseUrl).port}/v1` });
      const promptId = await createPrompt(workbench);
      const run = async (providerId: number, model: string) => {
        timers.length = 0;
        const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model }], bypassCache: true });
        const record = await workbench.runDone(started.cells[0].runId);
        // The total limit is set first, then the first-token limit; a stall limit once the answer began.
        return { said: started.cells[0].firstOutputLimitMs, status: record.status, timers: [...new Set(timers)] };
      };
      expect({ remote: await run(remote.id, 'meta-llama/llama-3.3-70b-instruct'), local: await run(local.providerId, 'qwen2.5-7b-instruct') }).toStrictEqual({
        remote: { said: 180_000, status: 'ok', timers: [900_000, 180_000, 120_000] },
        // A local server’s stall limit is its first-token limit, 5 min: one entry.
        local: { said: 300_000, status: 'ok', timers: [1_800_000, 300_000] },
      });
      expect(hosted.requestsTo('/v1/chat/completions')).toHaveLength(1);
    } finally {
      (dns as { lookup: unknown }).lookup = realLookup;
      await hosted.close();
    }
  });

  test('unreachable provider, rejected key and unknown model are each stored with a clear error; the good cell finishes', async () => {
    const workbench = startWorkbench();
    const good = await addOpenAi(workbench);
    const unreachableUrl = await closedPortUrl();
    const unreachable = await workbench.call('providers:save', { kind: 'openai', label: 'Down', baseUrl: `${unreachableUrl}/v1`, apiKey: 'sk-whatever' });
    const wrongKey = await workbench.call('providers:save', { kind: 'anthropic', label: 'Wrong key', baseUrl: (await addAnthropic(workbench)).server.baseUrl, apiKey: 'sk-ant-wrong' });
    const ollama = await addOllama(workbench);
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', {
      promptId,
      versions: ['draft'],
      targets: [
        { providerId: good.providerId, model: 'gpt-4o-mini' },
        { providerId: unreachable.id, model: 'gpt-4o-mini' },
        { providerId: wrongKey.id, model: 'claude-haiku-4-5' },
        { providerId: ollama.providerId, model: 'mistral-nemo' },
      ],
    });
    const done = await workbench.batchDone(started.batchId);
    const runs = await Promise.all(started.cells.map((cell) => workbench.runDone(cell.runId)));
    expect(runs.map((run) => [run.status, run.errorKind, run.error, run.usage.outputTokens, run.costUsd])).toStrictEqual([
      ['ok', null, null, 6, runs[0].costUsd],
      ['error', 'network', `Could not reach OpenAI at ${unreachableUrl}/v1: connection refused (is the server running?)`, 0, 0],
      // The key was entered in Settings, so that is where to check it.
      ['error', 'auth', 'Anthropic rejected the API key (401): check the key entered in Settings › Providers', 0, 0],
      ['error', 'not-found', `Model 'mistral-nemo' not found at ${ollama.server.url}; pull it with \`ollama pull mistral-nemo\``, 0, 0],
    ]);
    expect(done.counts).toStrictEqual({ running: 0, ok: 1, error: 3, cancelled: 0 });
  });

  test('a missing variable refuses the batch, naming every variable without a value, and sends nothing', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(
      workbench,
      { model: '', parameters: {}, messages: [{ role: 'user', content: 'Write about {{topic}} for {{audience}} in {{tone}}.' }] },
      { topic: 'tides' },
    );
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    const estimate = await workbench.call('runs:estimate', request);
    await expect(workbench.call('runs:start', request)).rejects.toStrictEqual(
      new CallFailure({ code: 'invalid-input', message: 'Cannot run: the variables have no value: {{audience}}, {{tone}}' }),
    );
    expect([estimate.missingVariables, server.requests.length, (await workbench.call('runs:list', {})).items]).toStrictEqual([['audience', 'tone'], 0, []]);
  });

  test('a value of only spaces is said, not refused: the estimate names it, and the run sends it as it is', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    const promptId = await createPrompt(
      workbench,
      { model: '', parameters: {}, messages: [{ role: 'user', content: 'Write about {{topic}} for {{audience}} in {{tone}}.' }] },
      { topic: 'tides', audience: '   ', tone: '\t' },
    );
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }] };
    const estimate = await workbench.call('runs:estimate', request);
    const started = await workbench.call('runs:start', request);
    const run = await workbench.runDone(started.cells[0].runId);
    const sent = server.requestsTo(chatPath).map((request) => (request.body as { messages: unknown[] }).messages);
    expect([estimate.missingVariables, estimate.blankVariables, run.status, sent]).toStrictEqual([
      [],
      ['audience', 'tone'],
      'ok',
      [[{ role: 'user', content: 'Write about tides for     in \t.' }]],
    ]);
  });

  test('the daily budget refuses a batch that would go over it, saying by how much', async () => {
    const workbench = startWorkbench();
    const { server, providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench);
    const request = { promptId, versions: ['draft' as const], targets: [{ providerId, model: 'gpt-4o-mini' }], samples: 3 };
    await workbench.call('runs:start', { ...request, samples: 1 }).then((started) => workbench.batchDone(started.batchId));
    const spent = (await workbench.call('runs:estimate', request)).budget.spentTodayUsd;
    const estimate = await workbench.call('runs:estimate', request);
    const budget = spent + estimate.totalCostUsd / 2;
    await workbench.call('settings:update', { dailyBudgetUsd: budget });
    const over = (await workbench.call('runs:estimate', request)).budget;
    const exceedsBy = spent + estimate.totalCostUsd - budget;
    expect(over.exceedsByUsd).toBeCloseTo(exceedsBy, 12);
    await expect(workbench.call('runs:start', request)).rejects.toStrictEqual(
      new CallFailure({
        code: 'conflict',
        message:
          `This batch would go over today’s budget of ${formatBudgetUsd(budget)} by ${formatUsd(over.exceedsByUsd as number)}: ` +
          `${formatUsd(spent)} spent so far today, and the batch is estimated at ${formatUsd(estimate.totalCostUsd)}`,
      }),
    );
    expect(server.requestsTo('/v1/chat/completions')).toHaveLength(1);
    // Raising the budget lets the same batch through.
    await workbench.call('settings:update', { dailyBudgetUsd: budget * 4 });
    const started = await workbench.call('runs:start', request);
    expect((await workbench.batchDone(started.batchId)).counts.ok).toBe(3);
  });

  test('a draft with no message text is refused before anything is stored', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOpenAi(workbench);
    const promptId = await createPrompt(workbench, { model: '', parameters: {}, messages: [{ role: 'user', content: '   ' }] }, {});
    await expect(workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] })).rejects.toStrictEqual(
      new CallFailure({ code: 'invalid-input', message: 'The draft has no message text to send' }),
    );
  });

  test('an unknown provider or version is not found; bad batches are refused by the contract', async () => {
    const workbench = startWorkbench();
    const promptId = await createPrompt(workbench);
    const attempts = [
      { promptId, versions: ['draft'], targets: [{ providerId: 99, model: 'x' }] },
      { promptId, versions: [4], targets: [{ providerId: 1, model: 'x' }] },
      { promptId, versions: [], targets: [{ providerId: 1, model: 'x' }] },
      { promptId, versions: ['draft'], targets: [{ providerId: 1, model: 'x' }, { providerId: 1, model: 'x' }] },
      { promptId, versions: ['draft'], targets: [{ providerId: 1, model: 'x' }], samples: 11 },
      { promptId, versions: ['draft'], targets: Array.from({ length: 16 }, (_, index) => ({ providerId: 1, model: `m${index}` })), samples: 5 },
    ];
    const errors = [];
    for (const input of attempts) {
      errors.push(await workbench.call('runs:start', input as never).then(() => null, (error: CallFailure) => [error.code, error.message]));
    }
    expect(errors).toStrictEqual([
      ['not-found', 'The provider of x was removed in Settings › Providers: remove x from the models to run'],
      ['not-found', `The prompt “Explainer” has no version 4`],
      ['invalid-input', 'Versions must have at least 1 item'],
      ['invalid-input', 'A model is listed twice'],
      ['invalid-input', 'Samples must be at most 10'],
      ['invalid-input', 'A batch may have at most 64 cells (models x versions x samples)'],
    ]);
  });
});
