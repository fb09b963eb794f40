/** The canonical form of prompt content: what is stored, and the hash that says two contents are the same. */

import { createHash } from 'node:crypto';
import { assertNever } from '../../shared/assert-never';
import type { ModelParameters, PromptContent, ResponseFormat } from '../../shared/types';
import { canonicalJson } from './canonical-json';

/** The model a new prompt starts with. */
export const DEFAULT_MODEL = 'openai/gpt-4o-mini';

/** The content of a new prompt: an empty system and user message on the default model. */
export function emptyContent(): PromptContent {
  return {
    model: DEFAULT_MODEL,
    parameters: {},
    messages: [
      { role: 'system', content: '' },
      { role: 'user', content: '' },
    ],
  };
}

/** Keeps only the fields of `PromptContent`, so stray properties never reach the database or the hash. */
export function normalizeContent(content: PromptContent): PromptContent {
  const { temperature, maxTokens, topP, stop, reasoningEffort } = content.parameters;
  const parameters: ModelParameters = {};
  if (temperature !== undefined) parameters.temperature = temperature;
  if (maxTokens !== undefined) parameters.maxTokens = maxTokens;
  if (topP !== undefined) parameters.topP = topP;
  if (stop !== undefined) parameters.stop = [...stop];
  if (reasoningEffort !== undefined) parameters.reasoningEffort = reasoningEffort;
  const normalized: PromptContent = {
    model: content.model,
    parameters,
    messages: content.messages.map((message) => ({ role: message.role, content: message.content })),
  };
  // Left out for text, so content from before response formats keeps its hash.
  if (content.responseFormat !== undefined) normalized.responseFormat = normalizeResponseFormat(content.responseFormat);
  return normalized;
}

/** Keeps only the fields of a response format; strict (the default) is left out, so a schema from before the choice keeps its hash. */
export function normalizeResponseFormat(format: ResponseFormat): ResponseFormat {
  switch (format.type) {
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return { type: 'json_schema', name: format.name, schema: format.schema, ...(format.isStrict === false && { isStrict: false }) };
    default:
      return assertNever(format, 'response format');
  }
}

/** The SHA-256 (hex) of the canonical JSON of normalized content. */
export function hashContent(content: PromptContent): string {
  return createHash('sha256').update(canonicalJson(normalizeContent(content))).digest('hex');
}
