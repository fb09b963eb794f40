import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../electron/core/database';
import { hashContent } from '../../../electron/core/prompt-content';
import { PromptStore } from '../../../electron/core/prompt-store';
import { readSettings, updateSettings } from '../../../electron/core/settings-store';
import { WorkbenchError } from '../../../shared/errors';
import type { PromptContent } from '../../../shared/types';
import { makeTempDir, manualClock } from '../support';

const T0 = '2025-01-01T00:00:00.000Z';
const T1 = '2025-01-01T00:01:00.000Z';
const T2 = '2025-01-01T00:02:00.000Z';
const T3 = '2025-01-01T00:03:00.000Z';

const open: Database[] = [];
afterEach(() => {
  for (const database of open.splice(0)) if (database.open) database.close();
});

function setup(file = path.join(makeTempDir(), 'workbench.sqlite')) {
  const database = openDatabase(file);
  open.push(database);
  const clock = manualClock(T0);
  return { database, clock, file, store: new PromptStore(database, { now: clock.now }) };
}

/** The code and message of the WorkbenchError `action` throws. */
function failure(action: () => unknown): { code: string; message: string } | 'did not throw' {
  try {
    action();
    return 'did not throw';
  } catch (error) {
    if (error instanceof WorkbenchError) return { code: error.code, message: error.message };
    throw error;
  }
}

const contentV1: PromptContent = {
  model: 'openai/gpt-4o-mini',
  parameters: { temperature: 0.2 },
  messages: [
    { role: 'system', content: 'You summarize.' },
    { role: 'user', content: 'Summarize {{text}}' },
  ],
};
const contentV2: PromptContent = { ...contentV1, messages: [...contentV1.messages, { role: 'assistant', content: 'Summary:' }] };

describe('PromptStore', () => {
  it('creates a prompt with a slug and an empty draft on the default model', () => {
    const { store } = setup();
    expect(store.create({ name: '  Customer support ' })).toStrictEqual({
      prompt: {
        id: 1,
        slug: 'customer-support',
        name: 'Customer support',
        description: '',
        isArchived: false,
        versionCount: 0,
        latestVersion: null,
        updatedAt: T0,
      },
      draft: {
        promptId: 1,
        content: {
          model: 'openai/gpt-4o-mini',
          parameters: {},
          messages: [
            { role: 'system', content: '' },
            { role: 'user', content: '' },
          ],
        },
        variables: {},
        baseVersion: null,
        isDirty: true,
        updatedAt: T0,
        revision: 0,
      },
      versions: [],
    });
  });

  it('derives unique slugs from names', () => {
    const { store } = setup();
    const names = ['Customer support', 'customer SUPPORT!', '  Customer -- support  ', 'Crème brûlée v2', '日本語', '???'];
    expect(names.map((name) => store.create({ name }).prompt.slug)).toStrictEqual([
      'customer-support',
      'customer-support-2',
      'customer-support-3',
      'creme-brulee-v2',
      '日本語',
      'prompt',
    ]);
  });

  it('lists by name, filters regardless of case and accents, and hides archived prompts unless asked', () => {
    const { store } = setup();
    for (const name of ['Zebra facts', 'ÉTÉ planner', 'alpha support', 'Beta Support', 'Archived support', 'Summarizer ✂️ résumé', 'Resume writer', 'ｆｕｌｌ width', '要約 prompt']) store.create({ name });
    store.setArchived(5, true);
    const names = (query?: string, includeArchived?: boolean) => store.list({ query, includeArchived }).map((prompt) => prompt.name);
    expect({
      all: names(),
      support: names('SUPPORT'),
      supportWithArchived: names(' support ', true),
      unicode: names('été'),
      withoutAccents: names('ete'),
      resume: names('Resume'),
      résumé: names('RÉSUMÉ'),
      decomposed: names('re\u0301sume\u0301'),
      emoji: names('✂️ résumé'),
      fullWidth: names('full'),
      otherScript: names('要約'),
      none: names('nothing like this'),
    }).toStrictEqual({
      all: ['alpha support', 'Beta Support', 'ÉTÉ planner', 'ｆｕｌｌ width', 'Resume writer', 'Summarizer ✂️ résumé', 'Zebra facts', '要約 prompt'],
      support: ['alpha support', 'Beta Support'],
      supportWithArchived: ['alpha support', 'Archived support', 'Beta Support'],
      unicode: ['ÉTÉ planner'],
      withoutAccents: ['ÉTÉ planner'],
      resume: ['Resume writer', 'Summarizer ✂️ résumé'],
      résumé: ['Resume writer', 'Summarizer ✂️ résumé'],
      decomposed: ['Resume writer', 'Summarizer ✂️ résumé'],
      emoji: ['Summarizer ✂️ résumé'],
      fullWidth: ['ｆｕｌｌ width'],
      otherScript: ['要約 prompt'],
      none: [],
    });
  });

  it('renames and describes a prompt, keeping its slug', () => {
    const { store, clock } = setup();
    store.create({ name: 'Summarizer' });
    clock.set(T1);
    store.rename(1, '  Meeting summarizer ');
    clock.set(T2);
    expect(store.describe(1, 'Turns meeting notes into decisions and actions.')).toStrictEqual({
      id: 1,
      slug: 'summarizer',
      name: 'Meeting summarizer',
      description: 'Turns meeting notes into decisions and actions.',
      isArchived: false,
      versionCount: 0,
      latestVersion: null,
      updatedAt: T2,
    });
  });

  it('archives and unarchives', () => {
    const { store } = setup();
    store.create({ name: 'Old prompt' });
    const archived = store.setArchived(1, true);
    const hidden = store.list();
    const restored = store.setArchived(1, false);
    expect({ archived: archived.isArchived, hidden, restored: restored.isArchived, listed: store.list().length }).toStrictEqual({
      archived: true,
      hidden: [],
      restored: false,
      listed: 1,
    });
  });

  it('numbers versions, keeps them immutable and makes the latest the draft base', () => {
    const { store, clock } = setup();
    store.create({ name: 'Summarizer' });
    clock.set(T1);
    const v1 = store.saveVersion({ promptId: 1, content: contentV1, variables: { text: 'one' }, note: '  First cut ' });
    clock.set(T2);
    const v2 = store.saveVersion({ promptId: 1, content: contentV2, variables: { text: 'two' }, note: 'Prefill the answer' });
    expect({ v1, v2, detail: store.getDetail(1), frozenV1: store.getVersion(1, 1) }).toStrictEqual({
      v1: { id: 1, promptId: 1, number: 1, note: 'First cut', status: 'draft', contentHash: hashContent(contentV1), createdAt: T1 },
      v2: { id: 2, promptId: 1, number: 2, note: 'Prefill the answer', status: 'draft', contentHash: hashContent(contentV2), createdAt: T2 },
      detail: {
        prompt: { id: 1, slug: 'summarizer', name: 'Summarizer', description: '', isArchived: false, versionCount: 2, latestVersion: 2, updatedAt: T2 },
        draft: { promptId: 1, content: contentV2, variables: { text: 'two' }, baseVersion: 2, isDirty: false, updatedAt: T2, revision: 2 },
        versions: [
          { id: 2, promptId: 1, number: 2, note: 'Prefill the answer', status: 'draft', contentHash: hashContent(contentV2), createdAt: T2 },
          { id: 1, promptId: 1, number: 1, note: 'First cut', status: 'draft', contentHash: hashContent(contentV1), createdAt: T1 },
        ],
      },
      frozenV1: { id: 1, promptId: 1, number: 1, note: 'First cut', status: 'draft', contentHash: hashContent(contentV1), createdAt: T1, content: contentV1 },
    });
    expect(hashContent(contentV1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a version identical to the latest, whatever the key order or stray fields', () => {
    const { store } = setup();
    store.create({ name: 'Summarizer' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    store.saveVersion({ promptId: 1, content: contentV2, variables: {}, note: '' });
    const reordered = {
      messages: contentV2.messages.map((message) => ({ content: message.content, role: message.role, extra: 1 })),
      parameters: { temperature: 0.2, topP: undefined },
      model: contentV2.model,
    } as unknown as PromptContent;
    expect({
      error: failure(() => store.saveVersion({ promptId: 1, content: reordered, variables: { text: 'changed' }, note: 'again' })),
      versionCount: store.getSummary(1).versionCount,
      variablesUntouched: store.getDraft(1).variables,
    }).toStrictEqual({
      error: { code: 'conflict', message: 'No changes since v2' },
      versionCount: 2,
      variablesUntouched: {},
    });
  });

  it('tracks whether the draft differs from the latest version', () => {
    const { store } = setup();
    const steps: boolean[] = [store.create({ name: 'P' }).draft.isDirty];
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    steps.push(store.getDraft(1).isDirty);
    steps.push(store.saveDraft(1, contentV2, { text: 'x' }).isDirty);
    steps.push(store.saveDraft(1, { ...contentV1, parameters: { temperature: 0.2 } }, { text: 'x' }).isDirty);
    steps.push(store.saveDraft(1, { ...contentV1, model: 'anthropic/claude-sonnet-4' }, {}).isDirty);
    expect(steps).toStrictEqual([true, false, true, false, true]);
  });

  it('autosaves the draft, keeping its base version', () => {
    const { store, clock } = setup();
    store.create({ name: 'P' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    clock.set(T3);
    expect(store.saveDraft(1, contentV2, { text: 'hello' })).toStrictEqual({
      promptId: 1,
      content: contentV2,
      variables: { text: 'hello' },
      baseVersion: 1,
      isDirty: true,
      updatedAt: T3,
      revision: 2,
    });
    // Autosave does not touch the library row.
    expect(store.getSummary(1).updatedAt).toBe(T0);
  });

  it('restores a version into the draft and keeps the variable values', () => {
    const { store, clock } = setup();
    store.create({ name: 'P' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    store.saveVersion({ promptId: 1, content: contentV2, variables: {}, note: '' });
    store.saveDraft(1, contentV2, { text: 'my test text' });
    clock.set(T3);
    expect(store.restoreVersion(1, 1)).toStrictEqual({
      promptId: 1,
      content: contentV1,
      variables: { text: 'my test text' },
      baseVersion: 1,
      isDirty: true,
      updatedAt: T3,
      revision: 4,
    });
  });

  it('undoes a restore: the draft takes back its text and the version it was based on', () => {
    const { store, clock } = setup();
    store.create({ name: 'P' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    store.saveVersion({ promptId: 1, content: contentV2, variables: {}, note: '' });
    const edited: PromptContent = { ...contentV2, model: 'openai/gpt-4o' };
    store.saveDraft(1, edited, { text: 'typed' });
    store.restoreVersion(1, 1);
    clock.set(T3);
    expect({
      undone: store.saveDraft(1, edited, { text: 'typed' }, { baseVersion: 2 }),
      // A later autosave without a base keeps the one put back.
      kept: store.saveDraft(1, edited, { text: 'typed again' }).baseVersion,
      unknownBase: failure(() => store.saveDraft(1, contentV1, {}, { baseVersion: 7 })),
      afterRefusal: store.getDraft(1).content,
    }).toStrictEqual({
      undone: { promptId: 1, content: edited, variables: { text: 'typed' }, baseVersion: 2, isDirty: true, updatedAt: T3, revision: 5 },
      kept: 2,
      unknownBase: { code: 'not-found', message: 'The prompt “P” has no version 7' },
      afterRefusal: edited,
    });
  });

  it('refuses a save, a version or a restore based on a draft revision another window has written over, changing nothing', () => {
    const { store, clock, file } = setup();
    store.create({ name: 'P' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: '' });
    const opened = store.getDraft(1).revision;
    // Window A saves its edit based on the draft both windows opened.
    const editedByA: PromptContent = { ...contentV1, messages: [{ role: 'system', content: 'You summarize. EDIT-FROM-A' }, contentV1.messages[1]] };
    clock.set(T1);
    const savedByA = store.saveDraft(1, editedByA, { text: 'a' }, { basedOnRevision: opened });
    // Window B, which never saw it, tries to save, to save a version and to restore over it.
    const editedByB: PromptContent = { ...contentV1, messages: [contentV1.messages[0], { role: 'user', content: 'EDIT-FROM-B' }] };
    clock.set(T2);
    const stale = 'This draft was changed in another window since this one last had it: nothing was saved. Choose which draft to keep.';
    const refusals = {
      save: failure(() => store.saveDraft(1, editedByB, { text: 'b' }, { basedOnRevision: opened })),
      saveWithBase: failure(() => store.saveDraft(1, editedByB, { text: 'b' }, { baseVersion: 1, basedOnRevision: opened })),
      version: failure(() => store.saveVersion({ promptId: 1, content: editedByB, variables: {}, note: 'B', basedOnRevision: opened })),
      restore: failure(() => store.restoreVersion(1, 1, opened)),
    };
    // Read back from the file, as another process would.
    const reopened = new PromptStore(openDatabase(file));
    expect({ opened, savedByA: savedByA.revision, refusals, draft: reopened.getDraft(1), versions: reopened.getDetail(1).versions.length }).toStrictEqual({
      opened: 1,
      savedByA: 2,
      refusals: { save: { code: 'conflict', message: stale }, saveWithBase: { code: 'conflict', message: stale }, version: { code: 'conflict', message: stale }, restore: { code: 'conflict', message: stale } },
      draft: { promptId: 1, content: editedByA, variables: { text: 'a' }, baseVersion: 1, isDirty: true, updatedAt: T1, revision: 2 },
      versions: 1,
    });
    // Based on the revision it now knows (B chose to keep its own), B's save goes through.
    expect(store.saveDraft(1, editedByB, { text: 'b' }, { basedOnRevision: 2 }).revision).toBe(3);
  });

  it('duplicates a prompt with its draft and every version', () => {
    const { store, clock } = setup();
    store.create({ name: 'Summarizer', description: 'Short summaries' });
    clock.set(T1);
    store.saveVersion({ promptId: 1, content: contentV1, variables: {}, note: 'First' });
    clock.set(T2);
    store.saveVersion({ promptId: 1, content: contentV2, variables: {}, note: 'Second' });
    store.saveDraft(1, { ...contentV2, model: 'openai/gpt-4o' }, { text: 'draft value' });
    clock.set(T3);
    const copy = store.duplicate(1);
    const original = store.getDetail(1);
    expect(copy).toStrictEqual({
      prompt: {
        id: 2,
        slug: 'summarizer-copy',
        name: 'Summarizer (copy)',
        description: 'Short summaries',
        isArchived: false,
        versionCount: 2,
        latestVersion: 2,
        updatedAt: T3,
      },
      draft: { ...original.draft, promptId: 2, updatedAt: T3, revision: 0 },
      versions: original.versions.map((version, index) => ({ ...version, id: 4 - index, promptId: 2 })),
    });
    expect(store.getVersion(2, 1).content).toStrictEqual(contentV1);
  });

  it('refuses a name another prompt has, archived or not, whatever its case and spacing, naming the name field', () => {
    const { store } = setup();
    store.create({ name: 'Customer support' });
    store.create({ name: 'Summarizer' });
    store.create({ name: 'Old notes' });
    store.setArchived(3, true);
    const refusal = (action: () => unknown) => {
      try {
        action();
        return 'did not throw';
      } catch (error) {
        if (!(error instanceof WorkbenchError)) throw error;
        return { code: error.code, message: error.message, issues: error.issues };
      }
    };
    const taken = 'A prompt named “Customer support” already exists: give this one another name';
    const archived = 'An archived prompt is named “Old notes” (Show archived lists it): give this one another name';
    expect({
      create: refusal(() => store.create({ name: 'customer SUPPORT' })),
      createSpaced: refusal(() => store.create({ name: '  Customer   support ' })),
      createArchived: refusal(() => store.create({ name: 'old notes' })),
      rename: refusal(() => store.rename(2, 'Customer Support')),
      renameArchived: refusal(() => store.rename(2, 'OLD NOTES')),
      names: store.list({ includeArchived: true }).map((prompt) => prompt.name),
    }).toStrictEqual({
      create: { code: 'conflict', message: taken, issues: [{ path: 'name', rule: taken }] },
      createSpaced: { code: 'conflict', message: taken, issues: [{ path: 'name', rule: taken }] },
      createArchived: { code: 'conflict', message: archived, issues: [{ path: 'name', rule: archived }] },
      rename: { code: 'conflict', message: taken, issues: [{ path: 'name', rule: taken }] },
      renameArchived: { code: 'conflict', message: archived, issues: [{ path: 'name', rule: archived }] },
      names: ['Customer support', 'Old notes', 'Summarizer'],
    });
    // A prompt may change the case or spacing of its own name, and take a name given up by another.
    store.rename(1, 'customer  Support');
    store.rename(2, 'Meeting summarizer');
    store.create({ name: 'Summarizer' });
    expect(store.list({ includeArchived: true }).map((prompt) => prompt.name)).toStrictEqual(['customer  Support', 'Meeting summarizer', 'Old notes', 'Summarizer']);
  });

  it('numbers a free name for what names a prompt itself, and copies as (copy), (copy 2)...', () => {
    const { store } = setup();
    store.create({ name: 'Same name' });
    store.create({ name: 'same name 2' });
    const long = 'x'.repeat(200);
    store.create({ name: long });
    const copies = [store.duplicate(1), store.duplicate(1), store.duplicate(4)].map((copy) => copy.prompt.name);
    expect({
      free: [store.freeName('Fresh'), store.freeName(' SAME NAME '), store.freeName(long)],
      copies,
      longCopy: store.duplicate(3).prompt.name,
    }).toStrictEqual({
      free: ['Fresh', 'SAME NAME 3', `${'x'.repeat(198)} 2`],
      // A copy of a copy is numbered after the original, not "(copy) (copy)".
      copies: ['Same name (copy)', 'Same name (copy 2)', 'Same name (copy 3)'],
      longCopy: `${'x'.repeat(193)} (copy)`,
    });
    // The library lists copies in the order they were made, the first "(copy)" before "(copy 2)".
    expect(store.list({ query: 'same name' }).map((prompt) => prompt.name)).toStrictEqual(['Same name', 'Same name (copy)', 'Same name (copy 2)', 'Same name (copy 3)', 'same name 2']);
  });

  it('opens a database that already holds two prompts of one name, and lets each work and be renamed', () => {
    const { store, database, file } = setup();
    store.create({ name: 'Report' });
    store.create({ name: 'Other' });
    // As a database from before names were checked could hold them.
    database.prepare("UPDATE prompts SET name = 'report' WHERE id = 2").run();
    database.close();
    const reopened = setup(file).store;
    reopened.saveVersion({ promptId: 2, content: contentV1, variables: {}, note: 'Still works' });
    reopened.describe(1, 'First of two');
    reopened.setArchived(2, true);
    reopened.setArchived(2, false);
    // A change of case alone keeps the shared name; a real change must be free.
    const sameName = reopened.rename(2, 'REPORT').name;
    reopened.create({ name: 'Notes' });
    const refused = failure(() => reopened.rename(2, 'notes'));
    reopened.rename(2, 'Report (old)');
    expect({
      sameName,
      refused,
      copy: reopened.duplicate(1).prompt.name,
      names: reopened.list().map((prompt) => [prompt.id, prompt.name, prompt.versionCount, prompt.description]),
    }).toStrictEqual({
      sameName: 'REPORT',
      refused: { code: 'conflict', message: 'A prompt named “Notes” already exists: give this one another name' },
      copy: 'Report (copy)',
      names: [
        [3, 'Notes', 0, ''],
        [1, 'Report', 0, 'First of two'],
        [4, 'Report (copy)', 0, 'First of two'],
        [2, 'Report (old)', 1, ''],
      ],
    });
  });

  it('reports missing prompts and versions as not-found and bad names as invalid-input', () => {
    const { store } = setup();
    store.create({ name: 'P' });
    expect([
      failure(() => store.getDetail(9)),
      failure(() => store.rename(9, 'X')),
      failure(() => store.saveDraft(9, contentV1, {})),
      failure(() => store.saveVersion({ promptId: 9, content: contentV1, variables: {}, note: '' })),
      failure(() => store.getVersion(1, 3)),
      failure(() => store.getVersion(9, 1)),
      failure(() => store.restoreVersion(1, 1)),
      failure(() => store.duplicate(9)),
      failure(() => store.setArchived(9, true)),
      failure(() => store.rename(1, '   ')),
      failure(() => store.create({ name: 'x'.repeat(201) })),
    ]).toStrictEqual([
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'The prompt “P” has no version 3' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'The prompt “P” has no version 1' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'not-found', message: 'Prompt 9 does not exist' },
      { code: 'invalid-input', message: 'Name must not be empty' },
      { code: 'invalid-input', message: 'Name is longer than 200 characters' },
    ]);
  });

  it('keeps a 1 MB message intact in drafts and versions', () => {
    const { store } = setup();
    store.create({ name: 'Big' });
    // Multi-byte characters, a surrogate pair, quotes, backslashes and newlines, over a million characters.
    const chunk = 'Lorem ipsum — "quoted" \\ path \u00e9\u4e2d\u{1F600}\n';
    const big = chunk.repeat(Math.ceil(1_048_576 / chunk.length));
    const content: PromptContent = { ...contentV1, messages: [{ role: 'user', content: big }] };
    store.saveDraft(1, content, { text: big });
    const draft = store.getDraft(1);
    store.saveVersion({ promptId: 1, content, variables: {}, note: 'big' });
    expect(big.length).toBeGreaterThan(1_048_576);
    expect({
      draftMessage: draft.content.messages[0].content === big,
      draftVariable: draft.variables.text === big,
      versionMessage: store.getVersion(1, 1).content.messages[0].content === big,
    }).toStrictEqual({ draftMessage: true, draftVariable: true, versionMessage: true });
  });

  it('keeps everything across close and reopen', () => {
    const { store, database, file } = setup();
    store.create({ name: 'Persistent' });
    store.saveVersion({ promptId: 1, content: contentV1, variables: { text: 'a' }, note: 'v1' });
    store.saveDraft(1, contentV2, { text: 'b' });
    store.setArchived(1, true);
    updateSettings(database, { theme: 'dark' });
    const before = store.getDetail(1);
    database.close();
    const reopened = setup(file);
    expect({ detail: reopened.store.getDetail(1), settings: readSettings(reopened.database) }).toStrictEqual({
      detail: before,
      settings: { theme: 'dark', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
    });
  });
});

describe('settings', () => {
  it('defaults to the system theme, stores updates, and ignores values it cannot read', () => {
    const { database } = setup();
    const fresh = readSettings(database);
    const updated = updateSettings(database, { theme: 'light' });
    const untouched = updateSettings(database, {});
    database.prepare("UPDATE settings SET value_json = '\"neon\"' WHERE key = 'theme'").run();
    const corrupt = readSettings(database);
    expect({ fresh, updated, untouched, corrupt }).toStrictEqual({
      fresh: { theme: 'system', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
      updated: { theme: 'light', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
      untouched: { theme: 'light', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
      corrupt: { theme: 'system', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null },
    });
    // The judge is kept, and removed with null.
    expect(updateSettings(database, { judge: { providerId: 2, model: 'claude-haiku-4-5' } }).judge).toStrictEqual({ providerId: 2, model: 'claude-haiku-4-5' });
    expect(readSettings(database).judge).toStrictEqual({ providerId: 2, model: 'claude-haiku-4-5' });
    expect(updateSettings(database, { judge: null }).judge).toBeNull();
  });
});
