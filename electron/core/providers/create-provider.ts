/**
 * Builds providers from settings: the one place that knows which implementation serves which
 * kind, and that wraps each in the resilience layer.
 *
 * Keys are passed in (from the environment, or from the desktop app's secret store); nothing
 * here reads a secret on its own, so the engine, the CLI and the tests all choose theirs.
 */

import { assertNever } from '../../../shared/assert-never';
import { ollamaHostUrl } from '../../../shared/ollama-host';
import { createAnthropicProvider } from './anthropic-provider';
import { createOllamaProvider, OLLAMA_DEFAULT_HOST } from './ollama-provider';
import { createOpenAiProvider, type RefusalMemory } from './openai-provider';
import type { KeyOrigin } from './provider-error';
import { withResilience, type ResilienceOptions } from './resilient-provider';
import type { Provider } from './provider';

/** What a provider needs to be built, by kind. */
export type ProviderConfig =
  | { kind: 'openai'; apiKey: string | null; baseUrl?: string; keyOrigin?: KeyOrigin }
  | { kind: 'openai-compatible'; name: string; baseUrl: string; apiKey?: string | null; keyOrigin?: KeyOrigin }
  | { kind: 'anthropic'; apiKey: string | null; baseUrl?: string; defaultMaxTokens?: number; keyOrigin?: KeyOrigin }
  | { kind: 'ollama'; host?: string; keepAlive?: string | number };

/** The provider for `config`, with retries, timeouts and concurrency limits. */
export function createProvider(config: ProviderConfig, resilience: ResilienceOptions = {}): Provider {
  return withResilience(createBareProvider(config), resilience);
}

/** What a provider may be given besides its settings. */
export interface ProviderExtras {
  /** Where an OpenAI or compatible provider keeps the parameters its models refused (other kinds have none). */
  refusals?: RefusalMemory;
}

/** The provider for `config` alone: one attempt, no timeouts, no limits. */
export function createBareProvider(config: ProviderConfig, { refusals }: ProviderExtras = {}): Provider {
  switch (config.kind) {
    case 'openai':
      return createOpenAiProvider({ kind: 'openai', apiKey: config.apiKey, baseUrl: config.baseUrl, keyOrigin: config.keyOrigin, refusals });
    case 'openai-compatible':
      return createOpenAiProvider({
        kind: 'openai-compatible',
        apiKey: config.apiKey ?? null,
        baseUrl: config.baseUrl,
        label: config.name,
        keyOrigin: config.keyOrigin,
        refusals,
      });
    case 'anthropic':
      return createAnthropicProvider({ apiKey: config.apiKey, baseUrl: config.baseUrl, defaultMaxTokens: config.defaultMaxTokens, keyOrigin: config.keyOrigin });
    case 'ollama':
      return createOllamaProvider({ host: config.host, keepAlive: config.keepAlive });
    default:
      return assertNever(config, 'provider config');
  }
}

/**
 * The built-in providers as the environment configures them: `OPENAI_API_KEY`,
 * `ANTHROPIC_API_KEY`, `OLLAMA_HOST`. A missing key still yields the provider; using it fails
 * with a message naming the variable.
 */
export function configsFromEnvironment(environment: Record<string, string | undefined>): ProviderConfig[] {
  const key = (name: string) => environment[name]?.trim() || null;
  return [
    { kind: 'openai', apiKey: key('OPENAI_API_KEY') },
    { kind: 'anthropic', apiKey: key('ANTHROPIC_API_KEY') },
    { kind: 'ollama', host: normalizeOllamaHost(environment.OLLAMA_HOST) },
  ];
}

/** An `OLLAMA_HOST` value as a URL a client can dial (see `ollamaHostUrl`); the default host when unset or unreadable. */
export function normalizeOllamaHost(value: string | undefined): string {
  return ollamaHostUrl(value ?? '') ?? OLLAMA_DEFAULT_HOST;
}
