/**
 * The process the interruption test kills: it starts an engine on the folder it is given, runs
 * the prompt on the OpenAI fixture at the URL it is given (which stalls), prints the run id,
 * and waits to be killed. A third argument sets how long its run's row may wait in memory.
 */

import { createEngine } from '../../../../electron/core/engine';
import { dispatchCall } from '../../../../electron/core/rpc';

async function main(): Promise<void> {
  const [dataDir, baseUrl, runWriteDelayMs] = process.argv.slice(2);
  const engine = createEngine({
    dataDir,
    promptsDir: null,
    host: 'web',
    appVersion: '0.0.0-test',
    environment: {},
    runWriteDelayMs: runWriteDelayMs === undefined ? undefined : Number(runWriteDelayMs),
  });
  const call = async (channel: string, input: unknown) => {
    const result = await dispatchCall(engine.handlers, channel, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as { id?: number; prompt?: { id: number }; cells?: { runId: number }[] };
  };
  const provider = await call('providers:save', { kind: 'openai', label: 'Fixture', baseUrl, apiKey: 'test-openai-key' });
  const prompt = await call('prompts:create', { name: 'Interrupted' });
  const promptId = prompt.prompt?.id;
  await call('drafts:save', { promptId, content: { model: '', parameters: {}, messages: [{ role: 'user', content: 'Hello' }] }, variables: {} });
  const started = await call('runs:start', { promptId, versions: ['draft'], targets: [{ providerId: provider.id, model: 'gpt-4o-mini' }] });
  process.stdout.write(`started ${started.cells?.[0].runId}\n`);
  setInterval(() => {}, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
