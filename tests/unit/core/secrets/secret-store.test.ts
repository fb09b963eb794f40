/**
 * Keys entered in settings live in the secret store only: not in the SQLite file (main or
 * WAL), not in any answer or event, and they go when their provider stops using them.
 */

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSessionSecretStore, type SecretStore } from '../../../../electron/core/secrets/secret-store';
import { startOpenAiServer } from '../../../fixtures/openai-server';
import { afterTest, createPrompt, startWorkbench } from '../runs/run-harness';

const SECRET = 'sk-live-UNMISTAKABLE-7f3a9c2e1b';

/** Every byte the engine wrote in its data folder. */
function dataBytes(dataDir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dataDir).map((name) => fs.readFileSync(path.join(dataDir, name))));
}

/** A session store that also records what was asked of it. */
function recordingStore(): SecretStore & { names: string[] } {
  const inner = createSessionSecretStore();
  const names: string[] = [];
  return {
    names,
    isPersistent: false,
    get: (name) => inner.get(name),
    set: async (name, value) => {
      names.push(`set ${name}`);
      await inner.set(name, value);
    },
    delete: async (name) => {
      names.push(`delete ${name}`);
      await inner.delete(name);
    },
  };
}

describe('secrets', () => {
  test('an entered key is used for requests but never reaches the database file, answers or events', async () => {
    const server = await startOpenAiServer({ apiKey: SECRET });
    afterTest(server.close);
    const secrets = recordingStore();
    const workbench = startWorkbench({ secrets });
    const provider = await workbench.call('providers:save', { kind: 'openai', label: 'Keyed fixture', baseUrl: server.baseUrl, apiKey: SECRET });
    const promptId = await createPrompt(workbench);
    const started = await workbench.call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId: provider.id, model: 'gpt-4o-mini' }] });
    await workbench.batchDone(started.batchId);
    const answers = JSON.stringify([
      await workbench.call('providers:list', {}),
      await workbench.call('runs:get', { id: started.cells[0].runId }),
      await workbench.call('runs:list', {}),
      await workbench.call('providers:test', { id: provider.id }),
      workbench.events,
    ]);
    const bytesWhileOpen = dataBytes(workbench.dataDir);
    workbench.engine.close();
    const bytesAfterClose = dataBytes(workbench.dataDir);
    expect({
      used: server.requests[0].headers.authorization,
      status: (JSON.parse(answers) as [unknown, { status: string }])[1].status,
      hasKey: provider.hasKey,
      keySource: provider.keySource,
      inAnswers: answers.includes(SECRET),
      inFileWhileOpen: bytesWhileOpen.includes(SECRET),
      inFileAfterClose: bytesAfterClose.includes(SECRET),
      // The search can fail: what the engine does store is found in the same bytes.
      isLabelFound: bytesAfterClose.includes('Keyed fixture'),
      stored: await secrets.get(`provider:${provider.id}:api-key`),
    }).toStrictEqual({
      used: `Bearer ${SECRET}`,
      status: 'ok',
      hasKey: true,
      keySource: 'secret-store',
      inAnswers: false,
      inFileWhileOpen: false,
      inFileAfterClose: false,
      isLabelFound: true,
      stored: SECRET,
    });
  });

  test('switching to an environment key or clearing the key forgets the stored one', async () => {
    const secrets = recordingStore();
    const workbench = startWorkbench({ secrets, environment: { OPENAI_API_KEY: 'sk-from-env' } });
    const keyed = await workbench.call('providers:save', { id: 1, kind: 'openai', label: 'OpenAI', apiKey: SECRET });
    const environment = await workbench.call('providers:save', { id: 1, kind: 'openai', label: 'OpenAI', keySource: 'environment' });
    const compatible = await workbench.call('providers:save', { kind: 'openai-compatible', label: 'Router', baseUrl: 'https://openrouter.ai/api/v1', apiKey: SECRET });
    const cleared = await workbench.call('providers:save', { id: compatible.id, kind: 'openai-compatible', label: 'Router', isKeyCleared: true });
    expect({
      states: [keyed, environment, compatible, cleared].map((provider) => [provider.keySource, provider.hasKey]),
      calls: secrets.names,
      left: [await secrets.get('provider:1:api-key'), await secrets.get(`provider:${compatible.id}:api-key`)],
    }).toStrictEqual({
      states: [
        ['secret-store', true],
        ['environment', true],
        ['secret-store', true],
        ['none', false],
      ],
      calls: ['set provider:1:api-key', 'delete provider:1:api-key', 'set provider:4:api-key', 'delete provider:4:api-key'],
      left: [null, null],
    });
  });

  test('the session store forgets on request and keeps nothing across instances', async () => {
    const store = createSessionSecretStore();
    await store.set('a', 'one');
    await store.set('a', 'two');
    const kept = await store.get('a');
    await store.delete('a');
    await store.delete('never-set');
    expect([store.isPersistent, kept, await store.get('a'), await createSessionSecretStore().get('a')]).toStrictEqual([false, 'two', null, null]);
  });
});
