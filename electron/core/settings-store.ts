/** App settings in SQLite, one row per key, each value as JSON; never secrets. */

import { z } from 'zod';
import type { AppSettings } from '../../shared/types';
import type { Database } from './database';
import { statementCache } from './prepared-statements';

/** The settings of a fresh install. */
export const DEFAULT_SETTINGS: AppSettings = { theme: 'system', dailyBudgetUsd: null, cacheLimitMb: null, cacheMaxAgeDays: null, judge: null, runChoices: null };

const target = z.object({ providerId: z.number().int().positive(), model: z.string().min(1) });

const settingSchemas: { [Key in keyof AppSettings]: z.ZodType<AppSettings[Key]> } = {
  theme: z.enum(['system', 'light', 'dark']),
  dailyBudgetUsd: z.number().finite().min(0).nullable(),
  cacheLimitMb: z.number().finite().min(1).nullable(),
  cacheMaxAgeDays: z.number().finite().min(1).nullable(),
  judge: target.nullable(),
  runChoices: z.object({ targets: z.array(target), samples: z.number().int().min(1), bypassCache: z.boolean() }).nullable(),
};

/** The stored settings over the defaults; a stored value this build cannot read falls back to its default. */
export function readSettings(database: Database): AppSettings {
  // Prepared once: a batch reads the daily budget each time it starts.
  const rows = statementCache(database)<[], { key: string; valueJson: string }>('SELECT key, value_json AS valueJson FROM settings').all();
  const settings: AppSettings = { ...DEFAULT_SETTINGS };
  for (const { key, valueJson } of rows) {
    if (!Object.hasOwn(settingSchemas, key)) continue;
    const settingKey = key as keyof AppSettings;
    const parsed = settingSchemas[settingKey].safeParse(parseJson(valueJson));
    if (parsed.success) Object.assign(settings, { [settingKey]: parsed.data });
  }
  return settings;
}

/** One stored setting over its default, read alone (a batch checks the daily budget each time it starts). */
export function readSetting<Key extends keyof AppSettings>(database: Database, key: Key): AppSettings[Key] {
  const row = statementCache(database)<[string], { valueJson: string }>('SELECT value_json AS valueJson FROM settings WHERE key = ?').get(key);
  if (row === undefined) return DEFAULT_SETTINGS[key];
  const parsed = settingSchemas[key].safeParse(parseJson(row.valueJson));
  return parsed.success ? parsed.data : DEFAULT_SETTINGS[key];
}

/** Stores the given settings, leaves the others, and returns them all. */
export function updateSettings(database: Database, patch: Partial<AppSettings>): AppSettings {
  const upsert = database.prepare(
    'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
  );
  database.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined && Object.hasOwn(settingSchemas, key)) upsert.run(key, JSON.stringify(value));
    }
  })();
  return readSettings(database);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
