/**
 * The live provider of each configured one, built on first use and kept, so its concurrency
 * limits (one request per Ollama model, eight per cloud API...) hold across batches. A change
 * of settings or key builds a fresh one; requests already running keep theirs.
 *
 * The queue outlives those rebuilds: it is kept per provider and endpoint, so a run started
 * after a new key or new time limits still waits behind the runs the previous object has in
 * flight (on Ollama, two requests to one model at once would load it twice or split the GPU).
 * A new endpoint (base URL, Ollama host) or kind gets a fresh queue: another server, with its
 * own capacity, that the runs still going to the old one do not load.
 */

import type { ProviderKind, ProviderTestResult, ProviderTimeLimits } from '../../../shared/types';
import { withAttemptTiming } from './attempt-timing';
import { createBareProvider } from './create-provider';
import { defaultTimeLimits } from '../../../shared/time-limits';
import { concurrencyQueue, type ConcurrencyQueue, type TimeoutLimits } from './limits';
import { ProviderError, unreadKeyError } from './provider-error';
import { withResilience, type ResilienceOptions } from './resilient-provider';
import { refusedKeyVariable, type ProviderEndpoint, type ProviderSettingsStore } from './provider-settings-store';
import type { Provider } from './provider';
import type { RefusalStore } from './refusal-store';

/** How long "Test connection" waits for the model list. */
const TEST_TIMEOUT_MS = 15_000;

/** A provider ready to use, with the settings it was built from. */
export interface LiveProvider {
  settings: ProviderEndpoint;
  provider: Provider;
}

/** Builds and keeps providers from their settings. */
export class ProviderRegistry {
  private readonly store: ProviderSettingsStore;
  private readonly resilience: ResilienceOptions;
  private readonly built = new Map<number, { fingerprint: string; provider: Provider }>();
  /** Each provider's queue, with the kind and endpoint it counts requests to. */
  private readonly queues = new Map<number, { server: string; queue: ConcurrencyQueue }>();
  private readonly refusals: RefusalStore | null;

  /** `refusals` keeps what models refused across provider objects and restarts; without it, each provider learns alone. */
  constructor(store: ProviderSettingsStore, resilience: ResilienceOptions = {}, refusals: RefusalStore | null = null) {
    this.store = store;
    this.resilience = resilience;
    this.refusals = refusals;
  }

  /**
   * The provider for `settings` as just read (a batch's plan read them a moment before), with
   * its key as it stands now.
   */
  async provider(settings: ProviderEndpoint): Promise<LiveProvider> {
    const refused = refusedKeyVariable(settings);
    if (refused !== null) throw unreadKeyError(settings.label, refused);
    const config = this.store.config(settings, await this.store.apiKey(settings));
    const timeouts = this.timeouts(settings);
    // The fingerprint holds the key, in memory only, so a new key builds a new client; and the time limits, so a run
    // started after they changed runs under the new ones.
    const fingerprint = JSON.stringify({ config, timeouts });
    const cached = this.built.get(settings.id);
    if (cached?.fingerprint === fingerprint) return { settings, provider: cached.provider };
    const refusals = this.refusals?.memoryFor(settings.id, settings.endpoint);
    const provider = withResilience(withAttemptTiming(createBareProvider(config, { refusals })), { ...this.resilience, timeouts, queue: this.queue(settings) });
    this.built.set(settings.id, { fingerprint, provider });
    return { settings, provider };
  }

  /**
   * The time limits a provider runs under: those its settings set, else the engine's (a test's
   * short ones), else the defaults of where its server is. Without `timeLimits`, those of a
   * provider that sets none.
   */
  timeouts(provider: { kind: ProviderKind; endpoint: string; timeLimits?: ProviderTimeLimits }): TimeoutLimits {
    const set = provider.timeLimits;
    const limits: TimeoutLimits = { ...defaultTimeLimits(provider.kind, provider.endpoint), ...this.resilience.timeouts };
    return {
      firstOutputMs: set?.firstOutputMs ?? limits.firstOutputMs,
      stallMs: set?.stallMs ?? limits.stallMs,
      totalMs: set?.totalMs ?? limits.totalMs,
    };
  }

  /** The queue of `settings`' provider: the one it had while its kind and endpoint stay, else a fresh one. */
  private queue(settings: ProviderEndpoint): ConcurrencyQueue {
    const server = JSON.stringify([settings.kind, settings.endpoint]);
    const kept = this.queues.get(settings.id);
    if (kept?.server === server) return kept.queue;
    const queue = concurrencyQueue(settings.kind, this.resilience.concurrency);
    this.queues.set(settings.id, { server, queue });
    return queue;
  }

  /** Drops the kept provider of `id` after its settings changed: the next run builds it afresh, in the same queue while its endpoint stays. */
  forget(id: number): void {
    this.built.delete(id);
  }

  /** Drops the kept provider of `id` and its queue, after it was removed (ids are never given out again). */
  remove(id: number): void {
    this.built.delete(id);
    this.queues.delete(id);
  }

  /**
   * "Test connection": lists the models of a provider built from `settings` and `apiKey`,
   * without keeping it. Ollama's list carries each model's size and quantization. `signal`
   * cancels it: it then answers at once, as cancelled.
   */
  async test(settings: ProviderEndpoint, apiKey: string | null, signal?: AbortSignal): Promise<ProviderTestResult> {
    const provider = withResilience(createBareProvider(this.store.config(settings, apiKey)), {
      ...this.resilience,
      retry: { ...this.resilience.retry, maxRetries: 0 },
      timeouts: { firstOutputMs: TEST_TIMEOUT_MS, totalMs: TEST_TIMEOUT_MS },
    });
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const timeout = AbortSignal.timeout(TEST_TIMEOUT_MS + 1000);
      const models = await provider.listModels(signal === undefined ? timeout : AbortSignal.any([timeout, signal]));
      return { isOk: true, models: models.map((model) => ({ ...model })), latencyMs: latency() };
    } catch (error) {
      if (signal?.aborted === true) return { isOk: false, errorKind: 'cancelled', message: 'Test cancelled', latencyMs: latency() };
      if (!(error instanceof ProviderError)) throw error;
      return { isOk: false, errorKind: error.kind, message: error.message, latencyMs: latency() };
    }
  }
}
