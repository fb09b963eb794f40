/**
 * One cell while it streams: its text and timings, and the live counters the renderer shows.
 *
 * Deltas arrive as fast as the provider sends them (hundreds a second from a fast local
 * model); the renderer gets at most one `run:delta` per cell every `intervalMs` (~16 ms, one
 * frame), carrying all text since the previous one and fresh counters. Counts are estimates
 * from the local tokenizer until the run ends with the provider's usage.
 */

import { costOf, NO_USAGE, tokensPerSecond } from '../../../shared/cost';
import type { ModelPrice, RunCounters, RunDelta, RunUsage } from '../../../shared/types';
import { StreamingTokenCounter } from '../tokens/token-estimator';

/** The default pause between two deltas of one cell: one frame at 60 Hz. */
export const DELTA_INTERVAL_MS = 16;

/** What a live cell needs. */
export interface LiveCellOptions {
  batchId: number;
  runId: number;
  model: string;
  /** The count of the request: the tokenizer's, or the provider's when `isInputCounted`. */
  inputTokens: number;
  /** True when the provider counted the input before the run. */
  isInputCounted?: boolean;
  price: ModelPrice | null;
  /** Null for a cell nobody watches (an eval's): it keeps its text and timings and sends nothing. */
  emit: ((delta: RunDelta) => void) | null;
  intervalMs?: number;
  /** Milliseconds on a monotonic clock. */
  clock?: () => number;
}

/** Cache reads and writes among a request's input tokens. */
export type InputCache = Pick<RunUsage, 'cachedInputTokens' | 'cacheWriteTokens'>;

const NO_CACHE: Readonly<InputCache> = Object.freeze({ cachedInputTokens: 0, cacheWriteTokens: 0 });

/** The state of one streaming cell. */
export class LiveCell {
  /** When the cell began (before any queue or cache lookup). */
  readonly startedAt: number;
  /** When the request first went out, and when its latest attempt did. */
  firstAttemptAt: number | null = null;
  lastAttemptAt: number | null = null;
  /** When the first text arrived, and how long after its attempt went out. */
  firstDeltaAt: number | null = null;
  ttftMs: number | null = null;
  text = '';
  /** The thinking received apart from the answer. */
  reasoning = '';
  /** What the provider changed about the request, each once, in order. */
  readonly notices: string[] = [];

  private readonly options: LiveCellOptions;
  private readonly clock: () => number;
  private readonly intervalMs: number;
  private readonly counter: StreamingTokenCounter;
  /** The input count the counters show, and whether the provider made it. */
  private inputTokens: number;
  private isInputCounted: boolean;
  /** Of that input, the cache reads and writes the provider counted (each at its own rate): none until it says. */
  private inputCache: InputCache = NO_CACHE;
  private pending = '';
  private pendingReasoning = '';
  private hasNewNotice = false;
  /** True while the request waits for a concurrency slot. */
  private isQueued = false;
  /** While the request waits to go out again after a failed attempt: when (on the clock) and why. */
  private retry: { at: number; reason: string } | null = null;
  /** True until the renderer heard of a change of either wait. */
  private hasWaitChange = false;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: LiveCellOptions) {
    this.options = options;
    this.clock = options.clock ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? DELTA_INTERVAL_MS;
    this.counter = new StreamingTokenCounter(options.model);
    this.inputTokens = options.inputTokens;
    this.isInputCounted = options.isInputCounted === true;
    this.startedAt = this.clock();
  }

  /**
   * The provider counted the input at the start of its answer (every input token, cache reads
   * and writes included, as `exactUsage` gives it): the counters show its count, and the cost
   * charges each part at its own rate, from the next delta on.
   */
  countedInput(usage: Pick<RunUsage, 'inputTokens' | 'cachedInputTokens' | 'cacheWriteTokens'>): void {
    this.inputTokens = usage.inputTokens;
    this.inputCache = { cachedInputTokens: usage.cachedInputTokens, cacheWriteTokens: usage.cacheWriteTokens };
    this.isInputCounted = true;
  }

  /** The cache reads and writes among the input, as the provider counted them (zero until it did). */
  cacheCounts(): InputCache {
    return this.inputCache;
  }

  /** The answer and thinking the windows have been sent so far (what the `run:delta` events carried). */
  sent(): { output: string; reasoning: string } {
    return {
      output: this.text.slice(0, this.text.length - this.pending.length),
      reasoning: this.reasoning.slice(0, this.reasoning.length - this.pendingReasoning.length),
    };
  }

  /** The request waits for a concurrency slot (another request holds the model): the column says "Queued" until it goes out. */
  queued(): void {
    if (this.firstAttemptAt !== null || this.isQueued) return;
    this.isQueued = true;
    this.waitChanged(this.clock());
  }

  /** An attempt failed before any output: the request goes out again in `delayMs`; the column counts down to it. */
  retrying(delayMs: number, reason: string): void {
    const now = this.clock();
    this.retry = { at: now + delayMs, reason };
    this.waitChanged(now);
  }

  /** The request went out (again); after a queue or a retry's wait, the renderer hears of it at once; its clock starts the first time. */
  attempt(): void {
    const now = this.clock();
    this.firstAttemptAt ??= now;
    this.lastAttemptAt = now;
    if (!this.isQueued && this.retry === null) return;
    this.isQueued = false;
    this.retry = null;
    this.waitChanged(now);
  }

  private waitChanged(now: number): void {
    if (this.options.emit === null) return;
    this.hasWaitChange = true;
    this.schedule(now);
  }

  /** Text of the answer arrived. */
  append(text: string): void {
    if (text === '') return;
    const now = this.received();
    this.text += text;
    // Unwatched, the text is all that matters: no pending deltas, no live token counts.
    if (this.options.emit === null) return;
    this.pending += text;
    this.counter.append(text);
    this.schedule(now);
  }

  /** Thinking arrived: its tokens are output tokens too (providers count them in the output). */
  appendReasoning(text: string): void {
    if (text === '') return;
    const now = this.received();
    this.reasoning += text;
    if (this.options.emit === null) return;
    this.pendingReasoning += text;
    this.counter.append(text);
    this.schedule(now);
  }

  /**
   * The provider changed the request (said before it is sent), or sent it again: the renderer hears
   * of it in the next delta, at once if it may. A fact said again by a retried attempt is kept once;
   * an event (`isEvent`: each retry) each time.
   */
  notice(text: string, isEvent = false): void {
    if (!isEvent && this.notices.includes(text)) return;
    this.notices.push(text);
    if (this.options.emit === null) return;
    this.hasNewNotice = true;
    this.schedule(this.clock());
  }

  /** The first token of any kind starts the clock of time to first token and of speed. */
  private received(): number {
    const now = this.clock();
    if (this.firstDeltaAt === null) {
      this.firstDeltaAt = now;
      this.ttftMs = now - (this.lastAttemptAt ?? this.startedAt);
    }
    return now;
  }

  /** Sends what is pending now, or when a delta interval has passed since the last. */
  private schedule(now: number): void {
    if (this.timer !== null) return;
    const wait = this.lastFlushAt + this.intervalMs - now;
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what is pending now (the stream ended), and stops the timer. */
  finish(): void {
    if (this.pending !== '' || this.pendingReasoning !== '' || this.hasNewNotice || this.hasWaitChange) this.flush();
    this.clearTimer();
  }

  /** Stops the timer without sending. */
  dispose(): void {
    this.clearTimer();
  }

  /** The estimated output tokens so far. */
  outputTokens(): number {
    return this.counter.count();
  }

  /** The live counters now. */
  counters(): RunCounters {
    const now = this.clock();
    const outputTokens = this.counter.count();
    return {
      inputTokens: this.inputTokens,
      outputTokens,
      costUsd: costOf({ ...NO_USAGE, ...this.inputCache, inputTokens: this.inputTokens, outputTokens }, this.options.price),
      isEstimated: true,
      isInputEstimated: !this.isInputCounted,
      ttftMs: this.ttftMs,
      tokensPerSecond: tokensPerSecond(outputTokens, this.firstDeltaAt === null ? null : now - this.firstDeltaAt),
      // From the request going out, as the stored latency is: a queued request's wait is not its time.
      elapsedMs: now - (this.firstAttemptAt ?? this.startedAt),
    };
  }

  /**
   * Where the cell is now, as a delta with no text: its counters and any wait (queued, or the
   * retry it counts down to), for a window that opens while it streams.
   */
  state(): RunDelta {
    const now = this.clock();
    return {
      batchId: this.options.batchId,
      runId: this.options.runId,
      text: '',
      isQueued: this.isQueued,
      retry: this.retry && { inMs: Math.max(0, this.retry.at - now), reason: this.retry.reason },
      counters: this.counters(),
    };
  }

  private flush(): void {
    this.clearTimer();
    if (this.pending === '' && this.pendingReasoning === '' && !this.hasNewNotice && !this.hasWaitChange) return;
    const text = this.pending;
    const reasoning = this.pendingReasoning;
    const hasNewNotice = this.hasNewNotice;
    const hasWaitChange = this.hasWaitChange;
    this.pending = '';
    this.pendingReasoning = '';
    this.hasNewNotice = false;
    this.hasWaitChange = false;
    const now = this.clock();
    this.lastFlushAt = now;
    this.options.emit?.({
      batchId: this.options.batchId,
      runId: this.options.runId,
      text,
      ...(reasoning !== '' && { reasoning }),
      ...(hasNewNotice && { notices: [...this.notices] }),
      ...(hasWaitChange && { isQueued: this.isQueued, retry: this.retry && { inMs: Math.max(0, this.retry.at - now), reason: this.retry.reason } }),
      counters: this.counters(),
    });
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
