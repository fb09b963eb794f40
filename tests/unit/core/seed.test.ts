import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, readMeta, type Database } from '../../../electron/core/database';
import { parsePromptFile, type PromptFile } from '../../../electron/core/prompt-file';
import { PromptStore } from '../../../electron/core/prompt-store';
import { SEEDED_META_KEY, seedLibrary } from '../../../electron/core/seed';
import { scanTemplate } from '../../../shared/template';
import { makeTempDir } from '../support';

const REAL_PROMPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prompts');

const open: Database[] = [];
afterEach(() => {
  for (const database of open.splice(0)) database.close();
});

function setup() {
  const database = openDatabase(path.join(makeTempDir(), 'workbench.sqlite'));
  open.push(database);
  return { database, store: new PromptStore(database) };
}

/** Writes `files` (relative path -> text) under a new folder named `library`. */
function writeLibrary(files: Record<string, string>): string {
  const root = path.join(makeTempDir(), 'library');
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  fs.mkdirSync(path.join(root, 'empty-folder'), { recursive: true });
  return root;
}

function readReal(relative: string): PromptFile {
  const result = parsePromptFile(fs.readFileSync(path.join(REAL_PROMPTS, relative), 'utf8'), relative);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.promptFile;
}

const validFile = (name: string, content = 'Hello {{who}}') =>
  `name: ${name}\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: ${content}\ntestData:\n  - who: world\n    expected: Hi\n`;

describe('seedLibrary', () => {
  it('loads the real sample library: one prompt per file or folder, versions in order, clean drafts', () => {
    const { store, database } = setup();
    const problems = seedLibrary(database, store, REAL_PROMPTS);
    const library = store.list();
    const details = library.map((prompt) => store.getDetail(prompt.id));
    const summarizerV2 = readReal('summarizer/v2.prompt.yml');
    expect({
      problems,
      library: library.map(({ slug, name, versionCount, latestVersion, isArchived }) => ({ slug, name, versionCount, latestVersion, isArchived })),
      notes: details.map((detail) => detail.versions.map((version) => `v${version.number}: ${version.note}`)),
      drafts: details.map((detail) => ({ isDirty: detail.draft.isDirty, baseVersion: detail.draft.baseVersion, variables: Object.keys(detail.draft.variables) })),
      summarizerDraft: details[2].draft.content,
      summarizerV1: store.getVersion(details[2].prompt.id, 1).content,
      summarizerDescription: details[2].prompt.description,
      seeded: readMeta(database, SEEDED_META_KEY) !== null,
    }).toStrictEqual({
      problems: [],
      library: [
        { slug: 'customer-support', name: 'Customer support', versionCount: 1, latestVersion: 1, isArchived: false },
        { slug: 'json-extractor', name: 'JSON extractor', versionCount: 1, latestVersion: 1, isArchived: false },
        { slug: 'summarizer', name: 'Summarizer', versionCount: 2, latestVersion: 2, isArchived: false },
      ],
      notes: [
        ['v1: Seeded from prompts/customer-support.prompt.yml'],
        ['v1: Seeded from prompts/json-extractor.prompt.yml'],
        ['v2: Seeded from prompts/summarizer/v2.prompt.yml', 'v1: Seeded from prompts/summarizer/v1.prompt.yml'],
      ],
      drafts: [
        { isDirty: false, baseVersion: 1, variables: ['product', 'customer_name', 'question'] },
        { isDirty: false, baseVersion: 1, variables: ['document'] },
        { isDirty: false, baseVersion: 2, variables: ['audience', 'text'] },
      ],
      summarizerDraft: summarizerV2.content,
      summarizerV1: readReal('summarizer/v1.prompt.yml').content,
      summarizerDescription: summarizerV2.description,
      seeded: true,
    });
  });

  it('ships sample prompts whose messages hold no malformed placeholders and whose test data fills every variable', () => {
    const { store, database } = setup();
    seedLibrary(database, store, REAL_PROMPTS);
    const report = store.list().map((prompt) => {
      const detail = store.getDetail(prompt.id);
      const versions = detail.versions.map((version) => store.getVersion(prompt.id, version.number).content.messages);
      return {
        slug: prompt.slug,
        problems: versions.flat().flatMap((message) => scanTemplate(message.content).problems),
        unfilled: detail.draft.content.messages
          .flatMap((message) => scanTemplate(message.content).placeholders.map((placeholder) => placeholder.name))
          .filter((name) => !detail.draft.variables[name]),
      };
    });
    expect(report).toStrictEqual([
      { slug: 'customer-support', problems: [], unfilled: [] },
      { slug: 'json-extractor', problems: [], unfilled: [] },
      { slug: 'summarizer', problems: [], unfilled: [] },
    ]);
  });

  it('reports broken files with file and line, loads the rest, and seeds only once', () => {
    const root = writeLibrary({
      'README.md': '# not a prompt',
      'a-good.prompt.yml': validFile('Good one'),
      'broken-syntax.prompt.yml': 'name: Broken\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: Summarize: {{text}}\n',
      'robot.prompt.yml': [
        'name: Robot',
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: system',
        '    content: Be helpful.',
        '  - role: robot',
        '    content: Beep.',
      ].join('\n'),
      'versioned/v1.prompt.yml': validFile('Versioned', 'First {{who}}'),
      'versioned/v2.prompt.yml': 'name: Versioned\nmessages:\n  - role: user\n    content: no model\n',
      'versioned/v10.prompt.yml': validFile('Versioned at last', 'Tenth {{who}}'),
      'versioned/v11.prompt.yml': validFile('Versioned at last', 'Tenth {{who}}'),
      'versioned/draft.prompt.yml': validFile('Stray'),
      'versioned/notes.md': 'ignored',
    });
    const { store, database } = setup();
    const problems = seedLibrary(database, store, root);
    const library = store.list().map((prompt) => {
      const detail = store.getDetail(prompt.id);
      return {
        slug: prompt.slug,
        name: prompt.name,
        versions: detail.versions.map((version) => `v${version.number}: ${version.note}`),
        draft: { content: detail.draft.content.messages[0].content, variables: detail.draft.variables, isDirty: detail.draft.isDirty },
      };
    });
    fs.writeFileSync(path.join(root, 'late.prompt.yml'), validFile('Added later'));
    const second = seedLibrary(database, store, root);
    expect({ problems, library, second, after: store.list().length }).toStrictEqual({
      problems: [
        { file: 'library/broken-syntax.prompt.yml', line: 5, column: 14, message: 'Nested mappings are not allowed in compact mappings' },
        { file: 'library/robot.prompt.yml', line: 6, column: 11, message: 'messages[1].role: Unknown role "robot": use system, user or assistant' },
        { file: 'library/versioned/draft.prompt.yml', line: 1, column: 1, message: 'Name versioned prompt files v1.prompt.yml, v2.prompt.yml, ...; skipped' },
        { file: 'library/versioned/v11.prompt.yml', line: 1, column: 1, message: 'Same content as the previous version; skipped' },
        { file: 'library/versioned/v2.prompt.yml', line: 1, column: 1, message: 'model: Invalid input: expected string, received undefined' },
      ],
      library: [
        {
          slug: 'a-good',
          name: 'Good one',
          versions: ['v1: Seeded from library/a-good.prompt.yml'],
          draft: { content: 'Hello {{who}}', variables: { who: 'world' }, isDirty: false },
        },
        {
          slug: 'versioned',
          name: 'Versioned at last',
          versions: ['v2: Seeded from library/versioned/v10.prompt.yml', 'v1: Seeded from library/versioned/v1.prompt.yml'],
          draft: { content: 'Tenth {{who}}', variables: { who: 'world' }, isDirty: false },
        },
      ],
      second: [],
      after: 2,
    });
  });

  it('reports a missing library folder and seeds once it appears', () => {
    const { store, database } = setup();
    const root = path.join(makeTempDir(), 'prompts');
    const missing = seedLibrary(database, store, root);
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'hello.prompt.yml'), validFile('Hello'));
    const found = seedLibrary(database, store, root);
    expect({ missing, found, library: store.list().map((prompt) => prompt.slug) }).toStrictEqual({
      missing: [{ file: 'prompts', line: 1, column: 1, message: 'The sample prompt library folder is missing' }],
      found: [],
      library: ['hello'],
    });
  });
});
