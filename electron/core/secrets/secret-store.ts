/**
 * Where API keys entered by the user are kept: never in SQLite, logs, exports or events.
 *
 * The engine receives a `SecretStore` from its host. The browser host keeps keys in memory for
 * the session (`createSessionSecretStore`); the desktop app passes one backed by Electron's
 * `safeStorage`. Keys from the environment never pass through here.
 */

/** A small key-value store for secrets. */
export interface SecretStore {
  /** True when secrets outlive the process (an OS keychain), false when they last the session only. */
  readonly isPersistent: boolean;
  /** The secret called `name`, or null. */
  get(name: string): Promise<string | null>;
  /** Stores `value` under `name`, replacing any previous one. */
  set(name: string, value: string): Promise<void>;
  /** Forgets `name`; forgetting an absent one is harmless. */
  delete(name: string): Promise<void>;
}

/** A store that keeps secrets in memory until the process ends. */
export function createSessionSecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    isPersistent: false,
    get: async (name) => secrets.get(name) ?? null,
    set: async (name, value) => {
      secrets.set(name, value);
    },
    delete: async (name) => {
      secrets.delete(name);
    },
  };
}

/** The secret name of a provider's API key. */
export function providerKeyName(providerId: number): string {
  return `provider:${providerId}:api-key`;
}
