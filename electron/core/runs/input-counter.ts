/**
 * Input tokens counted by the providers that offer counting (Anthropic's `count_tokens`), for
 * `runs:estimate`. Counting is a nicety: a provider without it, a missing key, a network error
 * or a refusal all leave the cell at the local tokenizer's estimate, and never fail the estimate.
 * A missing key is said, though (the cells are `keyless`): it is the one reason the user can act
 * on, and a key entered in the browser host is gone after a restart.
 */

import { ProviderError } from '../providers/provider-error';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { BatchPlan, PlannedCell } from './run-planner';

/** How long an estimate waits for a provider's count before it keeps the local one. */
export const COUNT_TIMEOUT_MS = 5000;

/** Counts kept, so toggling targets or versions does not ask again for the same messages. */
const MAX_REMEMBERED = 256;

/** What the providers counted of a plan's input. */
export interface InputCounts {
  /** The provider-counted input tokens, by cell index; cells left out keep their estimate. */
  counted: Map<number, number>;
  /** The cells a provider would have counted but for its missing API key, by cell index. */
  keyless: Set<number>;
}

/** Counts the input of a plan's cells where the provider can. */
export class InputCounter {
  private readonly registry: ProviderRegistry;
  private readonly remembered = new Map<string, number>();

  constructor(registry: ProviderRegistry) {
    this.registry = registry;
  }

  /** The input of `plan`'s cells the providers counted, and the cells they could not for want of a key. */
  async count(plan: BatchPlan): Promise<InputCounts> {
    const requests = requestsOf(plan);
    const counted = new Map<number, number>();
    const keyless = new Set<number>();
    await Promise.all(
      [...requests].map(async ([key, cells]) => {
        const tokens = this.remembered.get(key) ?? (await this.ask(cells[0]));
        if (tokens === null) return;
        if (tokens === 'no-key') {
          for (const cell of cells) keyless.add(cell.cellIndex);
          return;
        }
        this.remember(key, tokens);
        for (const cell of cells) counted.set(cell.cellIndex, tokens);
      }),
    );
    return { counted, keyless };
  }

  /**
   * The counts already known for `plan`'s cells (an estimate of the same messages asked for
   * them), without asking anyone: a run starts from the count its estimate showed.
   */
  known(plan: BatchPlan): Map<number, number> {
    const counted = new Map<number, number>();
    for (const [key, cells] of requestsOf(plan)) {
      const tokens = this.remembered.get(key);
      if (tokens !== undefined) for (const cell of cells) counted.set(cell.cellIndex, tokens);
    }
    return counted;
  }

  /**
   * The provider's count for `cell`; `no-key` when it counts but has no API key; null when it
   * has no counting or counting failed.
   */
  private async ask(cell: PlannedCell): Promise<number | 'no-key' | null> {
    let provider;
    try {
      ({ provider } = await this.registry.provider(cell.provider));
    } catch {
      // Not built (a key variable it may not read): whether it counts is not known, and the run will say what is wrong.
      return null;
    }
    if (!provider.countInputTokens) return null;
    try {
      const request = { model: cell.model, messages: cell.messages, parameters: cell.parameters };
      return await provider.countInputTokens(request, AbortSignal.timeout(COUNT_TIMEOUT_MS));
    } catch (error) {
      // The local estimate stands; the run itself will report any real problem with the provider.
      return error instanceof ProviderError && error.isKeyMissing ? 'no-key' : null;
    }
  }

  private remember(key: string, tokens: number): void {
    this.remembered.delete(key);
    this.remembered.set(key, tokens);
    if (this.remembered.size > MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
  }
}

/** The plan's cells by the count request they share: samples of one version on one model send the same messages, so one count serves them all. */
function requestsOf(plan: BatchPlan): Map<string, PlannedCell[]> {
  const requests = new Map<string, PlannedCell[]>();
  for (const cell of plan.cells) {
    const key = JSON.stringify([cell.providerId, cell.endpoint, cell.model, cell.messages]);
    requests.set(key, [...(requests.get(key) ?? []), cell]);
  }
  return requests;
}
