/**
 * Configured providers in SQLite: kind, label, base URL, where the key comes from. Keys
 * themselves go to the `SecretStore` or stay in the environment; this table only says which.
 *
 * Every install starts with OpenAI, Anthropic and Ollama (schema v2); any number of
 * OpenAI-compatible endpoints (LM Studio, vLLM, llama.cpp, OpenRouter, Groq...) can be added.
 */

import { assertNever } from '../../../shared/assert-never';
import { issueSentence, WorkbenchError } from '../../../shared/errors';
import { isKeyVariableName, KEY_VARIABLE_RULE } from '../../../shared/key-variable';
import { isLocalServer } from '../../../shared/local-server';
import { ollamaHostUrl } from '../../../shared/ollama-host';
import { DEFAULT_KEEP_ALIVE, keepAliveProblem, keepAliveValue } from '../../../shared/ollama-keep-alive';
import { providerNameKey, takenNameText } from '../../../shared/provider-name';
import { defaultTimeLimits, durationMs, durationText, timeLimitProblem, type TimeLimitName } from '../../../shared/time-limits';
import { portProblem } from '../../../shared/url-port';
import type { KeySource, MissingKey, ProviderKind, ProviderSettings, ProviderTimeLimits } from '../../../shared/types';
import type { Database } from '../database';
import { statementCache } from '../prepared-statements';
import { providerKeyName, type SecretStore } from '../secrets/secret-store';
import { ANTHROPIC_BASE_URL } from './anthropic-provider';
import { normalizeOllamaHost, type ProviderConfig } from './create-provider';
import { OPENAI_BASE_URL } from './openai-provider';
import type { KeyOrigin } from './provider-error';
import { withoutCredentials } from './url-credentials';

/** A provider as stored, with its endpoint worked out; everything but whether a key is at hand. */
export type ProviderEndpoint = Omit<ProviderSettings, 'hasKey'>;

/** What settings send to add or change a provider. */
export interface ProviderInput {
  id?: number;
  kind: ProviderKind;
  label: string;
  baseUrl?: string | null;
  keySource?: KeySource;
  keyVariable?: string | null;
  apiKey?: string;
  isKeyCleared?: boolean;
  isLocal?: boolean;
  /** Ollama's keep-alive as written; null or empty for the default. */
  keepAlive?: string | null;
  /** The time limits as written ("90s", "3m", "1h", seconds); null or empty for the default (`defaultTimeLimits`). */
  firstOutputLimit?: string | null;
  stallLimit?: string | null;
  totalLimit?: string | null;
}

/** Each time limit's input field, and what Settings call it. */
export const TIME_LIMIT_FIELDS: Readonly<Record<TimeLimitName, { field: 'firstOutputLimit' | 'stallLimit' | 'totalLimit'; label: string }>> = {
  firstOutputMs: { field: 'firstOutputLimit', label: 'First token limit' },
  stallMs: { field: 'stallLimit', label: 'Stall limit' },
  totalMs: { field: 'totalLimit', label: 'Total limit' },
};

/** Options of the store. */
export interface ProviderSettingsStoreOptions {
  /** Where `environment` key sources and OLLAMA_HOST are read. */
  environment: Readonly<Record<string, string | undefined>>;
  secrets: SecretStore;
  now?: () => Date;
}

interface ProviderRow {
  id: number;
  kind: ProviderKind;
  label: string;
  baseUrl: string | null;
  keySource: KeySource;
  keyVariable: string | null;
  isLocal: number;
  isBuiltIn: number;
  keepAlive: string | null;
  firstOutputLimitMs: number | null;
  stallLimitMs: number | null;
  totalLimitMs: number | null;
  updatedAt: string;
}

const PROVIDER_COLUMNS = `id, kind, label, base_url AS baseUrl, key_source AS keySource, key_variable AS keyVariable,
  is_local AS isLocal, is_built_in AS isBuiltIn, keep_alive AS keepAlive, first_output_limit_ms AS firstOutputLimitMs,
  stall_limit_ms AS stallLimitMs, total_limit_ms AS totalLimitMs, updated_at AS updatedAt`;

/** What a provider is saved with: its settings, less what the table or the engine gives it. */
type ProviderFields = Omit<ProviderEndpoint, 'id' | 'endpoint' | 'isBuiltIn' | 'updatedAt'>;

/**
 * The column each of a provider's settings is kept in, with its value: the one list both the
 * INSERT and the UPDATE of `save` are written from, so a new setting is saved by adding it here
 * (and read through `PROVIDER_COLUMNS` and `toEndpoint`).
 */
function savedColumns(fields: ProviderFields): Record<string, string | number | null> {
  return {
    kind: fields.kind,
    label: fields.label,
    base_url: fields.baseUrl,
    key_source: fields.keySource,
    key_variable: fields.keyVariable,
    is_local: fields.isLocal ? 1 : 0,
    keep_alive: fields.keepAlive,
    first_output_limit_ms: fields.timeLimits.firstOutputMs,
    stall_limit_ms: fields.timeLimits.stallMs,
    total_limit_ms: fields.timeLimits.totalMs,
  };
}

/** The environment variable each kind reads its key from by convention; null for kinds with none. */
export function standardKeyVariable(kind: ProviderKind): string | null {
  switch (kind) {
    case 'openai':
      return 'OPENAI_API_KEY';
    case 'anthropic':
      return 'ANTHROPIC_API_KEY';
    case 'openai-compatible':
    case 'ollama':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}

/** Hosts of services that answer nothing without an API key, whatever a provider's settings say (the Groq and OpenRouter presets, OpenAI, Anthropic). */
const KEY_REQUIRED_HOSTS = new Set(['api.openai.com', 'api.anthropic.com', 'api.groq.com', 'openrouter.ai']);

/**
 * True when a provider cannot run without an API key: OpenAI and Anthropic, an endpoint told to
 * read one (from the environment or Settings), and a service known to need one; Ollama and a
 * keyless compatible server (LM Studio, llama.cpp, vLLM) need none.
 */
export function isKeyRequired(provider: Pick<ProviderEndpoint, 'kind' | 'keySource' | 'endpoint'>): boolean {
  switch (provider.kind) {
    case 'openai':
    case 'anthropic':
      return true;
    case 'ollama':
      return false;
    case 'openai-compatible':
      return provider.keySource !== 'none' || (URL.canParse(provider.endpoint) && KEY_REQUIRED_HOSTS.has(new URL(provider.endpoint).hostname.toLowerCase()));
    default:
      return assertNever(provider.kind, 'provider kind');
  }
}

/**
 * The environment variable a provider is set to read its key from but may not (a name saved
 * before only `_API_KEY` names were allowed); null when its key source is fine.
 */
export function refusedKeyVariable(provider: Pick<ProviderEndpoint, 'keySource' | 'keyVariable'>): string | null {
  return provider.keySource === 'environment' && provider.keyVariable !== null && !isKeyVariableName(provider.keyVariable) ? provider.keyVariable : null;
}

/** The providers table, keys resolved through the environment and the secret store. */
export class ProviderSettingsStore {
  private readonly database: Database;
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly options: ProviderSettingsStoreOptions;
  private readonly now: () => Date;
  /** When this store (and so the engine) started: a key entered before then in a store that keeps keys for the session only is gone. */
  private readonly startedAt: string;
  /** The names of providers removed since the engine started, by id, so a window that still offers one can be told which. */
  private readonly removedLabels = new Map<number, string>();

  constructor(database: Database, options: ProviderSettingsStoreOptions) {
    this.database = database;
    this.sql = statementCache(database);
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now().toISOString();
  }

  /** Every provider: the built-in ones first, then the added ones in the order they were added. */
  async list(): Promise<ProviderSettings[]> {
    const rows = this.sql<[], ProviderRow>(`SELECT ${PROVIDER_COLUMNS} FROM providers ORDER BY is_built_in DESC, id`).all();
    return Promise.all(rows.map((row) => this.withKeyState(this.toEndpoint(row))));
  }

  /** Every provider's id, name and kind, in `list` order: what files name an LLM judge's provider by (evals/file-judge.ts). */
  identities(): Pick<ProviderSettings, 'id' | 'label' | 'kind' | 'isBuiltIn'>[] {
    return this.sql<[], Pick<ProviderRow, 'id' | 'label' | 'kind' | 'isBuiltIn'>>('SELECT id, label, kind, is_built_in AS isBuiltIn FROM providers ORDER BY is_built_in DESC, id')
      .all()
      .map((row) => ({ ...row, isBuiltIn: row.isBuiltIn === 1 }));
  }

  /** One provider as settings show it. */
  async get(id: number): Promise<ProviderSettings> {
    return this.withKeyState(this.endpoint(id));
  }

  /** One provider without the key check (synchronous); throws `not-found`. */
  endpoint(id: number): ProviderEndpoint {
    const row = this.row(id);
    if (row === undefined) throw new WorkbenchError('not-found', `Provider ${id} does not exist`);
    return this.toEndpoint(row);
  }

  /**
   * The provider a run or eval of `model` is asked to use, for a window that may not have heard
   * it was removed: the refusal names the model, and the provider when its name is known.
   */
  endpointOfTarget(target: { providerId: number; model: string }): ProviderEndpoint {
    const row = this.row(target.providerId);
    if (row !== undefined) return this.toEndpoint(row);
    const label = this.removedLabels.get(target.providerId);
    const which = label === undefined ? 'The provider of' : `${label}, the provider of`;
    const comma = label === undefined ? '' : ',';
    throw new WorkbenchError('not-found', `${which} ${target.model}${comma} was removed in Settings › Providers: remove ${target.model} from the models to run`);
  }

  /**
   * Adds or updates a provider; a key given goes to the secret store, never to the table. A name
   * another provider has is refused; a provider that shares its name with another already (a
   * database from before names were checked) keeps it until it is renamed.
   */
  async save(input: ProviderInput): Promise<ProviderSettings> {
    const existing = input.id === undefined ? null : this.endpoint(input.id);
    const fields = this.checkedFields(input, existing);
    if (existing === null || providerNameKey(existing.label) !== providerNameKey(fields.label)) this.checkNameIsFree(fields.label, existing?.id ?? null);
    const timestamp = this.now().toISOString();
    let id: number;
    if (existing === null) {
      id = this.insert(fields, timestamp);
    } else {
      id = existing.id;
      const columns = savedColumns(fields);
      const assignments = Object.keys(columns).map((column) => `${column} = ?`);
      this.sql(`UPDATE providers SET ${assignments.join(', ')}, updated_at = ? WHERE id = ?`).run(...Object.values(columns), timestamp, id);
    }
    const secretName = providerKeyName(id);
    if (input.apiKey !== undefined) await this.options.secrets.set(secretName, input.apiKey);
    else if (fields.keySource !== 'secret-store' || input.isKeyCleared === true) await this.options.secrets.delete(secretName);
    return this.get(id);
  }

  /** Removes an added provider, its price overrides and its stored key; its runs keep their copy of it. */
  async remove(id: number): Promise<void> {
    const provider = this.endpoint(id);
    if (provider.isBuiltIn) {
      throw new WorkbenchError('conflict', `${provider.label} is built in and cannot be removed; change its settings instead`);
    }
    // The key goes first: should the secret store fail, the provider stays, rather than a key
    // left behind with no provider to show it.
    await this.options.secrets.delete(providerKeyName(id));
    this.sql('DELETE FROM providers WHERE id = ?').run(id);
    this.removedLabels.set(id, provider.label);
  }

  /**
   * Adds a provider under an id no provider ever had: SQLite would give the highest id again
   * once its provider is removed, and a window, a remembered choice or a key that still names the
   * removed one would then reach the new one. The highest id given out is kept in `meta`.
   */
  private insert(fields: ProviderFields, timestamp: string): number {
    return this.database.transaction(() => {
      const { id } = this.sql<[], { id: number }>(
        `SELECT max(
           (SELECT coalesce(max(id), 0) FROM providers),
           coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'highest_id.providers'), 0)
         ) + 1 AS id`,
      ).get() ?? { id: 1 };
      const columns = savedColumns(fields);
      const names = Object.keys(columns);
      this.sql(
        `INSERT INTO providers (id, ${names.join(', ')}, is_built_in, created_at, updated_at)
         VALUES (?, ${names.map(() => '?').join(', ')}, 0, ?, ?)`,
      ).run(id, ...Object.values(columns), timestamp, timestamp);
      this.sql(`INSERT INTO meta (key, value) VALUES ('highest_id.providers', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(id));
      return id;
    }).immediate();
  }

  /** The key of a provider from its source, or null. */
  async apiKey(provider: Pick<ProviderEndpoint, 'id' | 'keySource' | 'keyVariable'>): Promise<string | null> {
    switch (provider.keySource) {
      case 'none':
        return null;
      case 'environment':
        // A name stored before names were checked is not read: its value would go out as the key.
        if (provider.keyVariable === null || !isKeyVariableName(provider.keyVariable)) return null;
        return this.options.environment[provider.keyVariable]?.trim() || null;
      case 'secret-store':
        return this.options.secrets.get(providerKeyName(provider.id));
      default:
        return assertNever(provider.keySource, 'key source');
    }
  }

  /** The endpoint a provider of `kind` with `baseUrl` sends requests to. */
  endpointOf(kind: ProviderKind, baseUrl: string | null): string {
    if (baseUrl !== null) return baseUrl.replace(/\/+$/, '');
    switch (kind) {
      case 'openai':
        return OPENAI_BASE_URL;
      case 'anthropic':
        return ANTHROPIC_BASE_URL;
      case 'ollama':
        return normalizeOllamaHost(this.options.environment.OLLAMA_HOST);
      case 'openai-compatible':
        return '';
      default:
        return assertNever(kind, 'provider kind');
    }
  }

  /**
   * Why a provider that needs an API key (see `isKeyRequired`) has none at hand: `lost-at-restart`
   * for a key entered before the host restarted, where it keeps entered keys for the session
   * only; `not-set` otherwise; null when it has its key or needs none.
   */
  async missingKey(provider: ProviderEndpoint): Promise<MissingKey | null> {
    if (!isKeyRequired(provider)) return null;
    if (refusedKeyVariable(provider) === null && (await this.apiKey(provider)) !== null) return null;
    return this.isKeyLost(provider) ? 'lost-at-restart' : 'not-set';
  }

  /**
   * True when a provider set to use an entered key was saved before this session of a host that
   * keeps entered keys for the session only: any key entered for it went with the restart.
   * (A provider being tested before it is saved has no `updatedAt`.)
   */
  private isKeyLost(provider: Pick<ProviderEndpoint, 'keySource' | 'updatedAt'>): boolean {
    return provider.keySource === 'secret-store' && !this.options.secrets.isPersistent && provider.updatedAt !== '' && provider.updatedAt < this.startedAt;
  }

  /** The settings a provider is built from, with `apiKey`. */
  config(provider: ProviderEndpoint, apiKey: string | null): ProviderConfig {
    const baseUrl = provider.baseUrl ?? undefined;
    const keyOrigin = apiKey === null && this.isKeyLost(provider) ? 'lost-at-restart' : keyOriginOf(provider);
    switch (provider.kind) {
      case 'openai':
        return { kind: 'openai', apiKey, baseUrl, ...(keyOrigin && { keyOrigin }) };
      case 'anthropic':
        return { kind: 'anthropic', apiKey, baseUrl, ...(keyOrigin && { keyOrigin }) };
      case 'openai-compatible':
        return { kind: 'openai-compatible', name: provider.label, baseUrl: provider.endpoint, apiKey, ...(keyOrigin && { keyOrigin }) };
      case 'ollama':
        // A value stored before it was checked (or by another tool) that Ollama would refuse gives way to the default.
        return { kind: 'ollama', host: provider.endpoint, keepAlive: keepAliveValue(provider.keepAlive ?? DEFAULT_KEEP_ALIVE) ?? DEFAULT_KEEP_ALIVE };
      default:
        return assertNever(provider.kind, 'provider kind');
    }
  }

  /**
   * The fields of `input` over `existing`, checked: a compatible endpoint needs its URL, an
   * environment key needs a variable, Ollama takes no key (and its host is written as a URL), and
   * the built-in three keep their kind.
   */
  checkedFields(input: ProviderInput, existing: ProviderEndpoint | null): ProviderFields {
    const kind = input.kind;
    if (existing?.isBuiltIn && existing.kind !== kind) {
      throw new WorkbenchError('invalid-input', `${existing.label} is built in and stays ${existing.kind}; add a provider for ${kind} instead`);
    }
    const label = input.label.trim();
    let baseUrl = input.baseUrl === undefined ? (existing?.baseUrl ?? null) : input.baseUrl?.trim().replace(/\/+$/, '') || null;
    if (baseUrl !== null && input.baseUrl !== undefined) {
      const badPort = portProblem(baseUrl);
      if (badPort !== null) throw fieldRefusal('baseUrl', issueSentence(kind === 'ollama' ? 'Host' : 'Base URL', badPort));
      // Ollama's host is read as OLLAMA_HOST is ("127.0.0.1:11434", "gpu-box"); the contract checked the rest only when it knew the kind.
      const url = kind === 'ollama' ? ollamaHostUrl(baseUrl) : /^https?:\/\/[^\s/]+/i.test(baseUrl) && URL.canParse(baseUrl) ? baseUrl : null;
      if (url === null) throw fieldRefusal('baseUrl', kind === 'ollama' ? 'Host must be an http:// or https:// URL, or host:port (127.0.0.1:11434)' : 'Base URL must be an http:// or https:// URL');
      baseUrl = url;
    }
    if (kind === 'openai-compatible' && baseUrl === null) {
      throw fieldRefusal('baseUrl', 'An OpenAI-compatible endpoint needs its base URL (most end in /v1)');
    }
    if (kind === 'ollama' && (input.apiKey !== undefined || (input.keySource !== undefined && input.keySource !== 'none'))) {
      throw new WorkbenchError('invalid-input', 'Ollama takes no API key');
    }
    const standard = standardKeyVariable(kind);
    let keySource: KeySource;
    if (kind === 'ollama') keySource = 'none';
    else if (input.apiKey !== undefined) keySource = 'secret-store';
    else if (input.keySource !== undefined) keySource = input.keySource;
    else if (input.isKeyCleared === true) keySource = standard === null ? 'none' : 'environment';
    else keySource = existing?.kind === kind ? existing.keySource : standard === null ? 'none' : 'environment';
    // Choosing "Enter key" and leaving it empty would save a provider that cannot run; one already keeping a key keeps it.
    if (keySource === 'secret-store' && input.apiKey === undefined && existing?.keySource !== 'secret-store') {
      throw fieldRefusal('apiKey', 'Paste the key to keep, or choose where else the key comes from');
    }
    let keyVariable: string | null = null;
    if (keySource === 'environment') {
      keyVariable = input.keyVariable?.trim() || (existing?.kind === kind ? existing.keyVariable : null) || standard;
      if (keyVariable === null) {
        throw fieldRefusal('keyVariable', 'Name the environment variable that holds the key, or enter the key itself');
      }
      if (!isKeyVariableName(keyVariable)) throw fieldRefusal('keyVariable', KEY_VARIABLE_RULE);
    }
    const endpoint = this.endpointOf(kind, baseUrl);
    const isLocal = input.isLocal ?? (existing?.kind === kind ? existing.isLocal : isLocalServer(kind, endpoint));
    const keepAlive = input.keepAlive === undefined ? (existing?.kind === kind ? existing.keepAlive : null) : input.keepAlive?.trim() || null;
    if (keepAlive !== null) {
      if (kind !== 'ollama') throw fieldRefusal('keepAlive', 'Only an Ollama provider keeps models loaded: leave Keep loaded empty');
      const problem = keepAliveProblem(keepAlive);
      if (problem !== null) throw fieldRefusal('keepAlive', issueSentence('Keep loaded', problem));
    }
    return { kind, label, baseUrl, keySource, keyVariable, isLocal, keepAlive, timeLimits: checkedTimeLimits(kind, endpoint, input, existing) };
  }

  /** Throws when a provider other than `ownId` is called `label` (see `providerNameKey`). */
  private checkNameIsFree(label: string, ownId: number | null): void {
    const rows = this.sql<[], { id: number; label: string }>('SELECT id, label FROM providers ORDER BY id').all();
    const taken = rows.find((row) => row.id !== ownId && providerNameKey(row.label) === providerNameKey(label));
    if (taken !== undefined) throw new WorkbenchError('conflict', takenNameText(taken.label), [{ path: 'label', rule: takenNameText(taken.label) }]);
  }

  /** A provider as Settings show it: whether a key is at hand, and the endpoint without any password in it. */
  private async withKeyState(provider: ProviderEndpoint): Promise<ProviderSettings> {
    const hasKey = (await this.apiKey(provider)) !== null;
    return { ...provider, endpoint: withoutCredentials(provider.endpoint), hasKey };
  }

  private row(id: number): ProviderRow | undefined {
    return this.sql<[number], ProviderRow>(`SELECT ${PROVIDER_COLUMNS} FROM providers WHERE id = ?`).get(id);
  }

  private toEndpoint(row: ProviderRow): ProviderEndpoint {
    return {
      id: row.id,
      kind: row.kind,
      label: row.label,
      baseUrl: row.baseUrl,
      endpoint: this.endpointOf(row.kind, row.baseUrl),
      keySource: row.keySource,
      keyVariable: row.keyVariable,
      isLocal: row.isLocal === 1,
      isBuiltIn: row.isBuiltIn === 1,
      keepAlive: row.keepAlive,
      timeLimits: { firstOutputMs: row.firstOutputLimitMs, stallMs: row.stallLimitMs, totalMs: row.totalLimitMs },
      updatedAt: row.updatedAt,
    };
  }
}

/**
 * The time limits of `input` over those of `existing`, checked: each a duration the field takes
 * (empty for the default of a provider of `kind` at `endpoint`), and neither the first-token
 * limit nor the stall limit longer than the total, which would never let it end a run.
 */
function checkedTimeLimits(kind: ProviderKind, endpoint: string, input: ProviderInput, existing: ProviderEndpoint | null): ProviderTimeLimits {
  const limits: ProviderTimeLimits = { firstOutputMs: null, stallMs: null, totalMs: null };
  for (const name of ['firstOutputMs', 'stallMs', 'totalMs'] as const) {
    const { field, label } = TIME_LIMIT_FIELDS[name];
    const written = input[field];
    if (written === undefined) {
      limits[name] = existing?.timeLimits[name] ?? null;
      continue;
    }
    const text = written?.trim() ?? '';
    if (text === '') continue;
    const problem = timeLimitProblem(text);
    if (problem !== null) throw fieldRefusal(field, issueSentence(label, problem));
    limits[name] = durationMs(text);
  }
  const defaults = defaultTimeLimits(kind, endpoint);
  const totalMs = limits.totalMs ?? defaults.totalMs;
  const total = `the total limit (${durationText(totalMs)}${limits.totalMs === null ? ', the default' : ''})`;
  for (const name of ['firstOutputMs', 'stallMs'] as const) {
    const ms = limits[name] ?? defaults[name];
    if (ms <= totalMs) continue;
    const { field, label } = TIME_LIMIT_FIELDS[name];
    // Blamed on the field set: a default longer than a total set short is the total's to fix.
    if (limits[name] === null) {
      throw fieldRefusal('totalLimit', `Total limit is shorter than the ${label.toLowerCase()} (${durationText(ms)}, the default): set a longer total, or a shorter ${label.toLowerCase()}`);
    }
    throw fieldRefusal(field, `${label} is longer than ${total}: set a shorter ${label.toLowerCase()}, or a longer total`);
  }
  return limits;
}

/** A refusal of one field's value, named so a form can show `message` under that field. */
function fieldRefusal(path: string, message: string): WorkbenchError {
  return new WorkbenchError('invalid-input', message, [{ path, rule: message }]);
}

/** Where a provider's key comes from, for what its errors tell the user to check; null when it takes none. */
function keyOriginOf(provider: Pick<ProviderEndpoint, 'keySource' | 'keyVariable'>): KeyOrigin | null {
  switch (provider.keySource) {
    case 'none':
      return null;
    case 'environment':
      return provider.keyVariable === null ? null : { variable: provider.keyVariable };
    case 'secret-store':
      return 'settings';
    default:
      return assertNever(provider.keySource, 'key source');
  }
}
