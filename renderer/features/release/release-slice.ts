/**
 * Approvals and Git releases in the renderer: the library's approval marks, each version's
 * approval, the release repository, the versions picked for a release with their preview, the
 * release history and imports.
 */

import type {
  ApprovalGate,
  GateCheck,
  ImportReport,
  PromptReleaseOverview,
  ReleaseItem,
  ReleasePreview,
  ReleaseRecord,
  ReleaseRepositoryStatus,
  ReleaseResult,
  VersionApproval,
  VersionReleaseState,
} from '../../../shared/release-types';
import { bridge } from '../../bridge/connection';
import type { SliceCreator } from '../../store/app-state';

/** What the repository form sends. */
export interface RepositoryInput {
  path: string;
  folder: string;
  remote: string;
  branch: string;
  isCreating: boolean;
}

/** The outcome of an action a form shows inline. */
export type ActionOutcome<T = void> = { ok: true; value: T } | { ok: false; message: string };

/** The release slice. */
export interface ReleaseSlice {
  releaseOverview: PromptReleaseOverview[];
  /** Each prompt's versions with approval and releases, by prompt id (loaded when shown). */
  versionStates: Record<number, VersionReleaseState[]>;
  repository: ReleaseRepositoryStatus | null;
  isRepositoryLoading: boolean;
  /** The version picked for release, by prompt id. */
  releasePicks: Record<number, number>;
  releasePreview: ReleasePreview | null;
  /** Why the preview can no longer be committed (a version in it is no longer approved); null while it can. */
  releasePreviewProblem: string | null;
  releaseError: string | null;
  isReleaseBusy: boolean;
  lastRelease: ReleaseResult | null;
  releaseHistory: ReleaseRecord[];
  /** The prompt the history shows; null for all. */
  releaseHistoryPromptId: number | null;
  promptImportReport: ImportReport | null;
  /** The version the approve dialog is open for. */
  approveTarget: { promptId: number; promptName: string; versionNumber: number } | null;

  loadReleaseOverview(): Promise<void>;
  loadVersionStates(promptId: number): Promise<void>;
  loadRepository(): Promise<void>;
  connectRepository(input: RepositoryInput): Promise<ActionOutcome>;
  disconnectRepository(): Promise<void>;
  setReleasePick(promptId: number, versionNumber: number | null): void;
  previewRelease(): Promise<void>;
  closeReleasePreview(): void;
  /** Commits the preview; `replacing`, the files not the prompts' own the user ticked to replace. */
  runRelease(isPushing: boolean, replacing?: string[]): Promise<void>;
  retryPush(commit: string): Promise<void>;
  loadReleaseHistory(promptId?: number | null): Promise<void>;
  importFolder(path: string): Promise<ActionOutcome<ImportReport>>;
  openApproveDialog(promptId: number, versionNumber: number): void;
  closeApproveDialog(): void;
  checkApprovalGate(gate: ApprovalGate): Promise<ActionOutcome<GateCheck>>;
  approveVersion(note: string, gate: ApprovalGate | null): Promise<ActionOutcome<VersionApproval>>;
  withdrawApproval(promptId: number, versionNumber: number): Promise<void>;
}

/**
 * Why `preview` can no longer be committed as shown, given the approvals in `overview`: the
 * versions in it that are no longer approved (withdrawn in another window, or their prompt
 * deleted); null while every one still is.
 */
export function stalePreviewProblem(preview: ReleasePreview, overview: readonly PromptReleaseOverview[]): string | null {
  const withdrawn = preview.files.filter(
    (file) => !overview.some((prompt) => prompt.promptId === file.promptId && prompt.approvedVersions.includes(file.versionNumber)),
  );
  if (withdrawn.length === 0) return null;
  const versions = withdrawn.map((file) => `v${file.versionNumber} of ${file.promptName}`).join(', ');
  return `${versions} ${withdrawn.length === 1 ? 'is' : 'are'} no longer approved: preview again`;
}

/** The picks as release items, in the overview's (library) order. */
export function releaseItems(picks: Record<number, number>, overview: readonly PromptReleaseOverview[]): ReleaseItem[] {
  return overview.filter((prompt) => picks[prompt.promptId] !== undefined).map((prompt) => ({ promptId: prompt.promptId, versionNumber: picks[prompt.promptId] }));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let overviewSequence = 0;

/** Creates the release slice. */
export const createReleaseSlice: SliceCreator<ReleaseSlice> = (set, get) => ({
  releaseOverview: [],
  versionStates: {},
  repository: null,
  isRepositoryLoading: false,
  releasePicks: {},
  releasePreview: null,
  releasePreviewProblem: null,
  releaseError: null,
  isReleaseBusy: false,
  lastRelease: null,
  releaseHistory: [],
  releaseHistoryPromptId: null,
  promptImportReport: null,
  approveTarget: null,

  async loadReleaseOverview() {
    const sequence = ++overviewSequence;
    try {
      const overview = await bridge().call('release:overview', {});
      if (sequence !== overviewSequence) return;
      // A pick of a version no longer approved (withdrawn elsewhere) goes.
      const picks = Object.fromEntries(
        Object.entries(get().releasePicks).filter(([promptId, version]) =>
          overview.some((prompt) => prompt.promptId === Number(promptId) && prompt.approvedVersions.includes(version)),
        ),
      );
      const preview = get().releasePreview;
      const problem = preview === null ? null : stalePreviewProblem(preview, overview);
      set({ releaseOverview: overview, releasePicks: picks, ...(problem !== null && { releasePreviewProblem: problem }) });
    } catch (error) {
      get().reportError(error, 'Could not load approvals');
    }
  },

  async loadVersionStates(promptId) {
    try {
      const states = await bridge().call('approvals:versions', { promptId });
      set({ versionStates: { ...get().versionStates, [promptId]: states } });
    } catch (error) {
      get().reportError(error, 'Could not load approvals');
    }
  },

  async loadRepository() {
    set({ isRepositoryLoading: true });
    try {
      set({ repository: await bridge().call('release:repository', {}) });
    } catch (error) {
      get().reportError(error, 'Could not read the release repository');
    } finally {
      set({ isRepositoryLoading: false });
    }
  },

  async connectRepository(input) {
    try {
      const repository = await bridge().call('release:connect', {
        path: input.path,
        folder: input.folder,
        remote: input.remote.trim() === '' ? null : input.remote,
        branch: input.branch.trim() === '' ? null : input.branch,
        isCreating: input.isCreating,
      });
      set({ repository, releasePreview: null, releasePreviewProblem: null, releaseError: null });
      // Each prompt's latest release is the latest in this repository.
      void get().loadReleaseOverview();
      return { ok: true, value: undefined };
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
  },

  async disconnectRepository() {
    try {
      set({ repository: await bridge().call('release:disconnect', {}), releasePreview: null, releasePreviewProblem: null });
      void get().loadReleaseOverview();
    } catch (error) {
      get().reportError(error, 'Could not forget the repository');
    }
  },

  setReleasePick(promptId, versionNumber) {
    const picks = { ...get().releasePicks };
    if (versionNumber === null) delete picks[promptId];
    else picks[promptId] = versionNumber;
    set({ releasePicks: picks, releasePreview: null, releasePreviewProblem: null, releaseError: null });
  },

  async previewRelease() {
    const items = releaseItems(get().releasePicks, get().releaseOverview);
    if (items.length === 0 || get().isReleaseBusy) return;
    set({ isReleaseBusy: true, releaseError: null, lastRelease: null });
    try {
      set({ releasePreview: await bridge().call('release:preview', { items }), releasePreviewProblem: null });
    } catch (error) {
      set({ releasePreview: null, releasePreviewProblem: null, releaseError: messageOf(error) });
    } finally {
      set({ isReleaseBusy: false });
    }
  },

  closeReleasePreview() {
    set({ releasePreview: null, releasePreviewProblem: null, releaseError: null });
  },

  async runRelease(isPushing, replacing = []) {
    const preview = get().releasePreview;
    if (preview === null || get().releasePreviewProblem !== null || get().isReleaseBusy) return;
    // Exactly what the preview showed: the engine refuses, and says why, if any of it changed since.
    const items = preview.files.map((file) => ({ promptId: file.promptId, versionNumber: file.versionNumber }));
    set({ isReleaseBusy: true, releaseError: null });
    try {
      const result = await bridge().call('release:run', { items, isPushing, fingerprint: preview.fingerprint, replacing });
      set({ lastRelease: result, releasePreview: null, releasePreviewProblem: null, releasePicks: {} });
      const released = `Released ${result.records.map((record) => record.tag).join(', ')} as ${result.commit.slice(0, 7)}`;
      if (result.push === 'rejected' || result.push === 'failed') get().showToast('error', `${released}, but the push ${result.push === 'rejected' ? 'was rejected' : 'failed'}: see the release`);
      else get().showToast('info', result.push === 'pushed' ? `${released} and pushed it` : released);
    } catch (error) {
      set({ releaseError: messageOf(error) });
    } finally {
      set({ isReleaseBusy: false });
      void get().loadReleaseOverview();
      void get().loadReleaseHistory();
      void get().loadRepository();
    }
  },

  async retryPush(commit) {
    try {
      const result = await bridge().call('release:retryPush', { commit });
      get().showToast(result.push === 'pushed' ? 'info' : 'error', result.pushMessage ?? 'Pushed');
    } catch (error) {
      get().reportError(error, 'Could not push');
    } finally {
      void get().loadReleaseHistory();
      void get().loadReleaseOverview();
    }
  },

  async loadReleaseHistory(promptId) {
    const chosen = promptId === undefined ? get().releaseHistoryPromptId : promptId;
    set({ releaseHistoryPromptId: chosen });
    try {
      const history = await bridge().call('release:history', chosen === null ? {} : { promptId: chosen });
      if (get().releaseHistoryPromptId === chosen) set({ releaseHistory: history });
    } catch (error) {
      get().reportError(error, 'Could not load the release history');
    }
  },

  async importFolder(path) {
    try {
      const report = await bridge().call('release:import', { path });
      set({ promptImportReport: report });
      void get().loadLibrary();
      void get().loadReleaseOverview();
      return { ok: true, value: report };
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
  },

  openApproveDialog(promptId, versionNumber) {
    const prompt = get().prompts.find((item) => item.id === promptId) ?? get().currentPrompt;
    set({ approveTarget: { promptId, promptName: prompt?.name ?? `Prompt ${promptId}`, versionNumber } });
  },

  closeApproveDialog() {
    set({ approveTarget: null });
  },

  async checkApprovalGate(gate) {
    const target = get().approveTarget;
    if (target === null) return { ok: false, message: 'No version to check' };
    try {
      return { ok: true, value: await bridge().call('approvals:checkGate', { promptId: target.promptId, versionNumber: target.versionNumber, gate }) };
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
  },

  async approveVersion(note, gate) {
    const target = get().approveTarget;
    if (target === null) return { ok: false, message: 'No version to approve' };
    try {
      const approval = await bridge().call('approvals:approve', { promptId: target.promptId, versionNumber: target.versionNumber, note, gate });
      set({ approveTarget: null });
      await Promise.all([get().loadVersionStates(target.promptId), get().loadReleaseOverview()]);
      if (get().currentPrompt?.id === target.promptId) void get().refreshCurrentPrompt();
      return { ok: true, value: approval };
    } catch (error) {
      return { ok: false, message: messageOf(error) };
    }
  },

  async withdrawApproval(promptId, versionNumber) {
    try {
      await bridge().call('approvals:withdraw', { promptId, versionNumber });
      get().showToast('info', `Withdrew the approval of v${versionNumber}`);
      await Promise.all([get().loadVersionStates(promptId), get().loadReleaseOverview()]);
      if (get().currentPrompt?.id === promptId) void get().refreshCurrentPrompt();
    } catch (error) {
      get().reportError(error, `Could not withdraw the approval of v${versionNumber}`);
    }
  },
});
