import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SECRETS_FILE_NAME, createEncryptedSecretStore, type SecretCipher } from '../../../electron/host/encrypted-secret-store';

/** A reversible stand-in for the OS cipher: XOR with a fixed byte, so ciphertext differs from the text. */
function fakeCipher(backend?: string, isAvailable = true): SecretCipher {
  const flip = (buffer: Buffer) => Buffer.from(buffer.map((byte) => byte ^ 0x5a));
  return {
    isEncryptionAvailable: () => isAvailable,
    encryptString: (text) => flip(Buffer.from(text, 'utf8')),
    decryptString: (encrypted) => flip(encrypted).toString('utf8'),
    ...(backend !== undefined && { getSelectedStorageBackend: () => backend }),
  };
}

const KEY = 'sk-test-0123456789abcdefghijklmnop';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-secrets-'));
}

describe('desktop secret store', () => {
  test('keeps keys across restarts as ciphertext only', async () => {
    const dataDir = tempDir();
    const first = createEncryptedSecretStore(dataDir, fakeCipher('gnome_libsecret'), { allowPlainText: false });
    await first.store.set('provider:1:api-key', KEY);
    const second = createEncryptedSecretStore(dataDir, fakeCipher('gnome_libsecret'), { allowPlainText: false });
    const fileText = fs.readFileSync(path.join(dataDir, SECRETS_FILE_NAME), 'utf8');
    expect({
      isPersistent: second.store.isPersistent,
      value: await second.store.get('provider:1:api-key'),
      isPlainInFile: fileText.includes(KEY),
      reason: second.sessionOnlyReason,
    }).toEqual({ isPersistent: true, value: KEY, isPlainInFile: false, reason: null });
    await second.store.delete('provider:1:api-key');
    expect(await first.store.get('provider:1:api-key')).toBeNull();
  });

  test('refuses to persist under the basic_text backend unless the user opts in', async () => {
    const dataDir = tempDir();
    const refused = createEncryptedSecretStore(dataDir, fakeCipher('basic_text'), { allowPlainText: false });
    await refused.store.set('provider:1:api-key', KEY);
    expect({
      isPersistent: refused.store.isPersistent,
      hasFile: fs.existsSync(path.join(dataDir, SECRETS_FILE_NAME)),
      sessionValue: await refused.store.get('provider:1:api-key'),
      reason: refused.sessionOnlyReason,
    }).toEqual({
      isPersistent: false,
      hasFile: false,
      sessionValue: KEY,
      reason: expect.stringContaining('WORKBENCH_ALLOW_PLAINTEXT_SECRETS=1'),
    });

    const optedIn = createEncryptedSecretStore(dataDir, fakeCipher('basic_text'), { allowPlainText: true });
    await optedIn.store.set('provider:1:api-key', KEY);
    expect([optedIn.store.isPersistent, fs.existsSync(path.join(dataDir, SECRETS_FILE_NAME))]).toEqual([true, true]);
  });

  test('falls back to the session when the OS has no secret storage', () => {
    const result = createEncryptedSecretStore(tempDir(), fakeCipher(undefined, false), { allowPlainText: true });
    expect([result.store.isPersistent, result.sessionOnlyReason]).toEqual([false, 'the operating system offers no secret storage']);
  });

  test('a damaged secrets file gives a clear message and is left for the user', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, SECRETS_FILE_NAME), '{ not json');
    const { store } = createEncryptedSecretStore(dataDir, fakeCipher('kwallet5'), { allowPlainText: false });
    await expect(store.get('provider:1:api-key')).rejects.toThrow(/secrets\.json is damaged .*enter the keys again/);
    expect(fs.readFileSync(path.join(dataDir, SECRETS_FILE_NAME), 'utf8')).toBe('{ not json');
  });
});
