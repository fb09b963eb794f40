/**
 * Providers as settings see them: list, save (a key goes to the secret store), remove, and
 * "Test connection" on saved or unsaved settings. The handlers in engine.ts call these.
 */

import { WorkbenchError } from '../../../shared/errors';
import type { KeySource, ProviderKind, ProviderSettings, ProviderTestResult } from '../../../shared/types';
import type { ProviderRegistry } from './provider-registry';
import type { ProviderEndpoint, ProviderInput, ProviderSettingsStore } from './provider-settings-store';

/** What "Test connection" may be given: a saved provider's id, fields to try, or both. */
export interface ProviderTestInput {
  id?: number;
  kind?: ProviderKind;
  label?: string;
  baseUrl?: string | null;
  keySource?: KeySource;
  keyVariable?: string | null;
  apiKey?: string;
  isKeyCleared?: boolean;
  isLocal?: boolean;
  /** The caller's name for this test, to cancel it by (`cancelTest`). */
  testKey?: string;
}

/** Settings of providers and their live instances, kept in step. */
export class ProviderService {
  private readonly store: ProviderSettingsStore;
  private readonly registry: ProviderRegistry;
  /** Tests running, by their callers' keys. */
  private readonly runningTests = new Map<string, AbortController>();

  constructor(store: ProviderSettingsStore, registry: ProviderRegistry) {
    this.store = store;
    this.registry = registry;
  }

  /** Every configured provider. */
  list(): Promise<ProviderSettings[]> {
    return this.store.list();
  }

  /** Adds or updates a provider; the next run builds it afresh. */
  async save(input: ProviderInput): Promise<ProviderSettings> {
    const saved = await this.store.save(input);
    this.registry.forget(saved.id);
    return saved;
  }

  /** Removes an added provider; returns the rest. */
  async remove(id: number): Promise<ProviderSettings[]> {
    await this.store.remove(id);
    this.registry.remove(id);
    return this.store.list();
  }

  /** Lists the models of a saved provider, or of the given fields over it, without saving. */
  async test(input: ProviderTestInput): Promise<ProviderTestResult> {
    const existing = input.id === undefined ? null : this.store.endpoint(input.id);
    const kind = input.kind ?? existing?.kind;
    if (kind === undefined) throw new WorkbenchError('invalid-input', 'Give the id of a saved provider or a kind');
    const fields = this.store.checkedFields({ ...input, kind, label: input.label ?? existing?.label ?? kind }, existing);
    const settings: ProviderEndpoint = {
      id: existing?.id ?? 0,
      isBuiltIn: existing?.isBuiltIn ?? false,
      updatedAt: existing?.updatedAt ?? '',
      ...fields,
      endpoint: this.store.endpointOf(fields.kind, fields.baseUrl),
    };
    const apiKey = input.isKeyCleared === true ? null : (input.apiKey ?? (await this.store.apiKey(settings)));
    const { testKey } = input;
    if (testKey === undefined) return this.registry.test(settings, apiKey);
    const controller = new AbortController();
    this.runningTests.get(testKey)?.abort();
    this.runningTests.set(testKey, controller);
    try {
      return await this.registry.test(settings, apiKey, controller.signal);
    } finally {
      if (this.runningTests.get(testKey) === controller) this.runningTests.delete(testKey);
    }
  }

  /** Cancels the test started with `testKey`; false when it is not running (it ended, or never began). */
  cancelTest(testKey: string): { cancelled: boolean } {
    const controller = this.runningTests.get(testKey);
    if (controller === undefined) return { cancelled: false };
    this.runningTests.delete(testKey);
    controller.abort();
    return { cancelled: true };
  }
}
