/**
 * Test support for runs: an engine on a temp folder, driven through `dispatchCall` as every
 * transport drives it (so inputs are validated by the contract's schemas), with its events
 * recorded, a prompt ready to run, and the protocol fixtures configured as providers.
 */

import { afterEach } from 'vitest';
import type { Database } from '../../../../electron/core/database';
import { createEngine, type Engine, type EngineOptions } from '../../../../electron/core/engine';
import { dispatchCall } from '../../../../electron/core/rpc';
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../../shared/contract';
import type { WireError } from '../../../../shared/errors';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, type BatchDone, type PromptContent, type RunDelta, type RunRecord } from '../../../../shared/types';
import { startAnthropicServer, type AnthropicServerOptions } from '../../../fixtures/anthropic-server';
import type { FixtureServer } from '../../../fixtures/fault-injection';
import { startOllamaServer, type OllamaServerOptions } from '../../../fixtures/ollama-server';
import { startOpenAiServer, type OpenAiServerOptions } from '../../../fixtures/openai-server';
import { makeTempDir } from '../../support';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test. */
export function afterTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A recorded event. */
export interface RecordedEvent {
  name: EventName;
  payload: unknown;
}

/** A call that failed, as the transport carries it. */
export class CallFailure extends Error {
  readonly code: WireError['code'];
  /** The fields the engine blamed, by path (what a form shows the message under). */
  readonly fields: string[];

  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
    this.fields = (error.issues ?? []).map((issue) => issue.path);
  }
}

/** An engine under test. */
export interface Workbench {
  engine: Engine;
  dataDir: string;
  events: RecordedEvent[];
  /** Calls through the contract's validation; rejects with a `CallFailure`. */
  call<C extends CallName>(name: C, input: CallInput<C>): Promise<CallOutput<C>>;
  /** The payloads of every `name` event so far. */
  eventsOf<E extends EventName>(name: E): EventPayload<E>[];
  /** Resolves with the first `name` event (past or future) that `matches`. */
  waitFor<E extends EventName>(name: E, matches: (payload: EventPayload<E>) => boolean): Promise<EventPayload<E>>;
  /** The `batch:done` of `batchId`. */
  batchDone(batchId: number): Promise<BatchDone>;
  /** The `run:done` of `runId`. */
  runDone(runId: number): Promise<RunRecord>;
  /** The text of every `run:delta` of `runId`, joined. */
  streamedText(runId: number): string;
  /** The `run:delta` events of `runId`. */
  deltasOf(runId: number): RunDelta[];
}

/** Indexes the queue as schemas up to v13 did (from the runs' text through the view, knowing no deletes). */
export function indexAsSchemaV13(database: Database): void {
  database.exec(`
    INSERT INTO runs_fts (rowid, output, prompt_text) SELECT s.id, s.output, s.prompt_text FROM runs_fts_pending q JOIN runs_search s ON s.id = q.run_id;
    DELETE FROM runs_fts_pending;
  `);
}

/** Starts an engine on a fresh temp folder (or `dataDir`), closed after the test. */
export function startWorkbench(options: Partial<EngineOptions> = {}): Workbench {
  const dataDir = options.dataDir ?? makeTempDir();
  const engine = createEngine({
    promptsDir: null,
    host: 'web',
    appVersion: '0.0.0-test',
    environment: {},
    // One attempt: tests of failures should not wait through backoff.
    resilience: { retry: { maxRetries: 0 } },
    ...options,
    dataDir,
  });
  afterTest(() => engine.close());
  const events: RecordedEvent[] = [];
  const waiters: { name: EventName; matches: (payload: unknown) => boolean; resolve: (payload: unknown) => void }[] = [];
  engine.subscribe((name, payload) => {
    events.push({ name, payload });
    for (const waiter of [...waiters]) {
      if (waiter.name === name && waiter.matches(payload)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(payload);
      }
    }
  });
  const eventsOf = <E extends EventName>(name: E) => events.filter((event) => event.name === name).map((event) => event.payload as EventPayload<E>);
  const waitFor = <E extends EventName>(name: E, matches: (payload: EventPayload<E>) => boolean): Promise<EventPayload<E>> => {
    const past = eventsOf(name).find(matches);
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve) => {
      waiters.push({ name, matches: matches as (payload: unknown) => boolean, resolve: resolve as (payload: unknown) => void });
    });
  };
  const deltasOf = (runId: number) => eventsOf('run:delta').filter((delta) => delta.runId === runId);
  return {
    engine,
    dataDir,
    events,
    async call(name, input) {
      const result = await dispatchCall(engine.handlers, name, input);
      if (!result.ok) throw new CallFailure(result.error);
      return result.value as CallOutput<typeof name>;
    },
    eventsOf,
    waitFor,
    batchDone: (batchId) => waitFor('batch:done', (done) => done.batchId === batchId),
    runDone: (runId) => waitFor('run:done', (run) => run.id === runId),
    streamedText: (runId) => deltasOf(runId).map((delta) => delta.text).join(''),
    deltasOf,
  };
}

/** The content of the prompt most tests run: a system message and a user message with `{{topic}}`. */
export const TOPIC_CONTENT: PromptContent = {
  model: 'openai/gpt-4o-mini',
  parameters: { temperature: 0.2 },
  messages: [
    { role: 'system', content: 'You answer in one short sentence.' },
    { role: 'user', content: 'Tell me about {{topic}}.' },
  ],
};

/** Creates a prompt whose draft holds `content` and `variables`; returns its id. */
export async function createPrompt(
  workbench: Workbench,
  content: PromptContent = TOPIC_CONTENT,
  variables: Record<string, string> = { topic: 'tides' },
  name = 'Explainer',
): Promise<number> {
  const detail = await workbench.call('prompts:create', { name });
  await workbench.call('drafts:save', { promptId: detail.prompt.id, content, variables });
  return detail.prompt.id;
}

/** The fixture keys. */
export const OPENAI_KEY = 'test-openai-key';
export const ANTHROPIC_KEY = 'test-anthropic-key';

/** A fixture server configured as a provider of the workbench. */
export interface ConfiguredServer<Server extends FixtureServer<unknown>> {
  server: Server;
  providerId: number;
  chatPath: string;
}

/** Starts the OpenAI fixture and adds it as an `openai` provider with its key in the secret store. */
export async function addOpenAi(workbench: Workbench, options: OpenAiServerOptions = {}) {
  const server = await startOpenAiServer({ apiKey: OPENAI_KEY, ...options });
  afterTest(server.close);
  const saved = await workbench.call('providers:save', { kind: 'openai', label: 'OpenAI (fixture)', baseUrl: server.baseUrl, apiKey: OPENAI_KEY });
  return { server, providerId: saved.id, chatPath: '/v1/chat/completions' };
}

/** Starts the OpenAI fixture keyless and adds it as an OpenAI-compatible endpoint (a local server). */
export async function addCompatible(workbench: Workbench, options: OpenAiServerOptions = {}) {
  const server = await startOpenAiServer({ apiKey: null, models: ['qwen2.5-7b-instruct'], ...options });
  afterTest(server.close);
  const saved = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'LM Studio', baseUrl: server.baseUrl });
  return { server, providerId: saved.id, chatPath: '/v1/chat/completions' };
}

/** Starts the Anthropic fixture and adds it as an `anthropic` provider with its key in the secret store. */
export async function addAnthropic(workbench: Workbench, options: AnthropicServerOptions = {}) {
  const server = await startAnthropicServer({ apiKey: ANTHROPIC_KEY, ...options });
  afterTest(server.close);
  const saved = await workbench.call('providers:save', { kind: 'anthropic', label: 'Anthropic (fixture)', baseUrl: server.baseUrl, apiKey: ANTHROPIC_KEY });
  return { server, providerId: saved.id, chatPath: '/v1/messages' };
}

/** Starts the Ollama fixture and points the built-in Ollama provider at it. */
export async function addOllama(workbench: Workbench, options: OllamaServerOptions = {}) {
  const server = await startOllamaServer(options);
  afterTest(server.close);
  const saved = await workbench.call('providers:save', { id: 3, kind: 'ollama', label: 'Ollama', baseUrl: server.url });
  return { server, providerId: saved.id, chatPath: '/api/chat' };
}

/** Runs each of `outputs` as the answer of a batch of its own (a new OpenAI fixture, one cell, no cache); returns their run ids in order. */
export async function runEachOutput(workbench: Workbench, outputs: readonly string[]): Promise<number[]> {
  const { server, providerId } = await addOpenAi(workbench);
  const promptId = await createPrompt(workbench);
  server.script(...outputs.map((output) => ({ reply: { tokens: [output] } })));
  const ids: number[] = [];
  for (let index = 0; index < outputs.length; index += 1) {
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId, model: 'gpt-4o-mini' }], bypassCache: true });
    await workbench.batchDone(started.batchId);
    ids.push(started.cells[0].runId);
  }
  return ids;
}

/** What a search finds, as `[run id, snippet]` pairs, newest first. */
export async function searchHits(workbench: Workbench, query: string): Promise<[number, string][]> {
  return (await workbench.call('runs:search', { query })).items.map((hit) => [hit.id, hit.snippet]);
}

/** `word` marked as a match, as a snippet marks it. */
export function marked(word: string): string {
  return `${SNIPPET_MATCH_START}${word}${SNIPPET_MATCH_END}`;
}
