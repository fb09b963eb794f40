/**
 * The providers test files' LLM judges are written with and found among (see
 * electron/core/evals/file-judge.ts): the built-in three, as every install has them.
 */

import type { JudgeContext, JudgeProvider } from '../../../../electron/core/evals/file-judge';

/** The built-in three with the ids every install gives them. */
export const BUILT_IN_PROVIDERS: JudgeProvider[] = [
  { id: 1, label: 'OpenAI', kind: 'openai', isBuiltIn: true },
  { id: 2, label: 'Anthropic', kind: 'anthropic', isBuiltIn: true },
  { id: 3, label: 'Ollama', kind: 'ollama', isBuiltIn: true },
];

/** Reading a file among the built-in providers with no judge chosen for the import. */
export const NO_JUDGE: JudgeContext = { providers: BUILT_IN_PROVIDERS, judge: null };
