/**
 * The number parameters of the Model tab as typed: their rules, the reading of a field's text,
 * and what a run or a version is refused while one of them cannot be sent.
 */

import { parseDecimal } from '../settings/limit-text';

/** A parameter the Model tab takes as a typed number. */
export type NumberParameter = 'temperature' | 'topP' | 'maxTokens';

/** The number parameters, in the Model tab’s order. */
export const NUMBER_PARAMETERS: readonly NumberParameter[] = ['temperature', 'topP', 'maxTokens'];

/** What a number parameter is called, and the values the engine takes. */
export interface NumberRule {
  label: string;
  hint: string;
  min: number;
  max: number;
  isInteger: boolean;
}

/** The rules of each number parameter, the same bounds the engine checks. */
export const NUMBER_RULES: Record<NumberParameter, NumberRule> = {
  temperature: { label: 'Temperature', hint: '0 – 2', min: 0, max: 2, isInteger: false },
  topP: { label: 'Top-p', hint: '0 – 1', min: 0, max: 1, isInteger: false },
  maxTokens: { label: 'Max tokens', hint: 'whole number ≥ 1', min: 1, max: 10_000_000, isInteger: true },
};

/**
 * Parses a parameter field; empty means "provider default". Decimal numbers as people write
 * them ("0.7", ".5", "4,096", and "0." on the way to "0.7"), as Settings' limits and prices take
 * them; nothing else JavaScript would take for a number ("0x10", "1e3", "Infinity").
 */
export function parseNumberParameter(text: string, rule: NumberRule): { value: number | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const unsigned = trimmed.replace(/^[+-]/, '');
  const value = parseDecimal(/\d\.$/.test(unsigned) ? unsigned.slice(0, -1) : unsigned);
  const example = rule.isInteger ? '4096' : '0.7';
  if (value === null) return { error: `${rule.label} must be a number, such as ${example}: “${trimmed}” is not understood` };
  // A minus sign before a number is a number below the least, said as such.
  if (trimmed.startsWith('-') && value !== 0) return { error: `${rule.label} must be between ${rule.min} and ${rule.max}` };
  if (rule.isInteger && !Number.isInteger(value)) return { error: `${rule.label} must be a whole number` };
  if (value < rule.min || value > rule.max) return { error: `${rule.label} must be between ${rule.min} and ${rule.max}` };
  return { value };
}

/** The text typed in each number field that its rule refuses (the draft keeps the last value allowed). */
export type RefusedParameters = Partial<Record<NumberParameter, string>>;

/** The refused parameters that hold text, in the Model tab’s order. */
export function refusedParameterNames(refused: RefusedParameters): NumberParameter[] {
  return NUMBER_PARAMETERS.filter((name) => refused[name] !== undefined);
}

/** The refusal of a run or a version while a parameter as typed cannot be sent (the first, in the tab’s order); null for none. */
export function refusedParameterRefusal(refused: RefusedParameters): string | null {
  for (const name of refusedParameterNames(refused)) {
    const parsed = parseNumberParameter(refused[name] ?? '', NUMBER_RULES[name]);
    if ('error' in parsed) return `${NUMBER_RULES[name].label} cannot be sent: ${parsed.error}. Fix it under ${NUMBER_RULES[name].label} in the Model tab, or empty it for the provider’s default`;
  }
  return null;
}
