/**
 * The engine as the hosts see it: one handler per bridge call, and the events they push.
 *
 * The desktop shell, the browser host, the CLI and the tests all build it the same way and
 * pass in what only they know (the data folder, where the sample library lives).
 */

import path from 'node:path';
import type { CallHandlers, EventName, EventPayload } from '../../shared/contract';
import type { AppInfo } from '../../shared/types';
import { openDatabase } from './database';
import { PromptStore } from './prompt-store';
import { seedLibrary } from './seed';
import { readSettings, updateSettings } from './settings-store';

/** The database file inside the data folder. */
export const DATABASE_FILE_NAME = 'workbench.sqlite';

/** What a host tells the engine. */
export interface EngineOptions {
  /** The user-data folder; created if missing. */
  dataDir: string;
  /** The sample library seeded on first run; null to seed nothing. */
  promptsDir: string | null;
  host: AppInfo['host'];
  appVersion: string;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/** Receives every event the engine emits. */
export type EngineListener = (name: EventName, payload: unknown) => void;

/** A running engine. */
export interface Engine {
  handlers: CallHandlers;
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: EngineListener): () => void;
  /** Closes the database; the handlers fail afterwards. */
  close(): void;
}

/** Opens the database in `dataDir`, seeds it on first run and returns the handlers. */
export function createEngine(options: EngineOptions): Engine {
  const database = openDatabase(path.join(options.dataDir, DATABASE_FILE_NAME));
  const store = new PromptStore(database, { now: options.now });
  let problems: AppInfo['problems'];
  try {
    problems = options.promptsDir === null ? [] : seedLibrary(database, store, options.promptsDir);
  } catch (error) {
    database.close();
    throw error;
  }

  const listeners = new Set<EngineListener>();
  /**
   * Delivers an event on a later turn of the event loop, so on every transport a caller gets
   * its result before the events its call caused, and a failing listener cannot fail the call.
   */
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    setImmediate(() => {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (error) {
          console.error(`[engine] listener for ${name} failed:`, error);
        }
      }
    });
  };
  /** Passes `value` through after telling listeners the library row of `promptId` changed. */
  const changed = <T>(promptId: number, value: T): T => {
    emit('library:changed', { promptId });
    return value;
  };

  const handlers: CallHandlers = {
    'app:info': () => ({ version: options.appVersion, host: options.host, dataDir: options.dataDir, problems }),
    'settings:get': () => readSettings(database),
    'settings:update': (input) => updateSettings(database, input),
    'prompts:list': (input) => store.list(input),
    'prompts:get': ({ id }) => store.getDetail(id),
    'prompts:create': ({ name }) => {
      const detail = store.create({ name });
      return changed(detail.prompt.id, detail);
    },
    'prompts:rename': ({ id, name }) => changed(id, store.rename(id, name)),
    'prompts:describe': ({ id, description }) => changed(id, store.describe(id, description)),
    'prompts:duplicate': ({ id }) => {
      const detail = store.duplicate(id);
      return changed(detail.prompt.id, detail);
    },
    'prompts:archive': ({ id, isArchived }) => changed(id, store.setArchived(id, isArchived)),
    // Autosave does not change a library row, so it emits nothing.
    'drafts:save': ({ promptId, content, variables }) => store.saveDraft(promptId, content, variables),
    'versions:save': (input) => changed(input.promptId, store.saveVersion(input)),
    'versions:get': ({ promptId, number }) => store.getVersion(promptId, number),
    'versions:restore': ({ promptId, number }) => store.restoreVersion(promptId, number),
  };

  let isClosed = false;
  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      listeners.clear();
      database.close();
    },
  };
}
