/**
 * What the models of OpenAI and OpenAI-compatible endpoints refused, kept in SQLite.
 *
 * Neither OpenAI nor the compatible servers say which models take `reasoning_effort`, or only
 * the default temperature and top-p; a model says so by refusing a request, which the provider
 * then sends again without the parameter (see openai-provider.ts). Kept here, what it learned
 * outlives the provider object: the first run of the next session, or after the provider's
 * settings changed, leaves the parameter out at once instead of paying a refused request again.
 *
 * A refusal is trusted for `REFUSAL_MAX_AGE_DAYS`; after that the model is asked with the
 * parameter once more, so a model that came to take it (a provider's update, a server swapped
 * behind the same URL) is not held to its old answer for ever. It is kept per endpoint, so a
 * provider whose base URL changed learns anew.
 */

import type { Database } from '../database';
import { statementCache } from '../prepared-statements';
import { OPTIONAL_PARAMS, type OptionalParam, type RefusalMemory } from './openai-provider';

/** How long a refusal is trusted before the model is asked with the parameter again. */
export const REFUSAL_MAX_AGE_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Refusals of every endpoint's models, over an open database. */
export class RefusalStore {
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly now: () => Date;

  constructor(database: Database, now: () => Date = () => new Date()) {
    this.sql = statementCache(database);
    this.now = now;
  }

  /** The memory of provider `providerId` while it talks to `endpoint`. */
  memoryFor(providerId: number, endpoint: string): RefusalMemory {
    return {
      recall: (model) => this.recall(providerId, endpoint, model),
      remember: (model, param) => {
        // Not keeping it costs one refused request next session; it must not fail the run.
        try {
          this.remember(providerId, endpoint, model, param);
        } catch (error) {
          console.warn(`[refusals] could not keep that ${model} refused ${param}:`, error instanceof Error ? error.message : error);
        }
      },
    };
  }

  /** The parameters `model` refused within the last `REFUSAL_MAX_AGE_DAYS`. */
  recall(providerId: number, endpoint: string, model: string): OptionalParam[] {
    const since = new Date(this.now().getTime() - REFUSAL_MAX_AGE_DAYS * DAY_MS).toISOString();
    const rows = this.sql<[number, string, string, string], { param: string }>(
      'SELECT param FROM model_param_refusals WHERE provider_id = ? AND endpoint = ? AND model = ? AND refused_at >= ? ORDER BY param',
    ).all(providerId, endpoint, model, since);
    // A value this build does not know (written by a later one) is not ours to leave out.
    return rows.map((row) => row.param).filter((param): param is OptionalParam => (OPTIONAL_PARAMS as readonly string[]).includes(param));
  }

  /** Records that `model` refused `param` now (again, when it was known and had expired). */
  remember(providerId: number, endpoint: string, model: string, param: OptionalParam): void {
    this.sql(
      `INSERT INTO model_param_refusals (provider_id, endpoint, model, param, refused_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (provider_id, endpoint, model, param) DO UPDATE SET refused_at = excluded.refused_at`,
    ).run(providerId, endpoint, model, param, this.now().toISOString());
  }
}
