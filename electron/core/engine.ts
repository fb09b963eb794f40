/**
 * The engine as the hosts see it: one handler per bridge call, and the events they push.
 *
 * The desktop shell, the browser host, the CLI and the tests all build it the same way and
 * pass in what only they know (the data folder, where the sample library lives).
 */

import path from 'node:path';
import type { CallHandlers, CallName, EventName, EventPayload } from '../../shared/contract';
import { toWireError } from '../../shared/errors';
import type { AppInfo, PromptDraft } from '../../shared/types';
import { databaseFailure, type DataFolderChoice } from './data-folder-errors';
import { openDatabase } from './database';
import { EvalRunner } from './evals/eval-runner';
import { EvalService } from './evals/eval-service';
import { EvalStore } from './evals/eval-store';
import { TestSuiteStore } from './evals/test-suite-store';
import { PriceBook } from './pricing/price-book';
import { createReleaseHandlers } from './release/release-handlers';
import { PromptStore } from './prompt-store';
import { ProviderRegistry } from './providers/provider-registry';
import { ProviderService } from './providers/provider-service';
import { ProviderSettingsStore } from './providers/provider-settings-store';
import { RefusalStore } from './providers/refusal-store';
import type { ResilienceOptions } from './providers/resilient-provider';
import { BatchRunner } from './runs/batch-runner';
import { InputCounter } from './runs/input-counter';
import { ReasoningNoticeReader } from './runs/reasoning-notices';
import { ResponseCache } from './runs/response-cache';
import { RunPlanner } from './runs/run-planner';
import { RunService } from './runs/run-service';
import { RunStore } from './runs/run-store';
import { SearchIndexer } from './runs/search-indexer';
import { CLOSED_ERROR } from './runs/stopped-text';
import { WalCheckpointer } from './wal-checkpointer';
import { createSessionSecretStore, type SecretStore } from './secrets/secret-store';
import { seedLibrary } from './seed';
import { readSetting, readSettings, updateSettings } from './settings-store';

/** The database file inside the data folder. */
export const DATABASE_FILE_NAME = 'workbench.sqlite';

/** What a host tells the engine. */
export interface EngineOptions {
  /** The user-data folder; created if missing. */
  dataDir: string;
  /** How the user named `dataDir` (the CLI’s --data-dir or WORKBENCH_DATA_DIR), for advice to choose another; `environment` when absent. */
  dataDirChoice?: DataFolderChoice;
  /** The sample library seeded on first run; null to seed nothing. */
  promptsDir: string | null;
  host: AppInfo['host'];
  appVersion: string;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Where API keys entered in settings are kept. Absent: in memory for the session (the
   * browser host); the desktop app passes one backed by Electron's safeStorage.
   */
  secrets?: SecretStore;
  /** Where keys (OPENAI_API_KEY, ANTHROPIC_API_KEY...) and OLLAMA_HOST are read; `process.env` when absent. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Retries, timeouts and concurrency of every provider; each kind's defaults when absent. */
  resilience?: ResilienceOptions;
  /** Whether a process still runs, to tell runs left by a dead one (interrupted) from the other host's. */
  isProcessAlive?: (pid: number) => boolean;
  /** The pause between two `run:delta` events of one cell; ~16 ms. */
  deltaIntervalMs?: number;
  /** How long the rows of a batch started from the editor may wait in memory (RunStore.createBatch); 100 ms. */
  runWriteDelayMs?: number;
  /** The git executable releases run; `git` on the environment's PATH when absent. */
  gitBinary?: string;
}

/** Receives every event the engine emits. */
export type EngineListener = (name: EventName, payload: unknown) => void;

/** A running engine. */
export interface Engine {
  handlers: CallHandlers;
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: EngineListener): () => void;
  /** Resolves when no batch is running (for hosts shutting down gracefully, tests and benchmarks). */
  whenIdle(): Promise<void>;
  /** Cancels running batches (their runs are stored as cancelled) and closes the database; the handlers fail afterwards. */
  close(): void;
}


/** True when a process with this id exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens the database in `dataDir`, seeds it on first run and returns the handlers. */
export function createEngine(options: EngineOptions): Engine {
  const now = options.now ?? (() => new Date());
  const file = path.join(options.dataDir, DATABASE_FILE_NAME);
  const choice = options.dataDirChoice ?? 'environment';
  const database = openDatabase(file, undefined, choice);
  const store = new PromptStore(database, { now: options.now });
  const runs = new RunStore(database, process.pid, options.runWriteDelayMs);
  const evalStore = new EvalStore(database);
  const suites = new TestSuiteStore(database, now);
  const providerSettings = new ProviderSettingsStore(database, {
    environment: options.environment ?? process.env,
    secrets: options.secrets ?? createSessionSecretStore(),
    now,
  });
  let problems: AppInfo['problems'];
  try {
    problems = options.promptsDir === null ? [] : seedLibrary(database, store, suites, options.promptsDir, providerSettings.identities());
    runs.markInterrupted(options.isProcessAlive ?? isProcessAlive, now().toISOString());
    evalStore.markInterrupted(options.isProcessAlive ?? isProcessAlive, now().toISOString());
    // Runs a killed process finished but never indexed.
    runs.indexPending();
  } catch (error) {
    database.close();
    // A damaged page the schema check did not reach may fail the first queries.
    throw databaseFailure(error, file, { choice });
  }

  /**
   * A damaged page no start-up query read, a full disk or a file made read-only fails a call or
   * a run mid-use: said as the start says it (the file, what is wrong, what to do), never as an
   * internal error. Every call goes through it (the handlers below), and so does storing a run.
   */
  const inUse = (error: unknown): unknown => databaseFailure(error, file, { choice, isInUse: true });

  const listeners = new Set<EngineListener>();
  const queued: { name: EventName; payload: unknown }[] = [];
  const deliver = (): void => {
    for (const { name, payload } of queued.splice(0)) {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (error) {
          console.error(`[engine] listener for ${name} failed:`, error);
        }
      }
    }
  };
  /**
   * Delivers an event on a later turn of the event loop, so on every transport a caller gets
   * its result before the events its call caused, and a failing listener cannot fail the call.
   * Events emitted in one turn go out together, in order, on the next.
   */
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    if (queued.push({ name, payload }) === 1) setImmediate(deliver);
  };
  /** Passes a draft just written through after telling every window of its prompt. */
  const draftChanged = (draft: PromptDraft): PromptDraft => {
    emit('draft:changed', draft);
    return draft;
  };
  /** Passes `value` through after telling listeners the library row of `promptId` changed. */
  const changed = <T>(promptId: number, value: T): T => {
    emit('library:changed', { promptId });
    return value;
  };

  const registry = new ProviderRegistry(providerSettings, options.resilience, new RefusalStore(database, now));
  const providers = new ProviderService(providerSettings, registry);
  const prices = new PriceBook(database, { now });
  const cache = new ResponseCache(database, { maxAgeDays: () => readSetting(database, 'cacheMaxAgeDays') });
  const indexer = new SearchIndexer(runs);
  const cacheLimitBytes = (): number | null => {
    const megabytes = readSetting(database, 'cacheLimitMb');
    return megabytes === null ? null : Math.round(megabytes * 1024 * 1024);
  };
  const trimCache = (): void => {
    cache.trim(cacheLimitBytes(), now().toISOString());
  };
  // Once runs stop: evict past the cache limit, then copy the log (which the deletions added to).
  const checkpointer: WalCheckpointer = new WalCheckpointer(database, () => runner.isIdle && evalRunner.isIdle, undefined, trimCache);
  const runner = new BatchRunner({
    runs,
    cache,
    registry,
    emit,
    now,
    onStored: () => {
      indexer.schedule();
      checkpointer.schedule();
    },
    deltaIntervalMs: options.deltaIntervalMs,
    describeStoreFailure: (error) => toWireError(inUse(error)).message,
  });
  const planner = new RunPlanner({
    prompts: store,
    providers: providerSettings,
    prices,
    runs,
    now,
    dailyBudgetUsd: () => readSetting(database, 'dailyBudgetUsd'),
  });
  const runService = new RunService({ planner, runs, runner, counter: new InputCounter(registry), reasoningNotices: new ReasoningNoticeReader(registry), missingKey: (provider) => providerSettings.missingKey(provider), firstOutputLimitMs: (provider) => registry.timeouts(provider).firstOutputMs, isCached: (key) => cache.has(key, now().toISOString()), now, emit });
  const evalRunner: EvalRunner = new EvalRunner({ evals: evalStore, runs, runner, planner, prompts: store, providers: providerSettings, emit, now });
  const evals = new EvalService({
    suites,
    evals: evalStore,
    runner: evalRunner,
    planner,
    prompts: store,
    providers: providerSettings,
    judgeSetting: () => readSetting(database, 'judge'),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    now,
  });

  const releaseHandlers = createReleaseHandlers({
    database,
    prompts: store,
    suites,
    evals: evalStore,
    providers: providerSettings,
    environment: options.environment ?? process.env,
    gitBinary: options.gitBinary,
    now,
    changed: (promptId) => emit('library:changed', { promptId }),
  });

  const handlers: CallHandlers = {
    ...releaseHandlers,
    'app:info': () => ({ version: options.appVersion, host: options.host, dataDir: options.dataDir, problems }),
    'settings:get': () => readSettings(database),
    'settings:update': (input) => {
      // The judge must be a provider of this machine (throws `not-found` otherwise); removing it
      // clears the judge (providers:remove), so a stored judge always has its provider.
      if (input.judge) providerSettings.endpoint(input.judge.providerId);
      const settings = updateSettings(database, input);
      // A new limit applies at once, so the cache view shows its effect.
      if (input.cacheLimitMb !== undefined || input.cacheMaxAgeDays !== undefined) trimCache();
      // Every window shows the same theme, budget and cache limits.
      emit('settings:changed', settings);
      return settings;
    },
    'prompts:list': (input) => store.list(input),
    'prompts:get': ({ id }) => store.getDetail(id),
    'prompts:create': ({ name }) => {
      const detail = store.create({ name });
      return changed(detail.prompt.id, detail);
    },
    'prompts:rename': ({ id, name }) => changed(id, store.rename(id, name)),
    'prompts:describe': ({ id, description }) => changed(id, store.describe(id, description)),
    'prompts:duplicate': ({ id }) => {
      const detail = store.duplicate(id);
      return changed(detail.prompt.id, detail);
    },
    'prompts:archive': ({ id, isArchived }) => changed(id, store.setArchived(id, isArchived)),
    // Autosave does not change a library row; other windows of the prompt show the draft as it now is.
    'drafts:save': ({ promptId, content, variables, baseVersion, basedOnRevision }) =>
      draftChanged(store.saveDraft(promptId, content, variables, { baseVersion, basedOnRevision })),
    'versions:save': (input) => {
      const version = changed(input.promptId, store.saveVersion(input));
      emit('draft:changed', store.getDraft(input.promptId));
      return version;
    },
    'versions:get': ({ promptId, number }) => store.getVersion(promptId, number),
    'versions:restore': ({ promptId, number, basedOnRevision }) => draftChanged(store.restoreVersion(promptId, number, basedOnRevision)),
    'providers:list': () => providers.list(),
    'providers:save': async (input) => {
      const saved = await providers.save(input);
      // Every window's settings, model picker and run chips show providers as they now are.
      emit('providers:changed', await providers.list());
      return saved;
    },
    'providers:remove': async ({ id }) => {
      const rest = await providers.remove(id);
      emit('providers:changed', rest);
      // A judge on the removed provider could grade nothing: Settings forgets it, in every window.
      if (readSetting(database, 'judge')?.providerId === id) emit('settings:changed', updateSettings(database, { judge: null }));
      // So are its models among the runs panel's remembered choices.
      const choices = readSetting(database, 'runChoices');
      if (choices?.targets.some((target) => target.providerId === id)) {
        updateSettings(database, { runChoices: { ...choices, targets: choices.targets.filter((target) => target.providerId !== id) } });
      }
      return rest;
    },
    'providers:judgedChecks': ({ id }) => {
      providerSettings.endpoint(id);
      return suites.judgedBy(id);
    },
    'providers:test': (input) => providers.test(input),
    'providers:cancel-test': (input) => providers.cancelTest(input.testKey),
    'runs:estimate': (input) => runService.estimate(input),
    'runs:budget': () => planner.budgetFor(0, readSetting(database, 'dailyBudgetUsd'), true),
    'runs:start': (input) => runService.start(input),
    'runs:cancel': (input) => runService.cancel(input),
    'runs:list': (input) => runService.list(input),
    'runs:models': () => runService.models(),
    'runs:search': (input) => runService.search(input),
    'runs:count': (input) => runService.count(input),
    'runs:export': (input) => runService.exportPage(input),
    'runs:get': ({ id }) => runService.get(id),
    'runs:latestBatch': ({ promptId }) => runService.latestBatch(promptId),
    'runs:rerun': ({ id, bypassCache, inPlaceOf }) => runService.rerun(id, bypassCache === true, inPlaceOf),
    'cache:stats': () => cache.stats(cacheLimitBytes()),
    'cache:clear': () => cache.clear(now().toISOString(), cacheLimitBytes()),
    'pricing:list': ({ providerId, query, limit }) => prices.list(providerSettings.endpoint(providerId), { query, limit }),
    'pricing:resolve': ({ providerId, model }) => prices.resolve(providerSettings.endpoint(providerId), model),
    'pricing:override': ({ providerId, model, price }) => {
      const provider = providerSettings.endpoint(providerId);
      prices.setOverride(providerId, model, price);
      const change = { resolved: prices.resolve(provider, model), catalogPrice: prices.catalogPrice(provider, model) };
      // Every window's estimates, price lists and model prices use the price now in force.
      emit('pricing:changed', { providerId, model, ...change });
      return change;
    },
    'evals:suite': ({ promptId }) => evals.suite(promptId),
    'evals:saveSuite': (input) => evals.saveSuite(input),
    'evals:import': (input) => evals.import(input),
    'evals:export': (input) => evals.export(input),
    'evals:start': (input) => evals.start(input),
    'evals:resume': (input) => evals.resume(input),
    'evals:cancel': ({ evalId }) => evals.cancel(evalId),
    'evals:list': (input) => evals.list(input),
    'evals:get': ({ evalId }) => evals.get(evalId),
    'evals:cell': (input) => evals.cell(input),
    'evals:trend': ({ promptId }) => evals.trend(promptId),
  };

  // Runs started from the editor write their rows lazily (RunStore.createBatch); every other
  // call may read or change what they point at (a prompt, a provider, history), so their rows
  // are written first. Starting, estimating and cancelling runs need not wait for that.
  const withoutPendingRuns = new Set<CallName>(['runs:start', 'runs:estimate', 'runs:cancel']);
  for (const name of Object.keys(handlers) as CallName[]) {
    const handler = handlers[name] as (input: unknown) => unknown;
    const isFlushing = !withoutPendingRuns.has(name);
    (handlers as Record<CallName, (input: unknown) => unknown>)[name] = (input) => {
      try {
        if (isFlushing) runs.flushPending();
        const value = handler(input);
        return value instanceof Promise ? value.catch((error: unknown) => Promise.reject(inUse(error))) : value;
      } catch (error) {
        throw inUse(error);
      }
    };
  }

  let isClosed = false;
  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    whenIdle: async () => {
      await evalRunner.whenIdle();
      await runner.whenIdle();
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      listeners.clear();
      evalRunner.close();
      runs.markRuns(runner.close(), 'cancelled', CLOSED_ERROR, now().toISOString());
      runs.close();
      indexer.close();
      checkpointer.close();
      database.close();
    },
  };
}
