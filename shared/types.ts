/** Domain types shared by the engine, the transports and the renderer. */

/** The role of one chat message. */
export type MessageRole = 'system' | 'user' | 'assistant';

/** Every message role, in the order the editor offers them. */
export const MESSAGE_ROLES: readonly MessageRole[] = ['system', 'user', 'assistant'];

/** One chat message; `content` may hold `{{variable}}` placeholders. */
export interface PromptMessage {
  role: MessageRole;
  content: string;
}

/** Sampling parameters a prompt carries as its defaults. Absent means "provider default". */
export interface ModelParameters {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
}

/**
 * The editable body of a prompt: what a version freezes and a draft holds.
 *
 * `model` is a `provider/model` id as in GitHub Models files (`openai/gpt-4o-mini`).
 */
export interface PromptContent {
  model: string;
  parameters: ModelParameters;
  messages: PromptMessage[];
}

/** A row of the prompt library. */
export interface PromptSummary {
  id: number;
  slug: string;
  name: string;
  description: string;
  isArchived: boolean;
  versionCount: number;
  latestVersion: number | null;
  updatedAt: string;
}

/** The status of a saved version. */
export type VersionStatus = 'draft' | 'approved';

/** A saved, immutable version as listed (without its content). */
export interface PromptVersionSummary {
  id: number;
  promptId: number;
  number: number;
  note: string;
  status: VersionStatus;
  contentHash: string;
  createdAt: string;
}

/** A saved version with its frozen content. */
export interface PromptVersion extends PromptVersionSummary {
  content: PromptContent;
}

/** The autosaved working draft of a prompt, with the variable values typed for it. */
export interface PromptDraft {
  promptId: number;
  content: PromptContent;
  variables: Record<string, string>;
  /** The version the draft started from (null for a prompt never saved). */
  baseVersion: number | null;
  /** True when the draft's content differs from the latest saved version. */
  isDirty: boolean;
  updatedAt: string;
}

/** Everything the editor needs to open a prompt. */
export interface PromptDetail {
  prompt: PromptSummary;
  draft: PromptDraft;
  versions: PromptVersionSummary[];
}

/** A problem found in a prompt file, located by file and line. */
export interface FileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The user's theme choice; `system` follows the operating system. */
export type ThemePreference = 'system' | 'light' | 'dark';

/** Settings kept in the database (never secrets). */
export interface AppSettings {
  theme: ThemePreference;
}

/** What the host tells the renderer when it connects. */
export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  dataDir: string;
  /** Problems met while seeding or loading prompt files, shown to the user. */
  problems: FileProblem[];
}
