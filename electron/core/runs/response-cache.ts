/**
 * The response cache: a finished, successful answer kept under the SHA-256 of its canonical
 * request, so the same request again returns at once, with the original usage, latency and
 * price, and the money it saved. Errors and cancelled runs are never stored.
 *
 * The canonical request is JSON with sorted keys and without absent values, of: provider kind
 * and endpoint, model, rendered messages, parameters, response format and sample index. The sample index is in
 * it so that asking for three samples of one request makes three answers, not one thrice.
 */

import { hash } from 'node:crypto';
import { assertNever } from '../../../shared/assert-never';
import type { CacheStats, ModelParameters, ModelPrice, PriceSource, PromptMessage, ProviderKind, ResolvedPrice, ResponseFormat, RunUsage } from '../../../shared/types';
import { canonicalJson } from '../canonical-json';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';
import { noticesJson, parseNotices } from './notices';

/** The request fields that make a cache key. */
export interface CacheableRequest {
  providerKind: ProviderKind;
  endpoint: string;
  model: string;
  messages: readonly PromptMessage[];
  parameters: ModelParameters;
  sampleIndex: number;
  /** The response format the answer was asked in (a prompt's, or an eval judge's schema); absent for text. */
  responseFormat?: ResponseFormat;
}

/** A stored answer. */
export interface CachedResponse {
  output: string;
  /** The thinking that came with it, apart from the answer; '' when none. */
  reasoning: string;
  finishReason: string | null;
  usage: RunUsage;
  /** What the original run cost (what a hit saves); null when it had no price. */
  costUsd: number | null;
  price: ResolvedPrice;
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
  sourceRunId: number;
  /** What the provider changed about the request to have it accepted; empty when nothing. */
  notices: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many answers one eviction transaction deletes at most. */
const TRIM_CHUNK = 256;

/** Bumps the key when the canonical form changes, so old entries are never misread. */
const KEY_VERSION = 1;

/**
 * The SHA-256 (hex) of the canonical form of `request`: `canonicalJson` of
 * `{ version, provider, endpoint, model, messages, parameters, responseFormat, responseSchema, sample }`,
 * the endpoint without trailing slashes, each message as `{ role, content }`, an empty `stop`
 * left out. A JSON object format is `"responseFormat":"json_object"`; a JSON schema format is
 * `"responseSchema":{ name, schema }`, as the judge's schema was keyed before prompts had
 * formats, with `"strict":false` in it for a schema that is not strict (a strict one is keyed
 * as before the choice); text has neither (so keys of text runs, and of judges, are what they
 * always were).
 *
 * The text is written here directly, keys in their sorted order, rather than by walking a
 * freshly built object: every cell of every batch needs its key (a test holds the two equal).
 */
export function cacheKey(request: CacheableRequest): string {
  const { stop } = request.parameters;
  const parameters = canonicalJson({ ...request.parameters, stop: stop?.length ? stop : undefined });
  const canonical =
    `{"endpoint":${JSON.stringify(request.endpoint.replace(/\/+$/, ''))},"messages":${messagesJson(request.messages)},` +
    `"model":${JSON.stringify(request.model)},"parameters":${parameters},"provider":${JSON.stringify(request.providerKind)},` +
    formatJson(request.responseFormat) +
    `"sample":${canonicalJson(request.sampleIndex)},"version":${KEY_VERSION}}`;
  // The one-shot form: no Hash object per key.
  return hash('sha256', canonical, 'hex');
}

/** The key's response format members, each followed by a comma; '' for text. */
function formatJson(format: ResponseFormat | undefined): string {
  if (format === undefined) return '';
  switch (format.type) {
    case 'json_object':
      return '"responseFormat":"json_object",';
    case 'json_schema':
      return `"responseSchema":${canonicalJson({ name: format.name, schema: format.schema, ...(format.isStrict === false && { strict: false }) })},`;
    default:
      return assertNever(format, 'response format');
  }
}

/** The canonical JSON of the messages, as `[{ "content": ..., "role": ... }, ...]`. */
function messagesJson(messages: readonly PromptMessage[]): string {
  let text = '';
  for (const { role, content } of messages) {
    const message =
      typeof content === 'string' && typeof role === 'string'
        ? `{"content":${JSON.stringify(content)},"role":${JSON.stringify(role)}}`
        : canonicalJson({ role, content });
    text += text === '' ? message : `,${message}`;
  }
  return `[${text}]`;
}

interface CacheRow {
  output: string;
  reasoning: string;
  finishReason: string | null;
  usageJson: string;
  costUsd: number | null;
  priceJson: string | null;
  priceSource: PriceSource;
  catalogModel: string | null;
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
  sourceRunId: number | null;
  noticesJson: string | null;
}

/** The cache table and its counters. */
export class ResponseCache {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;

  /** `find` and `countLookup` in an immediate transaction, wrapped once (better-sqlite3 builds each wrapper anew). */
  private readonly lookupInTransaction: (key: string, at: string) => CachedResponse | null;

  /** How many days an answer is served; null for ever. */
  private readonly maxAgeDays: () => number | null;

  constructor(database: Database, options: { maxAgeDays?: () => number | null } = {}) {
    this.database = database;
    this.sql = statementCache(database);
    this.maxAgeDays = options.maxAgeDays ?? (() => null);
    this.lookupInTransaction = database.transaction((key: string, at: string) => {
      const found = this.find(key, at);
      this.countLookup(key, found, at);
      return found;
    }).immediate;
  }

  /** The oldest `created_at` still served at `at`; null when answers never expire. */
  private notBefore(at: string): string | null {
    const days = this.maxAgeDays();
    return days === null ? null : new Date(Date.parse(at) - days * DAY_MS).toISOString();
  }

  /** True when an answer under `key` would be served at `at`; counts nothing (an estimate asking ahead of a run). */
  has(key: string, at: string): boolean {
    return this.sql<[string, string | null], { found: number }>('SELECT 1 AS found FROM response_cache WHERE key = ? AND created_at >= coalesce(?, created_at)').get(key, this.notBefore(at)) !== undefined;
  }

  /** The answer stored under `key`, counting the lookup (and the hit, and what it saved); an expired one is a miss. */
  lookup(key: string, at: string): CachedResponse | null {
    return this.lookupInTransaction(key, at);
  }

  /**
   * The answer stored under `key` at `at`, counting nothing: the runner counts its lookup with
   * `countLookup` in the transaction that stores the run, so a run writes once, not twice.
   */
  find(key: string, at: string): CachedResponse | null {
    const row = this.sql<[string, string | null], CacheRow>(
      `SELECT output, reasoning, finish_reason AS finishReason, usage_json AS usageJson, cost_usd AS costUsd, price_json AS priceJson,
              price_source AS priceSource, catalog_model AS catalogModel, ttft_ms AS ttftMs, latency_ms AS latencyMs,
              tokens_per_second AS tokensPerSecond, source_run_id AS sourceRunId, notices_json AS noticesJson
       FROM response_cache WHERE key = ? AND created_at >= coalesce(?, created_at)`,
    ).get(key, this.notBefore(at));
    if (row === undefined) return null;
    return {
      output: row.output,
      reasoning: row.reasoning,
      finishReason: row.finishReason,
      usage: JSON.parse(row.usageJson) as RunUsage,
      costUsd: row.costUsd,
      price: {
        price: row.priceJson === null ? null : (JSON.parse(row.priceJson) as ModelPrice),
        source: row.priceSource,
        catalogModel: row.catalogModel,
      },
      ttftMs: row.ttftMs,
      latencyMs: row.latencyMs,
      tokensPerSecond: row.tokensPerSecond,
      sourceRunId: row.sourceRunId ?? 0,
      notices: parseNotices(row.noticesJson),
    };
  }

  /**
   * Counts a lookup made at `at` under `key` and what it found (`find`): the hit and what it
   * saved, and the answer's use (which keeps it from being evicted first). Call it inside a
   * write transaction. A lookup made before the cache was last cleared is not counted: the
   * counters are since the clear.
   */
  countLookup(key: string, found: CachedResponse | null, at: string): void {
    const since = 'id = 1 AND (cleared_at IS NULL OR cleared_at <= ?)';
    if (found === null) {
      this.sql<[string]>(`UPDATE cache_counters SET lookups = lookups + 1 WHERE ${since}`).run(at);
      return;
    }
    this.sql<[number | null, number | null, string]>(
      `UPDATE cache_counters SET lookups = lookups + 1, hits = hits + 1, saved_usd = saved_usd + coalesce(?, 0), unpriced_hits = unpriced_hits + (? IS NULL) WHERE ${since}`,
    ).run(found.costUsd, found.costUsd, at);
    this.sql<[string, string]>('UPDATE response_cache SET hit_count = hit_count + 1, last_hit_at = ? WHERE key = ?').run(at, key);
  }

  /** Keeps a successful answer under `key` (a newer answer for the same request replaces the older). */
  store(key: string, request: CacheableRequest, response: CachedResponse, at: string): void {
    const usageJson = JSON.stringify(response.usage);
    const priceJson = response.price.price === null ? null : JSON.stringify(response.price.price);
    // The bytes the answer takes, as the v7 migration counts them for older rows.
    const sizeBytes = [key, request.endpoint, request.model, response.output, response.reasoning, usageJson, priceJson ?? ''].reduce(
      (sum, text) => sum + Buffer.byteLength(text, 'utf8'),
      0,
    );
    this.sql(
      `INSERT INTO response_cache (key, provider_kind, endpoint, model, output, reasoning, finish_reason, usage_json, cost_usd, price_json,
         price_source, catalog_model, ttft_ms, latency_ms, tokens_per_second, source_run_id, created_at, size_bytes, notices_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET output = excluded.output, reasoning = excluded.reasoning, finish_reason = excluded.finish_reason,
         usage_json = excluded.usage_json, cost_usd = excluded.cost_usd, price_json = excluded.price_json,
         price_source = excluded.price_source, catalog_model = excluded.catalog_model, ttft_ms = excluded.ttft_ms,
         latency_ms = excluded.latency_ms, tokens_per_second = excluded.tokens_per_second,
         source_run_id = excluded.source_run_id, created_at = excluded.created_at, hit_count = 0, last_hit_at = NULL,
         size_bytes = excluded.size_bytes, notices_json = excluded.notices_json`,
    ).run(
      key,
      request.providerKind,
      request.endpoint,
      request.model,
      response.output,
      response.reasoning,
      response.finishReason,
      usageJson,
      response.costUsd,
      priceJson,
      response.price.source,
      response.price.catalogModel,
      response.ttftMs,
      response.latencyMs,
      response.tokensPerSecond,
      response.sourceRunId,
      at,
      sizeBytes,
      noticesJson(response.notices),
    );
  }

  /** Entries, bytes (and the limit on them), hit rate and savings since the last clear. */
  stats(limitBytes: number | null): CacheStats {
    const size = this.size();
    type Counters = { lookups: number; hits: number; savedUsd: number; unpricedHits: number; clearedAt: string | null };
    const counters = this.sql<[], Counters>(
      'SELECT lookups, hits, saved_usd AS savedUsd, unpriced_hits AS unpricedHits, cleared_at AS clearedAt FROM cache_counters WHERE id = 1',
    ).get() as Counters;
    return {
      entries: size.entries,
      sizeBytes: size.sizeBytes,
      limitBytes,
      lookups: counters.lookups,
      hits: counters.hits,
      hitRate: counters.lookups === 0 ? null : counters.hits / counters.lookups,
      savedUsd: Math.round(counters.savedUsd * 1e12) / 1e12,
      unpricedHits: counters.unpricedHits,
      clearedAt: counters.clearedAt,
    };
  }

  /** Entries and their bytes, summed from the least-recently-used index alone. */
  private size(): { entries: number; sizeBytes: number } {
    return this.sql<[], { entries: number; sizeBytes: number }>(
      'SELECT count(*) AS entries, coalesce(sum(size_bytes), 0) AS sizeBytes FROM response_cache INDEXED BY response_cache_by_use',
    ).get() as { entries: number; sizeBytes: number };
  }

  /**
   * Drops expired answers not used since they expired, then evicts the answers used longest ago
   * (last hit, or stored) until the cache holds at most `limitBytes` (null: no limit); returns
   * how many went. Deletes in small transactions, so another writer (the other host, a run
   * ending) waits at most for one of them. An expired answer hit since it expired stays until
   * the size limit or its next run replaces it; lookups never serve it.
   */
  trim(limitBytes: number | null, at: string): number {
    let evicted = 0;
    const notBefore = this.notBefore(at);
    if (notBefore !== null) {
      const expire = this.sql<[string, number]>(
        `DELETE FROM response_cache WHERE key IN (SELECT key FROM response_cache INDEXED BY response_cache_by_use
           WHERE coalesce(last_hit_at, created_at) < ? LIMIT ?)`,
      );
      for (;;) {
        const { changes } = this.database.transaction(() => expire.run(notBefore, TRIM_CHUNK)).immediate();
        evicted += changes;
        if (changes < TRIM_CHUNK) break;
      }
    }
    if (limitBytes === null) return evicted;
    let { sizeBytes } = this.size();
    while (sizeBytes > limitBytes) {
      const oldest = this.sql<[number], { key: string; sizeBytes: number }>(
        `SELECT key, size_bytes AS sizeBytes FROM response_cache INDEXED BY response_cache_by_use
         ORDER BY coalesce(last_hit_at, created_at), size_bytes LIMIT ?`,
      ).all(TRIM_CHUNK);
      if (oldest.length === 0) break;
      const going: string[] = [];
      for (const entry of oldest) {
        if (sizeBytes <= limitBytes) break;
        going.push(entry.key);
        sizeBytes -= entry.sizeBytes;
      }
      const remove = this.sql<[string]>('DELETE FROM response_cache WHERE key = ?');
      this.database.transaction(() => {
        for (const key of going) remove.run(key);
      }).immediate();
      evicted += going.length;
    }
    return evicted;
  }

  /** Empties the cache and restarts its counters. */
  clear(at: string, limitBytes: number | null): CacheStats {
    this.database.transaction(() => {
      this.sql('DELETE FROM response_cache').run();
      this.sql('UPDATE cache_counters SET lookups = 0, hits = 0, saved_usd = 0, unpriced_hits = 0, cleared_at = ? WHERE id = 1').run(at);
    }).immediate();
    return this.stats(limitBytes);
  }
}
