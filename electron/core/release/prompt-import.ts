/**
 * Importing a repository or folder of prompts: GitHub Models `.prompt.yml` files (released by
 * this app or written by anyone) and the prompts of promptfoo configs.
 *
 * A prompt in the files is matched to a library prompt by slug: `<slug>.prompt.yml`, a folder
 * `<slug>/` of `v1.prompt.yml`, `v2.prompt.yml`... (the seed layout), or a promptfoo prompt's
 * label. A new slug becomes a prompt; a known one gets a new version for each file whose
 * content none of its versions has (its working draft is kept); otherwise it is skipped. Test
 * data and evaluators (promptfoo: tests and defaultTest) replace the prompt's test suite when
 * they differ from it. Each prompt found lands in exactly one list of the report, with why, under
 * the name it has in the library (a new prompt whose name another has is numbered: "Same name
 * 2"); a malformed file is reported by file and line and the others import. Each prompt imports
 * in one transaction.
 */

import fs from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES } from '../../../shared/contract';
import { WorkbenchError } from '../../../shared/errors';
import type { Assertion, ImportProblem, TestCaseInput, TestSuite } from '../../../shared/eval-types';
import type { ImportEntry, ImportReport } from '../../../shared/release-types';
import { collectVariables } from '../../../shared/template';
import { decodeText } from '../../../shared/decode-text';
import type { FileProblem, MessageRole, PromptContent, PromptMessage } from '../../../shared/types';
import { canonicalJson } from '../canonical-json';
import type { Database } from '../database';
import type { JudgeContext } from '../evals/file-judge';
import { parseTestCases } from '../evals/test-case-io';
import { describeProblemPlace } from '../../../shared/import-problem-place';
import { atLine } from '../evals/yaml-source';
import { DEFAULT_MODEL, hashContent, normalizeContent } from '../prompt-content';
import type { PromptStore } from '../prompt-store';
import { slugify } from '../slug';
import { nameKey } from '../../../shared/unique-name';
import { readPromptDocument } from './release-document';
import { expandHome } from './release-paths';
import { yamlSyntaxProblems } from '../yaml-errors';

/** Where suites are read and replaced (the eval engine's suite store). */
export interface SuiteStore {
  get(promptId: number): TestSuite;
  save(promptId: number, defaultAssertions: readonly Assertion[], cases: readonly TestCaseInput[]): TestSuite;
}

/** What an import works with. */
export interface ImportDependencies {
  database: Database;
  prompts: PromptStore;
  /** Null when evals are not available: test data is then reported, not imported. */
  suites: SuiteStore | null;
  /**
   * This machine's providers, which the files' LLM judges are found among by name, and the judge
   * in Settings, which grades the checks files leave to a model grader and those whose judge is
   * not here (null: they are reported; see file-judge.ts).
   */
  judges: JudgeContext;
}

/** What an import did, and the prompts it changed (for the library's events). */
export interface ImportOutcome {
  report: ImportReport;
  changedPromptIds: number[];
}

/** Files larger than this are not prompts. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** The most files one import reads. */
const MAX_FILES = 2_000;
/** Folders never searched. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn']);

const PROMPT_FILE = /\.prompt\.ya?ml$/i;
const VERSION_FILE = /^v(\d+)\.prompt\.ya?ml$/i;
const PROMPTFOO_CONFIG = /^promptfooconfig\.(?:ya?ml|json)$|\.promptfoo\.ya?ml$/i;

/** One version found in the files. */
export interface FoundVersion {
  file: string;
  name: string;
  description: string;
  content: PromptContent;
  /** The values the draft starts with (a new prompt's). */
  variables: Record<string, string>;
}

/** A test suite found in the files. */
export interface FoundSuite {
  cases: TestCaseInput[];
  defaultAssertions: Assertion[];
}

/** The versions of one prompt read from its files, and the suite they carry. */
export interface FoundVersions {
  /** Oldest first. */
  versions: FoundVersion[];
  /** The newest file's tests; null when no file has any. */
  suite: FoundSuite | null;
  /** Test cases or evaluators of that file that could not be read (the rest were), one problem each. */
  suiteProblems: FileProblem[];
}

/** One prompt found in the files, its versions oldest first. */
interface FoundPrompt extends FoundVersions {
  slug: string;
  /** What the report calls it: the file, or the folder of version files. */
  source: string;
}

/** Imports the prompts under `folder`. */
export function importPrompts(folder: string, dependencies: ImportDependencies): ImportOutcome {
  const requested = expandHome(folder.trim());
  if (!path.isAbsolute(requested)) throw new WorkbenchError('invalid-input', 'Give the full path of the folder to import (like /home/you/work/prompts)');
  const root = path.resolve(requested);
  if (!fs.existsSync(root)) throw new WorkbenchError('not-found', `The folder ${folder} does not exist`);
  if (!fs.statSync(root).isDirectory()) throw new WorkbenchError('invalid-input', `${folder} is a file, not a folder`);
  const report: ImportReport = { folder: root, created: [], updated: [], skipped: [], problems: [] };
  const files = listFiles(root, report.problems);
  if (files.length === 0 && report.problems.length === 0) {
    throw new WorkbenchError('not-found', `${folder} holds no .prompt.yml files and no promptfoo config`);
  }
  const found: FoundPrompt[] = [];
  for (const group of groupFiles(files)) {
    const { judges } = dependencies;
    found.push(...(group.kind === 'promptfoo' ? readPromptfooConfig(root, group.file, report.problems, judges) : readPromptFiles(root, group, report.problems, judges)));
  }
  const changed = new Set<number>();
  const seen = new Map<string, string>();
  for (const prompt of found) {
    const earlier = seen.get(prompt.slug);
    if (earlier !== undefined) {
      report.skipped.push({
        file: prompt.source,
        promptId: null,
        name: prompt.versions.at(-1)?.name ?? prompt.slug,
        versionNumber: null,
        reason: `Another file (${earlier}) already imported the prompt ${prompt.slug}`,
      });
      continue;
    }
    seen.set(prompt.slug, prompt.source);
    const promptId = importOne(prompt, dependencies, report);
    if (promptId !== null) changed.add(promptId);
  }
  report.problems.sort((left, right) => compareText(left.file, right.file) || left.line - right.line || left.column - right.column);
  return { report, changedPromptIds: [...changed] };
}

/** Files to look at, relative to `root` with `/` separators, in code-unit order. */
function listFiles(root: string, problems: FileProblem[]): string[] {
  const result: string[] = [];
  let isTruncated = false;
  const walk = (folder: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      problems.push({ file: relativeOf(root, folder), line: 1, column: 1, message: `Cannot read the folder: ${messageOf(error)}` });
      return;
    }
    for (const entry of entries.sort((left, right) => compareText(left.name, right.name))) {
      const full = path.join(folder, entry.name);
      // Symbolic links are not followed: they could lead anywhere, or round in circles.
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(full);
      } else if (!entry.isFile() && (PROMPT_FILE.test(entry.name) || PROMPTFOO_CONFIG.test(entry.name))) {
        // Named like a prompt file, but not one: said, rather than passed over without a word.
        const what = entry.isSymbolicLink() ? 'a symbolic link, which import does not follow: copy the file here, or import the folder it points to' : 'not a regular file';
        problems.push({ file: relativeOf(root, full), line: 1, column: 1, message: `This is ${what}; not imported` });
      } else if (entry.isFile() && (PROMPT_FILE.test(entry.name) || PROMPTFOO_CONFIG.test(entry.name))) {
        if (result.length >= MAX_FILES) {
          if (!isTruncated) problems.push({ file: relativeOf(root, full), line: 1, column: 1, message: `Only the first ${MAX_FILES} files are imported at once; this one and those after it were not` });
          isTruncated = true;
          return;
        }
        result.push(relativeOf(root, full));
      }
    }
  };
  walk(root);
  return result;
}

/** A prompt file, a folder of version files, or a promptfoo config. */
type FileGroup = { kind: 'prompt'; slug: string; source: string; files: string[] } | { kind: 'promptfoo'; file: string };

function groupFiles(files: readonly string[]): FileGroup[] {
  const groups: FileGroup[] = [];
  const versioned = new Map<string, { number: number; file: string }[]>();
  for (const file of files) {
    const name = path.posix.basename(file);
    const parent = path.posix.dirname(file);
    const version = VERSION_FILE.exec(name);
    if (PROMPTFOO_CONFIG.test(name)) {
      groups.push({ kind: 'promptfoo', file });
    } else if (version !== null && parent !== '.') {
      const list = versioned.get(parent) ?? [];
      list.push({ number: Number(version[1]), file });
      versioned.set(parent, list);
    } else {
      groups.push({ kind: 'prompt', slug: name.replace(PROMPT_FILE, ''), source: file, files: [file] });
    }
  }
  for (const [folder, list] of versioned) {
    list.sort((left, right) => left.number - right.number);
    groups.push({ kind: 'prompt', slug: path.posix.basename(folder), source: `${folder}/`, files: list.map((item) => item.file) });
  }
  return groups.sort((left, right) => compareText(left.kind === 'prompt' ? left.source : left.file, right.kind === 'prompt' ? right.source : right.file));
}

function readPromptFiles(root: string, group: Extract<FileGroup, { kind: 'prompt' }>, problems: FileProblem[], judges: JudgeContext): FoundPrompt[] {
  const found = readPromptVersions(root, group.files, problems, judges);
  if (found.versions.length === 0) return [];
  return [{ slug: slugify(group.slug), source: group.source, ...found }];
}

/**
 * Reads the GitHub Models prompt files of one prompt, `files` oldest first and relative to
 * `root` (`/` separators, which also name them in problems). A file that cannot be read or
 * parsed is reported in `problems` and left out; the newest file with test data or evaluators
 * gives the suite.
 */
export function readPromptVersions(root: string, files: readonly string[], problems: FileProblem[], judges: JudgeContext): FoundVersions {
  const versions: FoundVersion[] = [];
  let suite: FoundSuite | null = null;
  let suiteProblems: FileProblem[] = [];
  for (const file of files) {
    const text = readText(root, file, problems);
    if (text === null) continue;
    const read = readPromptDocument(text, file, judges);
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    const { document } = read;
    versions.push({
      file,
      name: document.name,
      description: document.description,
      content: document.content,
      variables: firstCaseValues(document.content, document.testData[0] ?? {}),
    });
    if (document.hasSuite) {
      // The newest file's tests are the prompt's suite, unless none of them could be read: an
      // unreadable suite is reported and replaces nothing (it would empty the prompt's suite).
      if (!isUnreadableSuite(document.cases, document.defaultAssertions, document.suiteProblems)) {
        suite = { cases: document.cases, defaultAssertions: document.defaultAssertions };
      }
      suiteProblems = document.suiteProblems.map((problem) => suiteProblem(file, problem));
    }
  }
  return { versions, suite, suiteProblems };
}

/** Creates or updates one prompt; returns its id when something changed. */
function importOne(found: FoundPrompt, dependencies: ImportDependencies, report: ImportReport): number | null {
  const { prompts } = dependencies;
  const latest = found.versions.at(-1) as FoundVersion;
  return dependencies.database.transaction((): number | null => {
    const existing = prompts.list({ includeArchived: true }).find((prompt) => prompt.slug === found.slug) ?? null;
    const notes: string[] = [];
    let promptId: number;
    let savedNumbers: number[];
    let name = existing?.name ?? latest.name;
    if (existing === null) {
      // Names are unique: a name another prompt has (two files of one name, say) is numbered, and said.
      name = prompts.freeName(latest.name);
      const renamed = renameNote(prompts, latest.name, name);
      if (renamed !== null) notes.push(renamed);
      promptId = prompts.create({ name, slug: found.slug, description: latest.description }).prompt.id;
      savedNumbers = saveVersions(prompts, promptId, found.versions, new Map(), notes);
    } else {
      promptId = existing.id;
      const detail = prompts.getDetail(promptId);
      const known = new Map(detail.versions.map((version) => [version.contentHash, version.number]));
      const draft = detail.draft;
      savedNumbers = saveVersions(prompts, promptId, found.versions, known, notes);
      // The user's unsaved edits stay in the draft, now on top of the imported version.
      if (savedNumbers.length > 0 && draft.isDirty) {
        prompts.saveDraft(promptId, draft.content, draft.variables);
        notes.push('your unsaved draft was kept');
      }
    }
    const suiteChange = importSuite(found.suite, promptId, dependencies.suites, notes);
    if (existing !== null && found.suite === null && found.suiteProblems.length > 0) notes.push('its test suite was kept, as none of the file’s test cases or checks could be read');
    // A problem whose line is not known sits on line 1 (a promptfoo config's message names its line itself).
    notes.push(...found.suiteProblems.map((problem) => `${problem.file}: ${problem.line > 1 ? atLine(problem.message, problem.line) : problem.message}`));
    const entry: ImportEntry = {
      file: found.source,
      promptId,
      name,
      versionNumber: savedNumbers.at(-1) ?? null,
      reason: '',
    };
    if (existing === null) {
      report.created.push({ ...entry, reason: joinNotes(`New prompt with ${count(savedNumbers.length, 'version')}`, notes) });
      return promptId;
    }
    if (savedNumbers.length > 0 || suiteChange) {
      const what = savedNumbers.length > 0 ? `New ${savedNumbers.length === 1 ? 'version' : 'versions'} ${savedNumbers.map((number) => `v${number}`).join(', ')}` : 'Same content';
      report.updated.push({ ...entry, reason: joinNotes(what, notes) });
      return promptId;
    }
    report.skipped.push({ ...entry, reason: joinNotes('Unchanged', notes) });
    return null;
  })();
}

/**
 * Why a new prompt got `name` rather than the `wished` one its file gives (another prompt has
 * that name, in any case), naming that prompt as the library does; null when it got its own.
 */
export function renameNote(prompts: PromptStore, wished: string, name: string): string | null {
  if (name === wished.trim()) return null;
  const holder = prompts.list({ includeArchived: true }).find((prompt) => nameKey(prompt.name) === nameKey(wished))?.name ?? wished.trim();
  return `named “${name}”, as another prompt is named “${holder}”`;
}

/** Saves the versions whose content the prompt has no version of; notes the others. */
function saveVersions(prompts: PromptStore, promptId: number, versions: readonly FoundVersion[], known: Map<string, number>, notes: string[]): number[] {
  const saved: number[] = [];
  for (const version of versions) {
    const hash = hashContent(version.content);
    const same = known.get(hash);
    if (same !== undefined) {
      notes.push(`${version.file} has the content of v${same}`);
      continue;
    }
    const summary = prompts.saveVersion({ promptId, content: version.content, variables: version.variables, note: `Imported from ${version.file}` });
    known.set(hash, summary.number);
    saved.push(summary.number);
  }
  return saved;
}

/** Replaces the prompt's suite with `suite` when there is one and it differs; says what it did in `notes`. */
export function importSuite(suite: FoundSuite | null, promptId: number, suites: SuiteStore | null, notes: string[]): boolean {
  if (suite === null) return false;
  const caseCount = count(suite.cases.length, 'test case');
  if (suites === null) {
    notes.push(`${caseCount} not imported: evals are not available in this build`);
    return false;
  }
  const current = suites.get(promptId);
  if (suiteKey(current.cases, current.defaultAssertions) === suiteKey(suite.cases, suite.defaultAssertions)) return false;
  suites.save(promptId, suite.defaultAssertions, suite.cases);
  const isFirst = current.cases.length === 0 && current.defaultAssertions.length === 0;
  notes.push(`test suite ${isFirst ? 'imported' : 'replaced'} (${caseCount}, ${count(suite.defaultAssertions.length, 'default assertion')})`);
  return true;
}

/** True when a file's tests had problems and nothing of them could be read. */
function isUnreadableSuite(cases: readonly TestCaseInput[], defaultAssertions: readonly Assertion[], problems: readonly unknown[]): boolean {
  return cases.length === 0 && defaultAssertions.length === 0 && problems.length > 0;
}

/** A test case or evaluator of `file` that could not be read, or a note on one that was imported as written, as a problem of that file. */
function suiteProblem(file: string, problem: ImportProblem & { line?: number | null }): FileProblem {
  return { file, line: problem.line ?? 1, column: 1, message: `${describeProblemPlace(problem)}: ${problem.message}`, leftOut: problem.isImported === true ? 'nothing' : 'item' };
}

/** What makes two suites the same, ids and positions aside. */
function suiteKey(cases: readonly TestCaseInput[], defaultAssertions: readonly Assertion[]): string {
  return canonicalJson({
    defaultAssertions,
    cases: cases.map((testCase) => ({
      description: testCase.description ?? '',
      variables: testCase.variables,
      expected: testCase.expected ?? null,
      tags: testCase.tags ?? [],
      assertions: testCase.assertions ?? [],
    })),
  });
}

/* ------------------------------------------------------------------------------ promptfoo */

/** The prompts of a promptfoo config: inline text, chat JSON, or `file://` references next to it. */
function readPromptfooConfig(root: string, file: string, problems: FileProblem[], judges: JudgeContext): FoundPrompt[] {
  const text = readText(root, file, problems);
  if (text === null) return [];
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const at = (offset: number, message: string): FileProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, message };
  };
  if (document.errors.length > 0) {
    problems.push(...yamlSyntaxProblems(text, document.errors).map((problem) => at(problem.offset, problem.message)));
    return [];
  }
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    problems.push(at(0, messageOf(error)));
    return [];
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(at(0, 'A promptfoo config is a map with prompts, providers and tests'));
    return [];
  }
  const config = data as Record<string, unknown>;
  const entries = promptEntries(config.prompts);
  if (entries === null) {
    problems.push(at(nodeOffset(document, ['prompts']), 'prompts: give a list of prompts (text, or file://path)'));
    return [];
  }
  const model = providerModel(config.providers);
  const folder = path.posix.dirname(file);
  const found: FoundPrompt[] = [];
  entries.forEach((entry, index) => {
    const where = nodeOffset(document, ['prompts', index]);
    const resolved = resolvePromptfooPrompt(root, folder, entry);
    if ('problem' in resolved) {
      problems.push(at(where, `prompts[${index}]: ${resolved.problem}`));
      return;
    }
    const name = (entry.label ?? resolved.name ?? unnamedPromptName(config.description, entries.length, index, resolved.messages) ?? `${path.posix.basename(folder === '.' ? path.basename(root) : folder)} prompt ${index + 1}`).trim().slice(0, 200);
    const content = normalizeContent({ model, parameters: {}, messages: resolved.messages });
    found.push({
      slug: slugify(name),
      source: `${file} (prompts[${index}])`,
      versions: [{ file, name, description: `Imported from the promptfoo config ${file}`, content, variables: {} }],
      suite: null,
      suiteProblems: [],
    });
  });
  if (found.length > 0 && (config.tests !== undefined || config.defaultTest !== undefined)) {
    const variableNames = [...new Set(found.flatMap((prompt) => collectVariables(prompt.versions[0].content.messages)))];
    const parsed = parseTestCases('promptfoo', text, { variableNames, judges });
    for (const prompt of found) {
      prompt.suite = isUnreadableSuite(parsed.cases, parsed.defaultAssertions ?? [], parsed.problems) ? null : { cases: parsed.cases, defaultAssertions: parsed.defaultAssertions ?? [] };
      prompt.suiteProblems = parsed.problems.map((problem) => suiteProblem(file, problem));
      prompt.versions[0].variables = firstCaseValues(prompt.versions[0].content, parsed.cases[0]?.variables ?? {});
    }
  }
  return found;
}

/**
 * A name for an inline prompt with no label, as the user would know it: the config's
 * description (numbered when the config has several prompts), else the start of the prompt's
 * text, as promptfoo itself shows it; null when neither says anything.
 */
function unnamedPromptName(description: unknown, count: number, index: number, messages: readonly PromptMessage[]): string | null {
  if (typeof description === 'string' && description.trim() !== '') return count === 1 ? description.trim() : `${description.trim()} ${index + 1}`;
  const text = (messages.find((message) => message.role === 'user') ?? messages[0])?.content.replace(/\s+/g, ' ').trim() ?? '';
  if (text === '') return null;
  if (text.length <= 48) return text;
  const cut = text.slice(0, 48);
  const wordEnd = cut.lastIndexOf(' ');
  return `${(wordEnd >= 24 ? cut.slice(0, wordEnd) : cut.slice(0, 47)).trimEnd()}…`;
}

/** One entry of a promptfoo `prompts` list. */
interface PromptfooEntry {
  /** Inline text or `file://...`. */
  value: string;
  label?: string;
}

/** The `prompts` value as a list of entries (a list, one string, or a map of file -> label); null when it is none of those. */
function promptEntries(value: unknown): PromptfooEntry[] | null {
  if (typeof value === 'string') return [{ value }];
  if (Array.isArray(value)) {
    const entries: PromptfooEntry[] = [];
    for (const item of value) {
      if (typeof item === 'string') entries.push({ value: item });
      else if (item !== null && typeof item === 'object') {
        const record = item as Record<string, unknown>;
        const text = typeof record.raw === 'string' ? record.raw : typeof record.id === 'string' ? record.id : null;
        const label = typeof record.label === 'string' ? record.label : undefined;
        entries.push({ value: text ?? '', ...(label === undefined ? {} : { label }) });
      } else entries.push({ value: '' });
    }
    return entries;
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([key, label]) => ({ value: key, ...(typeof label === 'string' ? { label } : {}) }));
  }
  return null;
}

/** The messages of one promptfoo prompt, and a name from its file when it has one. */
function resolvePromptfooPrompt(root: string, folder: string, entry: PromptfooEntry): { messages: PromptMessage[]; name: string | null } | { problem: string } {
  if (entry.value.trim() === '') return { problem: 'an empty prompt' };
  if (!entry.value.startsWith('file://')) return { messages: messagesOf(entry.value), name: null };
  const reference = entry.value.slice('file://'.length);
  if (/[*?[\]{}]/.test(reference)) return { problem: `${entry.value}: file patterns are not imported; list each file` };
  if (/\.(?:js|cjs|mjs|ts|py)(?::\w+)?$/.test(reference)) return { problem: `${entry.value}: prompt functions (JavaScript, Python) are not imported` };
  const relative = path.posix.normalize(path.posix.join(folder, reference));
  if (path.posix.isAbsolute(reference) || relative.startsWith('..')) return { problem: `${entry.value} points outside the imported folder` };
  const full = path.join(root, ...relative.split('/'));
  let text: string;
  try {
    if (fs.statSync(full).size > MAX_FILE_BYTES) return { problem: `${entry.value} is too large to be a prompt` };
    const decoded = decodeText(fs.readFileSync(full));
    if (!decoded.ok) return { problem: `${entry.value}, line ${decoded.line}: ${decoded.message}` };
    text = decoded.text;
  } catch (error) {
    return { problem: `cannot read ${entry.value}: ${messageOf(error)}` };
  }
  const extension = path.posix.extname(relative).toLowerCase();
  const name = path.posix.basename(relative, extension);
  if (extension === '.json' || extension === '.yaml' || extension === '.yml') {
    const structured = chatMessages(extension === '.json' ? safeJson(text) : safeYaml(text));
    if (structured === null) return { problem: `${entry.value} is not a list of chat messages (role and content)` };
    return { messages: structured, name };
  }
  return { messages: messagesOf(text), name };
}

/** Inline text is a chat (JSON list of role/content) or one user message. */
function messagesOf(text: string): PromptMessage[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const chat = chatMessages(safeJson(trimmed));
    if (chat !== null) return chat;
  }
  return [{ role: 'user', content: text }];
}

function chatMessages(value: unknown): PromptMessage[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_MESSAGES) return null;
  const roles: readonly MessageRole[] = ['system', 'user', 'assistant'];
  const messages: PromptMessage[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') return null;
    const { role, content } = item as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !roles.includes(role as MessageRole) || typeof content !== 'string' || content.length > MAX_MESSAGE_CHARS) return null;
    messages.push({ role: role as MessageRole, content });
  }
  return messages;
}

/** `openai:gpt-4o-mini` (or `openai:chat:gpt-4o-mini`, or `{ id: ... }`) as a model id `openai/gpt-4o-mini`. */
function providerModel(providers: unknown): string {
  const first = Array.isArray(providers) ? providers[0] : providers;
  const id = typeof first === 'string' ? first : first !== null && typeof first === 'object' ? (first as { id?: unknown }).id : undefined;
  if (typeof id !== 'string') return DEFAULT_MODEL;
  const parts = id.split(':').filter((part) => part !== '');
  if (parts.length < 2) return DEFAULT_MODEL;
  const [provider, ...rest] = parts;
  const model = (['chat', 'completion', 'messages'].includes(rest[0]) ? rest.slice(1) : rest).join(':');
  return model === '' ? DEFAULT_MODEL : `${provider}/${model}`.slice(0, 200);
}

/* ------------------------------------------------------------------------------ helpers */

/** The values a draft starts with: those of the first test case that the messages use. */
function firstCaseValues(content: PromptContent, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(collectVariables(content.messages).filter((name) => Object.hasOwn(values, name)).map((name) => [name, values[name]]));
}

function nodeOffset(document: Document, at: readonly (string | number)[]): number {
  for (let length = at.length; length > 0; length -= 1) {
    const node: unknown = document.getIn(at.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function safeYaml(text: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, logLevel: 'silent' });
  if (document.errors.length > 0) return null;
  try {
    return document.toJS();
  } catch {
    return null;
  }
}

function readText(root: string, file: string, problems: FileProblem[]): string | null {
  const full = path.join(root, ...file.split('/'));
  try {
    const size = fs.statSync(full).size;
    if (size > MAX_FILE_BYTES) {
      problems.push({ file, line: 1, column: 1, message: `The file is over ${MAX_FILE_BYTES / 1024 / 1024} MB, too large to be a prompt; not imported` });
      return null;
    }
    const decoded = decodeText(fs.readFileSync(full));
    if (decoded.ok) return decoded.text;
    problems.push({ file, line: decoded.line, column: 1, message: `${decoded.message}; not imported` });
    return null;
  } catch (error) {
    problems.push({ file, line: 1, column: 1, message: `Cannot read the file: ${messageOf(error)}` });
    return null;
  }
}

function joinNotes(head: string, notes: readonly string[]): string {
  return notes.length === 0 ? head : `${head}; ${notes.join('; ')}`;
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function relativeOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Code-unit order: the same on every machine. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
