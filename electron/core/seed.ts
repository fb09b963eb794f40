/**
 * First-run seeding of the library from a folder of GitHub Models prompt files.
 *
 * A top-level `<slug>.prompt.yml` becomes a prompt with one version; a subfolder `<slug>/`
 * holding `v1.prompt.yml`, `v2.prompt.yml`... becomes one prompt with those versions in order.
 * The newest file's test data and evaluators become the prompt's test suite, read as the folder
 * import reads them (release/prompt-import.ts). Broken files are reported and skipped, and so
 * are test cases and evaluators that cannot be read; a prompt whose name another has is numbered
 * ("Summarizer 2"), with a note saying so. Seeding runs once, in one transaction: the
 * `seeded` meta key records it.
 */

import fs from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { collectVariables } from '../../shared/template';
import type { FileProblem } from '../../shared/types';
import { readMeta, writeMeta, type Database } from './database';
import type { JudgeProvider } from './evals/file-judge';
import type { PromptFile } from './prompt-file';
import type { PromptStore } from './prompt-store';
import { capitalized } from '../../shared/sentence';
import { importSuite, readPromptVersions, renameNote, type SuiteStore } from './release/prompt-import';

/** The `meta` key set once the library has been seeded. */
export const SEEDED_META_KEY = 'seeded';

const PROMPT_FILE = /\.prompt\.ya?ml$/;
const VERSION_FILE = /^v(\d+)\.prompt\.ya?ml$/;

/** A prompt to create: its slug and its version files in order. */
interface SeedPlan {
  slug: string;
  files: string[];
}

/**
 * Seeds the library and its test suites from `promptsDir` unless it was seeded before; returns
 * the problems met. `providers` are this machine's, which an LLM judge in the files is found among.
 */
export function seedLibrary(database: Database, store: PromptStore, suites: SuiteStore, promptsDir: string, providers: readonly JudgeProvider[]): FileProblem[] {
  if (readMeta(database, SEEDED_META_KEY) !== null) return [];
  // Problems name files relative to the folder above the library: `prompts/summarizer/v1.prompt.yml`.
  const labelRoot = path.dirname(promptsDir);
  const labelOf = (file: string): string => path.relative(labelRoot, file).split(path.sep).join('/');
  if (!fs.existsSync(promptsDir) || !fs.statSync(promptsDir).isDirectory()) {
    return [{ file: labelOf(promptsDir), line: 1, column: 1, message: 'The sample prompt library folder is missing' }];
  }

  const problems: FileProblem[] = [];
  // No judge is set on a first run: model-graded evaluators are reported, as an import without one reports them.
  const judges = { providers, judge: null };
  const found = planSeed(promptsDir, labelOf, problems).map((plan) => ({ slug: plan.slug, ...readPromptVersions(labelRoot, plan.files.map(labelOf), problems, judges) }));

  database.transaction(() => {
    // The other host may have seeded while this one was reading files.
    if (readMeta(database, SEEDED_META_KEY) !== null) return;
    for (const plan of found) {
      const latest = plan.versions.at(-1);
      if (latest === undefined) continue;
      const name = store.freeName(latest.name);
      const renamed = renameNote(store, latest.name, name);
      // The prompt loads whole: said apart from the files that did not.
      if (renamed !== null) problems.push({ file: latest.file, line: 1, column: 1, message: capitalized(renamed), leftOut: 'nothing', isRenamed: true });
      const { prompt } = store.create({ name, slug: plan.slug, description: latest.description });
      for (const version of plan.versions) {
        try {
          store.saveVersion({ promptId: prompt.id, content: version.content, variables: version.variables, note: `Seeded from ${version.file}` });
        } catch (error) {
          if (!(error instanceof WorkbenchError && error.code === 'conflict')) throw error;
          problems.push({ file: version.file, line: 1, column: 1, message: 'Same content as the previous version; skipped' });
        }
      }
      importSuite(plan.suite, prompt.id, suites, []);
      problems.push(...plan.suiteProblems);
    }
    writeMeta(database, SEEDED_META_KEY, new Date().toISOString());
  }).immediate();
  return problems.sort((left, right) => compareText(left.file, right.file) || left.line - right.line || left.column - right.column);
}

/** The variable values a seeded draft starts with: the first test case, limited to variables the messages use. */
export function draftVariables(promptFile: PromptFile): Record<string, string> {
  const testCase = promptFile.testData[0] ?? {};
  return Object.fromEntries(
    collectVariables(promptFile.content.messages)
      .filter((name) => Object.hasOwn(testCase, name))
      .map((name) => [name, testCase[name]]),
  );
}

function planSeed(promptsDir: string, labelOf: (file: string) => string, problems: FileProblem[]): SeedPlan[] {
  const plans: SeedPlan[] = [];
  for (const entry of sortedEntries(promptsDir)) {
    const file = path.join(promptsDir, entry.name);
    if (entry.isFile() && PROMPT_FILE.test(entry.name)) {
      plans.push({ slug: entry.name.replace(PROMPT_FILE, ''), files: [file] });
    } else if (entry.isDirectory()) {
      const versions: { number: number; file: string }[] = [];
      for (const child of sortedEntries(file)) {
        if (!child.isFile() || !PROMPT_FILE.test(child.name)) continue;
        const match = VERSION_FILE.exec(child.name);
        const childFile = path.join(file, child.name);
        if (match) versions.push({ number: Number(match[1]), file: childFile });
        else problems.push({ file: labelOf(childFile), line: 1, column: 1, message: 'Name versioned prompt files v1.prompt.yml, v2.prompt.yml, ...; skipped' });
      }
      versions.sort((left, right) => left.number - right.number);
      if (versions.length > 0) plans.push({ slug: entry.name, files: versions.map((version) => version.file) });
    }
  }
  return plans;
}

function sortedEntries(folder: string): fs.Dirent[] {
  return fs.readdirSync(folder, { withFileTypes: true }).sort((left, right) => compareText(left.name, right.name));
}

/** Code-unit order: the same on every machine, unlike locale collation. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
