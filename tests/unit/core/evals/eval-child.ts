/**
 * The process the eval resume test kills: it starts an engine on the folder it is given, adds
 * the OpenAI fixture at the URL it is given as a provider (its key from the environment), a
 * prompt with ten cases, starts an eval of them two at a time, prints the eval's id and each
 * progress, and waits to be killed.
 */

import { createEngine } from '../../../../electron/core/engine';
import { dispatchCall } from '../../../../electron/core/rpc';
import type { EvalProgress } from '../../../../shared/eval-types';

async function main(): Promise<void> {
  const [dataDir, baseUrl] = process.argv.slice(2);
  const engine = createEngine({ dataDir, promptsDir: null, host: 'web', appVersion: '0.0.0-test', environment: { OPENAI_API_KEY: 'test-openai-key' } });
  const call = async (channel: string, input: unknown) => {
    const result = await dispatchCall(engine.handlers, channel, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as { id: number; prompt: { id: number } };
  };
  engine.subscribe((name, payload) => {
    if (name === 'eval:progress') process.stdout.write(`progress ${(payload as EvalProgress).doneCount}\n`);
  });
  const provider = await call('providers:save', { kind: 'openai', label: 'Fixture', baseUrl, keySource: 'environment', keyVariable: 'OPENAI_API_KEY' });
  const promptId = (await call('prompts:create', { name: 'Resumable' })).prompt.id;
  await call('versions:save', {
    promptId,
    content: { model: 'openai/gpt-4o-mini', parameters: {}, messages: [{ role: 'user', content: 'Say something about {{topic}}.' }] },
    variables: {},
    note: '',
  });
  await call('evals:saveSuite', {
    promptId,
    defaultAssertions: [{ type: 'contains', value: 'side' }],
    cases: Array.from({ length: 10 }, (_, index) => ({ variables: { topic: `topic ${index}` } })),
  });
  const started = await call('evals:start', { promptId, versions: [1], targets: [{ providerId: provider.id, model: 'gpt-4o-mini' }], concurrency: 2 });
  process.stdout.write(`started ${started.id}\n`);
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
