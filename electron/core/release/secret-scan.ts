/**
 * The last check before a file leaves for Git: no API key, token or private key in it. Keys
 * the app knows (providers' keys from the environment and the secret store, other variables
 * whose names say they hold secrets) are looked for verbatim, and well-known key formats by
 * pattern, so a key pasted into a prompt by mistake is never committed.
 */

import { WorkbenchError } from '../../../shared/errors';

/** A secret value and what to call it in a message (never the value itself). */
export interface KnownSecret {
  label: string;
  value: string;
}

/** Shorter values are too likely to occur by chance to be told apart from text. */
const MIN_SECRET_LENGTH = 8;

/** Environment variables whose names say they hold secrets. */
const SECRET_VARIABLE = /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)(?:_|$)/i;

const KEY_FORMATS: { label: string; pattern: RegExp }[] = [
  { label: 'an Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { label: 'an OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/ },
  { label: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { label: 'an AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { label: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { label: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { label: 'a private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
];

/** Secrets held in environment variables named like secrets (`*_API_KEY`, `*_TOKEN`...). */
export function environmentSecrets(environment: Readonly<Record<string, string | undefined>>): KnownSecret[] {
  return Object.entries(environment)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value !== undefined && value.trim().length >= MIN_SECRET_LENGTH)
    .map(([name, value]) => ({ label: `the value of ${name}`, value: (value as string).trim() }));
}

/** Refuses `text` (the file `file`) when it holds a known secret or something shaped like a key. */
export function refuseSecrets(file: string, text: string, secrets: readonly KnownSecret[]): void {
  for (const secret of secrets) {
    if (secret.value.length >= MIN_SECRET_LENGTH && text.includes(secret.value)) throw found(file, secret.label, lineOf(text, text.indexOf(secret.value)));
  }
  for (const { label, pattern } of KEY_FORMATS) {
    const match = pattern.exec(text);
    if (match) throw found(file, label, lineOf(text, match.index));
  }
}

function found(file: string, what: string, line: number): WorkbenchError {
  return new WorkbenchError(
    'invalid-input',
    `${file} would contain ${what} (line ${line}). Secrets never go into released files: remove it from the prompt or its test cases and save a new version. Nothing was written.`,
  );
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
