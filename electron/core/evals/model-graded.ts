/**
 * Checks that other tools grade with a model, as this workbench's llm-judge: GitHub Models'
 * built-in `github/coherence`, `github/fluency`, `github/relevance` and `github/groundedness`,
 * its `llm` evaluators (a prompt and scored choices), and promptfoo's `llm-rubric`. The judge
 * model is the user's choice at import, since a file cannot name one of this machine's
 * providers.
 *
 * The built-ins become rubrics written here (GitHub grades them with its own prompts on a 1 to
 * 5 scale; the judge here scores 0 to 1 against the same criterion), and a suite that still
 * holds such a rubric writes the built-in back when exported. An `llm` evaluator's prompt
 * becomes the rubric, its `{{completion}}`, `{{expected}}` and other `{{placeholders}}` pointing
 * at the material the judge is given, its choices listed with their scores.
 */

import type { RunTarget } from '../../../shared/types';
import { isPlainObject } from './value-kind';

/** GitHub Models' built-in model-graded evaluators this workbench has a rubric for (`github/similarity` is scored by edit distance instead). */
export const GITHUB_GRADED_BUILT_INS = ['coherence', 'fluency', 'relevance', 'groundedness'] as const;
export type GitHubGradedBuiltIn = (typeof GITHUB_GRADED_BUILT_INS)[number];

const BUILT_IN_RUBRICS: Record<GitHubGradedBuiltIn, string> = {
  coherence: [
    'Coherence: the output reads as one connected, logically ordered answer to the request in the variables.',
    'Full marks: ideas follow from one another, the order makes sense, nothing contradicts anything else, and each sentence builds on the last.',
    'Lower the score for jumps between unrelated points, missing links in reasoning, repetition that breaks the thread, or statements that contradict each other.',
    'Judge how the answer holds together, not whether its facts are right.',
  ].join('\n'),
  fluency: [
    'Fluency: the output is well-written language a skilled native writer would produce.',
    'Full marks: correct grammar and spelling, fitting word choice, varied and natural sentences, punctuation that helps the reader.',
    'Lower the score for grammatical errors, awkward or broken phrasing, wrong words, and text that is hard to read.',
    'Judge the language only, not the content or whether it answers the request.',
  ].join('\n'),
  relevance: [
    'Relevance: the output answers what the request in the variables actually asks.',
    'Full marks: it addresses the question directly, covers its key points, and stays on topic.',
    'Lower the score for parts of the question left unanswered, answers to a different question, and padding or digressions that do not serve the request.',
    'Judge how well the answer fits the request, not its style.',
  ].join('\n'),
  groundedness: [
    'Groundedness: every claim in the output is supported by the material given in the variables (the context, document or sources it was asked to use).',
    'Full marks: all facts, figures and statements can be found in, or follow directly from, that material.',
    'Lower the score for each claim the material does not support, and most for claims that contradict it; general phrasing that adds no facts is fine.',
    'Judge support by the given material only, not by what is true elsewhere.',
  ].join('\n'),
};

/** The rubric this workbench grades a GitHub built-in with. */
export function builtInRubric(name: GitHubGradedBuiltIn): string {
  return BUILT_IN_RUBRICS[name];
}

/** `github/coherence` -> 'coherence', when it is one this workbench has a rubric for. */
export function gradedBuiltInOf(uses: string): GitHubGradedBuiltIn | null {
  const name = uses.startsWith('github/') ? uses.slice('github/'.length) : '';
  return (GITHUB_GRADED_BUILT_INS as readonly string[]).includes(name) ? (name as GitHubGradedBuiltIn) : null;
}

/** The built-in whose rubric this is, word for word; null for any other rubric. */
export function builtInOfRubric(rubric: string): GitHubGradedBuiltIn | null {
  const text = rubric.trim();
  return GITHUB_GRADED_BUILT_INS.find((name) => BUILT_IN_RUBRICS[name] === text) ?? null;
}

/** Where a judge for an import is chosen, as messages list them. */
export const JUDGE_CHOICES = '(Settings → Judge, "Grade model-graded checks with" in Import, or --judge in workbench eval)';

/** What the import says of a model-graded check it could not bring in for want of a judge. */
export function needsJudgeMessage(what: string): string {
  return `${what} is graded by a model: choose a judge to import it ${JUDGE_CHOICES}`;
}

/** An `llm` evaluator as a rubric, or why it cannot be one. */
export function rubricFromLlmEvaluator(llm: unknown): { rubric: string } | { problem: string; field: string | null } {
  if (!isPlainObject(llm)) return { problem: 'its "llm" must be a map with a prompt and choices', field: null };
  if (typeof llm.prompt !== 'string' || llm.prompt.trim() === '') return { problem: 'it has no "prompt"', field: 'prompt' };
  if (!Array.isArray(llm.choices) || llm.choices.length === 0) return { problem: 'it has no "choices" (each a choice and its score)', field: 'choices' };
  const choices: { choice: string; score: number }[] = [];
  for (const entry of llm.choices) {
    if (!isPlainObject(entry) || (typeof entry.choice !== 'string' && typeof entry.choice !== 'number') || typeof entry.score !== 'number' || !Number.isFinite(entry.score)) {
      return { problem: 'each of its choices needs a "choice" and a numeric "score"', field: 'choices' };
    }
    choices.push({ choice: String(entry.choice), score: entry.score });
  }
  // The judge here scores 0 to 1: scores on another scale (1 to 5, say) are divided by the highest.
  const highest = Math.max(...choices.map((entry) => entry.score));
  const scale = highest > 1 ? highest : 1;
  const lowest = Math.min(...choices.map((entry) => entry.score));
  if (lowest < 0) return { problem: 'its choices score below 0', field: 'choices' };
  const round = (score: number) => Math.round((score / scale) * 1000) / 1000;
  const parts = [
    typeof llm.systemPrompt === 'string' && llm.systemPrompt.trim() !== '' ? describePlaceholders(llm.systemPrompt.trim()) : null,
    describePlaceholders(llm.prompt.trim()),
    '',
    'Pick the one choice below that fits the output best; its score is your score:',
    ...choices.map((entry) => `- "${entry.choice}": ${round(entry.score)}`),
    '(This rubric comes from a GitHub Models evaluator: answer in the JSON form asked for, never with the choice alone.)',
  ];
  return { rubric: parts.filter((part): part is string => part !== null).join('\n') };
}

/** gh-models' `{{completion}}`, `{{expected}}` and test data `{{name}}` as pointers to what the judge is shown. */
function describePlaceholders(text: string): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_whole, name: string) => {
    if (name === 'completion') return '[the <output>]';
    if (name === 'expected') return '[the <expected_output>]';
    return `[the variable "${name}" in <variables>]`;
  });
}

/** An llm-judge assertion body with this rubric and judge. */
export function judgeAssertion(rubric: string, judge: RunTarget): Record<string, unknown> {
  return { type: 'llm-judge', rubric, judge: { providerId: judge.providerId, model: judge.model } };
}
