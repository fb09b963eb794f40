/**
 * Providers: the configured ones (never their keys), saving and removing them, and "Test
 * connection", whose model list also feeds the model picker of the runs panel.
 */

import type { CallInput } from '../../../shared/contract';
import type { ProviderModel, ProviderSettings, ProviderTestResult } from '../../../shared/types';
import { BridgeCallError, callErrorText } from '../../bridge/client';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/** Where a provider's "Test connection" stands. */
export type ProviderTestState =
  | { kind: 'testing'; testKey: string }
  | { kind: 'cancelled' }
  | { kind: 'done'; result: ProviderTestResult }
  | { kind: 'failed'; message: string };

/** What settings send to add or change a provider. */
export type ProviderInput = CallInput<'providers:save'>;

/** The outcome of saving a provider, for its form: a refusal names the field to blame, when one is (`label` for a name taken). */
export type SaveProviderOutcome = { ok: true; provider: ProviderSettings } | { ok: false; message: string; field: string | null };

/** The providers slice. */
export interface ProvidersSlice {
  providers: ProviderSettings[];
  isProvidersLoaded: boolean;
  /** The latest "Test connection" of each provider, by id (`NEW_PROVIDER_ID` for one not saved yet). */
  providerTests: Record<number, ProviderTestState>;
  loadProviders(): Promise<void>;
  /**
   * Shows the providers as the engine now has them (loaded, or changed from any window): the
   * models a changed one listed and the run targets of a removed one go.
   */
  applyProviders(providers: ProviderSettings[]): void;
  /** Saves a provider; a refusal names the fields by `labels` where the form gives them. */
  saveProvider(input: ProviderInput, labels?: Readonly<Record<string, string>>): Promise<SaveProviderOutcome>;
  removeProvider(id: number): Promise<void>;
  /**
   * Lists the models of a saved provider (with `fields`, of those fields over it, unsaved), or
   * with `NEW_PROVIDER_ID`, of a provider not saved yet; a refusal names the fields by `labels`.
   */
  testProvider(id: number, fields?: Omit<CallInput<'providers:test'>, 'id'>, labels?: Readonly<Record<string, string>>): Promise<ProviderTestResult | null>;
  /** Drops the latest test of a provider, so an old failure does not stand beside a newer outcome. */
  forgetProviderTest(id: number): void;
  /** Stops a "Test connection" while it connects: the card says so at once, and the engine drops the request. */
  cancelProviderTest(id: number): void;
}

/** The id the test of a provider not saved yet is kept under. */
export const NEW_PROVIDER_ID = 0;

/** The models the latest successful test listed for a provider; empty when none. */
export function knownModels(tests: Record<number, ProviderTestState>, providerId: number): ProviderModel[] {
  const state = tests[providerId];
  return state?.kind === 'done' && state.result.isOk ? state.result.models : [];
}

/** Creates the providers slice. */
export const createProvidersSlice: SliceCreator<ProvidersSlice> = (set, get) => ({
  providers: [],
  isProvidersLoaded: false,
  providerTests: {},
  async loadProviders() {
    try {
      get().applyProviders(await bridge().call('providers:list', {}));
    } catch (error) {
      get().reportError(error, 'Could not load the providers');
    }
  },
  applyProviders(providers) {
    const previous = new Map(get().providers.map((provider) => [provider.id, provider]));
    // An unchanged provider keeps its object, so a card being edited keeps what was typed in it.
    const next = providers.map((provider) => {
      const known = previous.get(provider.id);
      return known !== undefined && JSON.stringify(known) === JSON.stringify(provider) ? known : provider;
    });
    const current = new Map(next.map((provider) => [provider.id, provider]));
    const tests = { ...get().providerTests };
    for (const id of Object.keys(tests).map(Number)) {
      if (id === NEW_PROVIDER_ID) continue;
      // Another URL or key may list other models: the last test no longer speaks for it.
      if (!current.has(id) || (previous.has(id) && previous.get(id)?.updatedAt !== current.get(id)?.updatedAt)) delete tests[id];
    }
    set({ providers: next, isProvidersLoaded: true, providerTests: tests });
    for (const providerId of new Set(get().runTargets.map((target) => target.providerId))) {
      if (!current.has(providerId)) get().forgetRunTargetsOf(providerId);
    }
  },
  async saveProvider(input, labels) {
    try {
      const provider = await bridge().call('providers:save', input);
      const providers = get().providers;
      const isNew = !providers.some((item) => item.id === provider.id);
      set({ providers: isNew ? [...providers, provider] : providers.map((item) => (item.id === provider.id ? provider : item)) });
      // Its models may differ now (another URL, another key): the last test no longer speaks for it.
      const tests = { ...get().providerTests };
      delete tests[provider.id];
      set({ providerTests: tests });
      return { ok: true, provider };
    } catch (error) {
      const issues = error instanceof BridgeCallError ? error.issues : [];
      return { ok: false, message: callErrorText(error, labels), field: issues.length === 1 ? issues[0].path : null };
    }
  },
  async removeProvider(id) {
    const removed = get().providers.find((provider) => provider.id === id);
    try {
      get().applyProviders(await bridge().call('providers:remove', { id }));
      if (removed) get().showToast('info', `Removed ${removed.label}`);
    } catch (error) {
      get().reportError(error, 'Could not remove the provider');
    }
  },
  async testProvider(id, fields, labels) {
    const testKey = crypto.randomUUID();
    set({ providerTests: { ...get().providerTests, [id]: { kind: 'testing', testKey } } });
    // A test cancelled (or another begun) meanwhile keeps what the card shows now.
    const isCurrent = () => {
      const state = get().providerTests[id];
      return state?.kind === 'testing' && state.testKey === testKey;
    };
    try {
      const result = await bridge().call('providers:test', { ...(id === NEW_PROVIDER_ID ? {} : { id }), ...fields, testKey });
      if (!isCurrent()) return null;
      set({ providerTests: { ...get().providerTests, [id]: { kind: 'done', result } } });
      return result;
    } catch (error) {
      if (isCurrent()) set({ providerTests: { ...get().providerTests, [id]: { kind: 'failed', message: callErrorText(error, labels) } } });
      return null;
    }
  },
  cancelProviderTest(id) {
    const state = get().providerTests[id];
    if (state?.kind !== 'testing') return;
    set({ providerTests: { ...get().providerTests, [id]: { kind: 'cancelled' } } });
    bridge()
      .call('providers:cancel-test', { testKey: state.testKey })
      .catch((error: unknown) => get().reportError(error, 'Could not cancel the test'));
  },
  forgetProviderTest(id) {
    if (!(id in get().providerTests)) return;
    const tests = { ...get().providerTests };
    delete tests[id];
    set({ providerTests: tests });
  },
});
