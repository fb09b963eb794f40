/**
 * Waits a column explains: each retry is said beside the answer (live, before the first token,
 * and kept with the run), and a request queued behind another one to the same Ollama model is
 * said to be queued, its time counted from when it goes out, as its stored latency is.
 */

import { describe, expect, test } from 'vitest';
import { startOllamaServer } from '../../../fixtures/ollama-server';
import { addOllama, addOpenAi, afterTest, createPrompt, startWorkbench } from './run-harness';

describe('waits', () => {
  test('each retry is said beside the answer, live before the first token and in the stored run', async () => {
    const workbench = startWorkbench({ resilience: { retry: { maxRetries: 2, baseDelayMs: 400 }, random: () => 0.5 } });
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    server.script({ fault: { kind: 'http-error', status: 429, retryAfterMs: 300 } }, { fault: { kind: 'http-error', status: 500 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const run = await workbench.runDone(started.cells[0].runId);
    const said = [
      'Sent again after 0.3 s: OpenAI is rate limiting requests (429): Rate limit reached for requests. Please try again later.',
      // Full jitter: half of the second retry's ceiling (400 ms doubled).
      'Sent again after 0.4 s: OpenAI had a server error (500): The server had an error while processing your request. Sorry about that!',
    ];
    expect([run.status, run.output, run.notices, server.requestsTo(chatPath).length]).toStrictEqual(['ok', 'Hello, side by side!', said, 3]);
    // Before any text, the window heard of each wait as it began (how long, and why), then of the retry once it went out.
    const deltas = workbench.deltasOf(run.id);
    const firstText = deltas.findIndex((delta) => delta.text !== '');
    const before = deltas.slice(0, firstText);
    // How long each wait had left when the delta went out: at most its delay, a little less on a busy machine.
    const waits = before.filter((delta) => delta.retry).map((delta) => ({ reason: delta.retry?.reason, inMs: delta.retry?.inMs ?? 0 }));
    expect(waits.map((wait) => wait.reason)).toStrictEqual([said[0].replace(/^Sent again after 0.3 s: /, ''), said[1].replace(/^Sent again after 0.4 s: /, '')]);
    expect(waits.map((wait) => wait.inMs > 0)).toStrictEqual([true, true]);
    expect([waits[0].inMs <= 300, waits[1].inMs <= 400]).toStrictEqual([true, true]);
    expect(before.filter((delta) => delta.notices).map((delta) => delta.notices)).toStrictEqual([[said[0]], said]);
    // The wait is over once the retry went out: no column counts down while the answer streams.
    expect(deltas.slice(0, firstText + 1).findLast((delta) => delta.retry !== undefined)?.retry).toBeNull();
    expect(await workbench.call('runs:get', { id: run.id })).toMatchObject({ notices: said });
    // The same request again is answered by the cache: no request went out, so no retry is said.
    const again = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const hit = await workbench.runDone(again.cells[0].runId);
    expect([hit.isCacheHit, hit.output, hit.notices, server.requestsTo(chatPath).length]).toStrictEqual([true, 'Hello, side by side!', [], 3]);
  });

  test('a retry whose jitter drew no wait says it went out at once, not "after 0 s"; two retries that read alike are both said', async () => {
    const workbench = startWorkbench({ resilience: { retry: { maxRetries: 2, baseDelayMs: 400 }, random: () => 0 } });
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    server.script({ fault: { kind: 'http-error', status: 500 } }, { fault: { kind: 'http-error', status: 500 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const run = await workbench.runDone(started.cells[0].runId);
    const retry = 'Sent again at once: OpenAI had a server error (500): The server had an error while processing your request. Sorry about that!';
    expect([run.status, run.notices, server.requestsTo(chatPath).length]).toStrictEqual(['ok', [retry, retry], 3]);
    expect((await workbench.call('runs:get', { id: run.id })).notices).toStrictEqual([retry, retry]);
  });

  test('a run stopped while it waits to be sent again says so, and the retry never goes out', async () => {
    const workbench = startWorkbench({ resilience: { retry: { maxRetries: 2, baseDelayMs: 400 }, random: () => 0.5 } });
    const { server, providerId, chatPath } = await addOpenAi(workbench);
    server.script({ fault: { kind: 'http-error', status: 503, retryAfterMs: 5000 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }] });
    const runId = started.cells[0].runId;
    await workbench.waitFor('run:delta', (delta) => delta.runId === runId && delta.retry != null);
    // A window opened now hears of the wait with the comparison (no delta comes until the retry): the reason, and a shorter wait left.
    const restored = await workbench.call('runs:latestBatch', { promptId });
    expect(restored?.live.map((delta) => ({ runId: delta.runId, text: delta.text, isQueued: delta.isQueued, reason: delta.retry?.reason, isCounting: delta.retry !== null && delta.retry !== undefined && delta.retry.inMs > 3000 && delta.retry.inMs <= 5000, input: delta.counters.inputTokens > 0 }))).toStrictEqual([
      { runId, text: '', isQueued: false, reason: expect.stringMatching(/^OpenAI is overloaded \(503\)/) as string, isCounting: true, input: true },
    ]);
    await workbench.call('runs:cancel', { batchId: started.batchId });
    const run = await workbench.runDone(runId);
    expect([run.status, run.notices, server.requestsTo(chatPath).length]).toStrictEqual([
      'cancelled',
      [expect.stringMatching(/^Not sent again \(ended during the 5 s wait\): OpenAI is overloaded \(503\)/) as string],
      1,
    ]);
  });

  test('a sample queued behind another on the same Ollama model is said to be queued, and its time starts when it goes out', async () => {
    const workbench = startWorkbench();
    const { providerId } = await addOllama(workbench, { reply: { tokens: Array.from({ length: 8 }, (_, index) => ` w${index}`), chunkDelayMs: 40 } });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2:latest' }], samples: 2, bypassCache: true });
    await workbench.batchDone(started.batchId);
    const [first, second] = await Promise.all(started.cells.map((cell) => workbench.call('runs:get', { id: cell.runId })));
    const [firstDeltas, secondDeltas] = [first, second].map((run) => workbench.deltasOf(run.id));
    // Ollama answers one request per model at a time: the second waited, and said so until it went out.
    expect(firstDeltas.some((delta) => delta.isQueued !== undefined)).toBe(false);
    expect(secondDeltas.filter((delta) => delta.isQueued !== undefined).map((delta) => [delta.isQueued, delta.text])).toStrictEqual([
      [true, ''],
      [false, ''],
    ]);
    // Its live time counted from going out, like its stored latency, not from the start of the batch (about twice as long).
    const lastElapsed = secondDeltas.at(-1)?.counters.elapsedMs as number;
    expect(lastElapsed).toBeLessThanOrEqual(second.latencyMs as number);
    expect(lastElapsed).toBeLessThan((first.latencyMs as number) * 1.5);
  });

  test('a run started after the provider’s time limits changed still waits behind one already streaming from the same Ollama model', async () => {
    const workbench = startWorkbench();
    const { server, providerId, chatPath } = await addOllama(workbench);
    const promptId = await createPrompt(workbench);
    const start = async () => (await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2' }], bypassCache: true })).cells[0].runId;
    let endFirst = () => {};
    server.script({ fault: { kind: 'pause', afterChunks: 2, until: new Promise<void>((resolve) => (endFirst = resolve)) } });
    const first = await start();
    await workbench.waitFor('run:delta', (delta) => delta.runId === first && delta.text !== '');
    // Saving a provider builds it afresh (a new key or new limits go out with the next run); its queue must carry over.
    await workbench.call('providers:save', { id: providerId, kind: 'ollama', label: 'Ollama', firstOutputLimit: '4m' });
    const second = await start();
    // On a provider that forgot its queue, the second run goes out at once and ends while the first is held.
    await Promise.race([workbench.waitFor('run:delta', (delta) => delta.runId === second && delta.isQueued === true), workbench.runDone(second)]);
    const restored = await workbench.call('runs:latestBatch', { promptId });
    const whileFirstStreams = {
      live: restored?.live.map((delta) => ({ runId: delta.runId, isQueued: delta.isQueued })),
      chatRequests: server.requestsTo(chatPath).length,
    };
    endFirst();
    const [firstRun, secondRun] = [await workbench.runDone(first), await workbench.runDone(second)];
    expect({
      whileFirstStreams,
      statuses: [firstRun.status, secondRun.status],
      secondFirstLimit: restored?.cells[0].firstOutputLimitMs,
      mostAtOnce: server.maxConcurrent('llama3.2'),
    }).toStrictEqual({
      whileFirstStreams: { live: [{ runId: second, isQueued: true }], chatRequests: 1 },
      statuses: ['ok', 'ok'],
      secondFirstLimit: 240_000,
      mostAtOnce: 1,
    });
  });

  test('a run started after the Ollama host changed goes out at once: another server is not busy with the run the old one streams', async () => {
    const workbench = startWorkbench();
    const { server: before, providerId, chatPath } = await addOllama(workbench);
    const after = await startOllamaServer();
    afterTest(after.close);
    const promptId = await createPrompt(workbench);
    const start = async () => (await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'llama3.2' }], bypassCache: true })).cells[0].runId;
    let endFirst = () => {};
    before.script({ fault: { kind: 'pause', afterChunks: 2, until: new Promise<void>((resolve) => (endFirst = resolve)) } });
    const first = await start();
    await workbench.waitFor('run:delta', (delta) => delta.runId === first && delta.text !== '');
    await workbench.call('providers:save', { id: providerId, kind: 'ollama', label: 'Ollama', baseUrl: after.url });
    const second = await start();
    await Promise.race([workbench.waitFor('run:delta', (delta) => delta.runId === second && delta.isQueued === true), workbench.runDone(second)]);
    const whileFirstStreams = {
      second: workbench.eventsOf('run:done').find((run) => run.id === second)?.status,
      isSecondQueued: workbench.deltasOf(second).some((delta) => delta.isQueued === true),
      chatRequests: [before.requestsTo(chatPath).length, after.requestsTo(chatPath).length],
    };
    endFirst();
    const runs = [await workbench.runDone(first), await workbench.runDone(second)];
    expect({ whileFirstStreams, statuses: runs.map((run) => run.status) }).toStrictEqual({
      whileFirstStreams: { second: 'ok', isSecondQueued: false, chatRequests: [1, 1] },
      statuses: ['ok', 'ok'],
    });
  });
});
