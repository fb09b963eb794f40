/**
 * The desktop secret store: API keys encrypted by the OS keychain (Electron `safeStorage`) and
 * kept as ciphertext in `secrets.json` in the user-data folder — never in SQLite.
 *
 * Electron is passed in as a small cipher interface, so this runs and is tested under plain
 * Node. On Linux without a keyring Electron falls back to the `basic_text` backend, which only
 * obfuscates: there, keys are kept for the session unless the user explicitly opts in.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createSessionSecretStore, type SecretStore } from '../core/secrets/secret-store';

/** The part of Electron's `safeStorage` the store uses. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

/** How the desktop store ended up keeping secrets, for the settings screen and the log. */
export interface EncryptedSecretStoreResult {
  store: SecretStore;
  /** Why keys last only the session, when they do. */
  sessionOnlyReason: string | null;
}

/** The file, inside the data folder, that holds the ciphertexts. */
export const SECRETS_FILE_NAME = 'secrets.json';

type CipherFile = Record<string, string>;

function readCipherFile(file: string): CipherFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch (error) {
    throw new Error(`${file} is damaged (${(error as Error).message}); move it away and enter the keys again`, { cause: error });
  }
}

function writeCipherFile(file: string, contents: CipherFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(contents, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * Builds the desktop secret store for `dataDir`.
 *
 * Falls back to a session-only store (and says why) when the OS offers no encryption, or only
 * the plain-text backend and `allowPlainText` is false.
 */
export function createEncryptedSecretStore(
  dataDir: string,
  cipher: SecretCipher,
  options: { allowPlainText: boolean },
): EncryptedSecretStoreResult {
  if (!cipher.isEncryptionAvailable()) {
    return { store: createSessionSecretStore(), sessionOnlyReason: 'the operating system offers no secret storage' };
  }
  const backend = cipher.getSelectedStorageBackend?.() ?? null;
  if (backend === 'basic_text' && !options.allowPlainText) {
    return {
      store: createSessionSecretStore(),
      sessionOnlyReason:
        'no keyring was found (Electron would store keys as plain text); set WORKBENCH_ALLOW_PLAINTEXT_SECRETS=1 to keep them anyway',
    };
  }
  const file = path.join(dataDir, SECRETS_FILE_NAME);
  fs.mkdirSync(dataDir, { recursive: true });
  const store: SecretStore = {
    isPersistent: true,
    get: async (name) => {
      const encoded = readCipherFile(file)[name];
      return encoded === undefined ? null : cipher.decryptString(Buffer.from(encoded, 'base64'));
    },
    set: async (name, value) => {
      const contents = readCipherFile(file);
      contents[name] = cipher.encryptString(value).toString('base64');
      writeCipherFile(file, contents);
    },
    delete: async (name) => {
      const contents = readCipherFile(file);
      if (!(name in contents)) return;
      delete contents[name];
      writeCipherFile(file, contents);
    },
  };
  return { store, sessionOnlyReason: null };
}
