/**
 * What the providers would say of a plan's reasoning effort before it runs (Ollama: "Reasoning
 * high sent as thinking on: qwen3:8b has no levels"), for `runs:estimate`: the same words as the
 * run's notice. Like counting input, it is a nicety: a provider that cannot be built or asked
 * leaves the cell without one, and the run says it all the same.
 */

import type { ProviderRegistry } from '../providers/provider-registry';
import type { BatchPlan, PlannedCell } from './run-planner';
import { COUNT_TIMEOUT_MS } from './input-counter';

/** Reads the reasoning notices of a plan's cells from their providers. */
export class ReasoningNoticeReader {
  private readonly registry: ProviderRegistry;

  constructor(registry: ProviderRegistry) {
    this.registry = registry;
  }

  /** The notice of each cell that has one, by cell index. */
  async read(plan: BatchPlan): Promise<Map<number, string>> {
    const asked = new Map<string, Promise<string | null>>();
    const notices = new Map<number, string>();
    await Promise.all(
      plan.cells.map(async (cell) => {
        const effort = cell.parameters.reasoningEffort;
        if (effort === undefined) return;
        const key = JSON.stringify([cell.providerId, cell.endpoint, cell.model, effort]);
        let said = asked.get(key);
        if (said === undefined) {
          said = this.ask(cell, effort);
          asked.set(key, said);
        }
        const text = await said;
        if (text !== null) notices.set(cell.cellIndex, text);
      }),
    );
    return notices;
  }

  private async ask(cell: PlannedCell, effort: NonNullable<PlannedCell['parameters']['reasoningEffort']>): Promise<string | null> {
    try {
      const { provider } = await this.registry.provider(cell.provider);
      return (await provider.reasoningNotice?.(cell.model, effort, AbortSignal.timeout(COUNT_TIMEOUT_MS))) ?? null;
    } catch {
      // Not built, or not answering: the run will say what is wrong.
      return null;
    }
  }
}
