/**
 * Which response formats a provider kind can send, and how, known before anything is sent: a
 * run's estimate says it of a cell, and the provider refuses the cell, or notes how it sent the
 * format, in the same words.
 */

import { assertNever } from '../../../shared/assert-never';
import type { ProviderKind, ResponseFormat } from '../../../shared/types';
import { ProviderError } from './provider-error';

/** The refusal of a JSON object response format, which Claude does not have: what to choose instead. */
function jsonObjectRefusal(): ProviderError {
  return new ProviderError(
    'bad-request',
    `Anthropic has no JSON object mode: set the prompt’s Response format to JSON schema (the shape the answer must have), or to Text and ask for JSON in the messages`,
    { isNotSent: true },
  );
}

/**
 * Why a provider of `kind` cannot take `format`, so a cell with it fails before it is sent; null
 * when it can. `isBestEffort`: the messages ask for the format in words too
 * (an eval's judge), so a provider without the mode sends the request without it.
 */
export function responseFormatRefusal(kind: ProviderKind, format: ResponseFormat | undefined, isBestEffort = false): ProviderError | null {
  if (format === undefined || isBestEffort) return null;
  switch (kind) {
    case 'anthropic':
      return format.type === 'json_object' ? jsonObjectRefusal() : null;
    case 'openai':
    case 'openai-compatible':
    case 'ollama':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}

/**
 * What a provider of `kind` tells about a JSON schema that is not strict, sent as it is: Claude’s
 * structured outputs and Ollama’s format always hold the answer to the schema, so Strict off
 * changes nothing there, and the run says so rather than pass for a loose one (its estimate
 * before). Null when nothing to tell (OpenAI and compatible servers take `strict: false`; Claude
 * is sent no schema for a best-effort format).
 */
export function strictnessNotice(kind: ProviderKind, format: ResponseFormat | undefined, isBestEffort = false): string | null {
  if (format?.type !== 'json_schema' || format.isStrict !== false) return null;
  switch (kind) {
    case 'anthropic':
      return isBestEffort ? null : 'Strict off has no effect: Anthropic always holds the answer to the schema';
    case 'ollama':
      return 'Strict off has no effect: Ollama always holds the answer to the schema';
    case 'openai':
    case 'openai-compatible':
      return null;
    default:
      return assertNever(kind, 'provider kind');
  }
}
