/**
 * The file formats test cases import from and export to, as the user picks them, and the guess
 * of a file's format from its name (and, for YAML, its first keys).
 */

import type { TestCaseFormat } from '../../../shared/eval-types';

/** Every format, in the order the pickers offer them. */
export const CASE_FORMATS: readonly { format: TestCaseFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'jsonl', label: 'JSONL' },
  { format: 'yaml', label: 'YAML' },
  { format: 'prompt-yml', label: 'GitHub Models .prompt.yml' },
  { format: 'promptfoo', label: 'promptfoo config' },
];

/** What the file picker accepts. */
export const CASE_FILE_ACCEPT = '.csv,.tsv,.txt,.jsonl,.ndjson,.json,.yaml,.yml';

/** The label of a format. */
export function formatLabel(format: TestCaseFormat): string {
  return CASE_FORMATS.find((item) => item.format === format)?.label ?? format;
}

/** The format a file most likely has, from its name and (for YAML) its top-level keys; null when nothing says. */
export function guessCaseFormat(fileName: string, text: string): TestCaseFormat | null {
  const name = fileName.toLowerCase();
  if (/\.prompt\.ya?ml$/.test(name)) return 'prompt-yml';
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) {
    if (name.includes('promptfoo')) return 'promptfoo';
    const head = text.slice(0, 20_000);
    if (/^testData\s*:/m.test(head)) return 'prompt-yml';
    if (/^tests\s*:/m.test(head) && /^(prompts|providers|defaultTest)\s*:/m.test(head)) return 'promptfoo';
    return 'yaml';
  }
  return null;
}
