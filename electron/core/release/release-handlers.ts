/**
 * The Release section of the bridge: approvals, the release repository, releases and import,
 * each handler thin (the contract validated the input; the services do the work).
 */

import type { CallHandlers } from '../../../shared/contract';
import type { Database } from '../database';
import type { PromptStore } from '../prompt-store';
import type { ProviderSettingsStore } from '../providers/provider-settings-store';
import { readSetting } from '../settings-store';
import type { VersionEvalSource } from './approval-gate';
import { importPrompts, type SuiteStore } from './prompt-import';
import { ReleaseService } from './release-service';
import { environmentSecrets, type KnownSecret } from './secret-scan';

/** The calls of the Release section. */
export type ReleaseCallName =
  | 'approvals:versions'
  | 'approvals:checkGate'
  | 'approvals:approve'
  | 'approvals:withdraw'
  | 'release:overview'
  | 'release:repository'
  | 'release:connect'
  | 'release:disconnect'
  | 'release:preview'
  | 'release:run'
  | 'release:retryPush'
  | 'release:history'
  | 'release:import';

/** What the handlers are built from. */
export interface ReleaseHandlerOptions {
  database: Database;
  prompts: PromptStore;
  /** Test suites (released as testData and evaluators, imported back); null without evals. */
  suites: SuiteStore | null;
  /** The latest eval of a version, for approval gates; null without evals. */
  evals: VersionEvalSource | null;
  providers: ProviderSettingsStore;
  /** The user's environment: Git runs with it, and its secrets are kept out of released files. */
  environment: Readonly<Record<string, string | undefined>>;
  /** The git executable; `git` on the environment's PATH by default. */
  gitBinary?: string;
  now: () => Date;
  /** Tells the renderer a prompt's library row or versions changed. */
  changed: (promptId: number) => void;
}

/** The handlers of the Release section. */
export function createReleaseHandlers(options: ReleaseHandlerOptions): Pick<CallHandlers, ReleaseCallName> {
  const secrets = async (): Promise<KnownSecret[]> => {
    const providers = await options.providers.list();
    const keys = await Promise.all(
      providers.map(async (provider) => {
        const key = await options.providers.apiKey(provider);
        return key === null ? null : { label: `the API key of ${provider.label}`, value: key };
      }),
    );
    return [...keys.filter((key): key is KnownSecret => key !== null), ...environmentSecrets(options.environment)];
  };
  const service = new ReleaseService({
    database: options.database,
    prompts: options.prompts,
    suites: options.suites,
    evals: options.evals,
    git: { binary: options.gitBinary ?? 'git', environment: options.environment },
    secrets,
    providers: () => options.providers.identities(),
    now: options.now,
  });
  const changedAll = <T extends { records: { promptId: number | null }[] }>(result: T): T => {
    for (const promptId of new Set(result.records.map((record) => record.promptId))) if (promptId !== null) options.changed(promptId);
    return result;
  };
  return {
    'approvals:versions': ({ promptId }) => service.versionStates(promptId),
    'approvals:checkGate': ({ promptId, versionNumber, gate }) => service.checkGate(promptId, versionNumber, gate),
    'approvals:approve': async (input) => {
      const approval = await service.approve(input);
      options.changed(input.promptId);
      return approval;
    },
    'approvals:withdraw': async ({ promptId, versionNumber }) => {
      const state = await service.withdraw(promptId, versionNumber);
      options.changed(promptId);
      return state;
    },
    'release:overview': () => service.overview(),
    'release:repository': () => service.repositoryStatus(),
    'release:connect': (input) => service.connect(input),
    'release:disconnect': () => service.disconnect(),
    'release:preview': ({ items }) => service.preview(items),
    'release:run': async ({ items, isPushing, fingerprint, replacing }) => changedAll(await service.release(items, isPushing === true, fingerprint ?? null, replacing ?? [])),
    'release:retryPush': async ({ commit }) => changedAll(await service.retryPush(commit)),
    'release:history': ({ promptId, limit }) => service.history(promptId ?? null, limit),
    'release:import': ({ path }) => {
      const judges = { providers: options.providers.identities(), judge: readSetting(options.database, 'judge') };
      const { report, changedPromptIds } = importPrompts(path, { database: options.database, prompts: options.prompts, suites: options.suites, judges });
      for (const promptId of changedPromptIds) options.changed(promptId);
      return report;
    },
  };
}
