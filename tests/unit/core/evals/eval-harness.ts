/**
 * Test support for evals: a prompt with two saved versions whose answers the OpenAI fixture
 * works out from the request (so each case, version and model gets its own output), its test
 * suite, and a way to run an eval to its end.
 */

import type { CallInput } from '../../../../shared/contract';
import type { Assertion, EvalDetail, EvalSummary, TestCaseInput } from '../../../../shared/eval-types';
import type { PromptContent } from '../../../../shared/types';
import type { OpenAiChatRequest, OpenAiReply } from '../../../fixtures/openai-server';
import type { Workbench } from '../runs/run-harness';

/** The prompt's versions: the same question, told apart by their system message. */
export const VERSION_CONTENT = (tag: 'V1' | 'V2'): PromptContent => ({
  model: 'openai/gpt-4o-mini',
  parameters: { temperature: 0 },
  messages: [
    { role: 'system', content: `${tag}: answer with one fact.` },
    { role: 'user', content: 'Tell me about {{topic}}.' },
  ],
});

/** The topic of a request, and which version's system message sent it. */
export function readRequest(request: OpenAiChatRequest): { tag: string; topic: string } {
  const system = request.messages.find((message) => message.role === 'system')?.content ?? '';
  const user = request.messages.findLast((message) => message.role === 'user')?.content ?? '';
  return { tag: system.slice(0, 2), topic: /about (.+)\.$/.exec(user)?.[1] ?? '' };
}

/** Splits text into stream tokens (words with their leading space). */
export function tokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [''];
}

/** A reply whose text is `text`. */
export function replyText(text: string): Partial<OpenAiReply> {
  return { tokens: tokens(text) };
}

/** A case asking about `topic`, passing when the answer names it. */
export function topicCase(topic: string, extra: Partial<TestCaseInput> = {}): TestCaseInput {
  return {
    description: `About ${topic}`,
    variables: { topic },
    expected: `Here is a fact about ${topic}.`,
    tags: ['geo'],
    assertions: [{ type: 'icontains', value: topic }],
    ...extra,
  };
}

/** Creates the prompt with v1 and v2 saved and `cases` as its suite; returns its id and the cases' ids. */
export async function createEvalPrompt(
  workbench: Workbench,
  cases: TestCaseInput[],
  defaultAssertions: Assertion[] = [{ type: 'word-count', min: 1 }],
  name = 'Facts',
): Promise<{ promptId: number; caseIds: number[] }> {
  const { prompt } = await workbench.call('prompts:create', { name });
  for (const tag of ['V1', 'V2'] as const) {
    await workbench.call('versions:save', { promptId: prompt.id, content: VERSION_CONTENT(tag), variables: { topic: 'tides' }, note: tag });
  }
  const suite = await workbench.call('evals:saveSuite', { promptId: prompt.id, defaultAssertions, cases });
  return { promptId: prompt.id, caseIds: suite.cases.map((testCase) => testCase.id) };
}

/** Starts an eval and resolves with its `eval:done` summary and its stored detail. */
export async function runEval(workbench: Workbench, input: CallInput<'evals:start'>): Promise<{ started: EvalSummary; done: EvalSummary; detail: EvalDetail }> {
  const started = await workbench.call('evals:start', input);
  const done = await evalDone(workbench, started.id, 0);
  return { started, done, detail: await workbench.call('evals:get', { evalId: started.id }) };
}

/** Resumes an eval and resolves with its next `eval:done` and its stored detail. */
export async function resumeEval(workbench: Workbench, input: CallInput<'evals:resume'>): Promise<{ done: EvalSummary; detail: EvalDetail }> {
  const seen = doneEventsOf(workbench, input.evalId).length;
  await workbench.call('evals:resume', input);
  const done = await evalDone(workbench, input.evalId, seen);
  return { done, detail: await workbench.call('evals:get', { evalId: input.evalId }) };
}

/** The `eval:done` events of `evalId` so far. */
function doneEventsOf(workbench: Workbench, evalId: number): EvalSummary[] {
  return workbench.eventsOf('eval:done').filter((summary) => summary.id === evalId);
}

/** The `eval:done` of `evalId` after the first `seen` ones (an eval resumed ends more than once). */
export function evalDone(workbench: Workbench, evalId: number, seen: number): Promise<EvalSummary> {
  return workbench.waitFor('eval:done', (summary) => summary.id === evalId && doneEventsOf(workbench, evalId).indexOf(summary) >= seen);
}
