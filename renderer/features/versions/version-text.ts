/**
 * The readable text of a prompt body, as the diff and the read-only view show it: the model,
 * the parameters and the response format, then each message under a `## role` heading, then a
 * JSON schema format's schema.
 */

import type { PromptContent } from '../../../shared/types';
import { responseFormatLabel } from '../model/response-format-text';

function formatValue(value: number | string | undefined): string {
  return value === undefined ? '(default)' : String(value);
}

/** Renders a prompt body as plain text, one stable layout so diffs line up. */
export function versionText(content: PromptContent): string {
  const { parameters } = content;
  const lines = [
    `model: ${content.model || '(none)'}`,
    `temperature: ${formatValue(parameters.temperature)}`,
    `max tokens: ${formatValue(parameters.maxTokens)}`,
    `top-p: ${formatValue(parameters.topP)}`,
    `reasoning: ${formatValue(parameters.reasoningEffort)}`,
    `stop: ${parameters.stop && parameters.stop.length > 0 ? parameters.stop.map((item) => JSON.stringify(item)).join(', ') : '(none)'}`,
    `response format: ${responseFormatLabel(content.responseFormat)}`,
  ];
  const messages = content.messages.map((message) => `## ${message.role}\n\n${message.content}`);
  const format = content.responseFormat;
  const schema = format?.type === 'json_schema' ? [`## response schema\n\n${JSON.stringify(format.schema, null, 2)}`] : [];
  return [lines.join('\n'), ...messages, ...schema].join('\n\n') + '\n';
}
