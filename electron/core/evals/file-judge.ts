/**
 * The judge of an llm-judge check in a file (a released `.prompt.yml`, a promptfoo config, a
 * CSV, JSONL or YAML export), written so that another machine can find it, and found again.
 *
 * In the database a judge is a provider id and a model; ids mean nothing on another machine,
 * so a file names the provider as a person would, by its name (unique on a machine) and kind:
 * `judge: { provider: OpenAI, kind: openai, model: gpt-4o-mini }`.
 *
 * Read back, a judge is the provider of that name here; else, when exactly one provider here
 * has its kind, that one (with a note); else the import's judge (the judge in Settings, the one
 * chosen in Import, or --judge) grades the check, with a note saying so; else the check is
 * reported, naming the judge that is missing and how to fix it. Never another provider.
 *
 * Files written before carry `providerId`, the number of the provider on the machine that
 * wrote them. Nothing in the file says which machine that was. The built-in three have the same
 * numbers on every install (1 OpenAI, 2 Anthropic, 3 Ollama: schema v2 adds them so, and they
 * cannot be removed or change kind), so such a number is the built-in provider here too, read
 * with a note. Any other number is a provider added on that machine, which the same number here
 * may be any provider or none: it is not trusted, and the judge is read as one without a name.
 */

import { providerNameKey } from '../../../shared/provider-name';
import type { Assertion, TestCase } from '../../../shared/eval-types';
import type { ProviderSettings, RunTarget } from '../../../shared/types';
import { describeAssertion } from './assertions';
import { JUDGE_CHOICES } from './model-graded';
import { isPlainObject, kindOf } from './value-kind';

/** A provider as files name it: its id here, its name and its kind (and whether it is one of the built-in three). */
export type JudgeProvider = Pick<ProviderSettings, 'id' | 'label' | 'kind' | 'isBuiltIn'>;

/** A judge as files write it. `provider` and `kind` are left out when this machine no longer has the provider. */
export interface FileJudge {
  provider?: string;
  kind?: string;
  model: string;
}

/** What a file's judges are found among. */
export interface JudgeContext {
  /** This machine's providers. */
  providers: readonly JudgeProvider[];
  /**
   * Grades the checks a file leaves to a model grader (github/coherence, `llm` evaluators,
   * llm-rubric) and those whose own judge is not configured here; null: they are reported.
   */
  judge: RunTarget | null;
  /** What notes call `judge`: "the judge in Settings" unless said otherwise ("the judge chosen in Import"). */
  judgeOrigin?: string;
}

/** A file's judge read: the provider and model here (with a note when it is not the one the file names), or why it cannot be. */
export type JudgeResolution =
  | { kind: 'resolved'; target: RunTarget; note: { key: string; message: string } | null }
  | { kind: 'missing'; message: string }
  | { kind: 'invalid'; field: string | null; message: string };

/** What notes call the import's judge unless told otherwise. */
const SETTINGS_JUDGE = 'the judge in Settings';

const JUDGE_KEYS = new Set(['provider', 'kind', 'model', 'providerId']);

/** A judge as files write it: the provider's name and kind (when this machine has it) and the model. */
export function fileJudge(judge: RunTarget, providers: readonly JudgeProvider[]): FileJudge {
  const provider = providers.find((candidate) => candidate.id === judge.providerId);
  return provider === undefined ? { model: judge.model } : { provider: provider.label, kind: provider.kind, model: judge.model };
}

/** An assertion as files write it: an llm-judge's judge named, not numbered; any other as it is. */
export function assertionForFile(assertion: Assertion, providers: readonly JudgeProvider[]): Record<string, unknown> {
  if (assertion.type !== 'llm-judge') return { ...assertion };
  return { ...assertion, judge: fileJudge(assertion.judge, providers) };
}

/** "OpenAI · gpt-4o-mini": a judge of this machine as settings show it. */
export function describeJudge(target: RunTarget, providers: readonly JudgeProvider[]): string {
  const provider = providers.find((candidate) => candidate.id === target.providerId);
  return `${provider?.label ?? `Provider ${target.providerId}`} · ${target.model}`;
}

/** A suite's checks in the groups `checksWithoutJudgeProvider` takes: the default checks, then each case's. */
export function suiteCheckGroups(defaultAssertions: readonly Assertion[], cases: readonly Pick<TestCase, 'position' | 'assertions'>[]): { where: string; assertions: readonly Assertion[] }[] {
  return [
    { where: 'the default checks', assertions: defaultAssertions },
    ...cases.map((testCase) => ({ where: `case ${testCase.position + 1}`, assertions: testCase.assertions })),
  ];
}

/**
 * The LLM-judge checks among `groups` whose judge's provider is not among `providers` (it was
 * removed), named as Evals names them: "check 2 (“Polite”) in the default checks". A group met
 * twice (cases share the defaults' array) is looked at once.
 */
export function checksWithoutJudgeProvider(groups: readonly { where: string; assertions: readonly Assertion[] }[], providers: readonly Pick<JudgeProvider, 'id'>[]): string[] {
  const known = new Set(providers.map((provider) => provider.id));
  const found: string[] = [];
  const seen = new Set<readonly Assertion[]>();
  for (const { where, assertions } of groups) {
    if (seen.has(assertions)) continue;
    seen.add(assertions);
    assertions.forEach((assertion, index) => {
      if (assertion.type === 'llm-judge' && !known.has(assertion.judge.providerId)) found.push(`check ${index + 1} (“${describeAssertion(assertion)}”) in ${where}`);
    });
  }
  return found;
}

/** A judge as a file writes it (or wrote it, by number), as one of this machine's providers and a model. */
export function resolveFileJudge(value: unknown, context: JudgeContext): JudgeResolution {
  if (value !== undefined && value !== null && !isPlainObject(value)) {
    return { kind: 'invalid', field: null, message: `The judge must be a map with its provider, kind and model, not ${kindOf(value)}` };
  }
  const judge = value ?? {};
  const unknown = Object.keys(judge).filter((key) => !JUDGE_KEYS.has(key));
  if (unknown.length > 0) {
    return { kind: 'invalid', field: unknown[0], message: `The judge has no ${unknown.map((key) => `"${key}"`).join(', ')}: it takes provider, kind and model` };
  }
  for (const key of ['provider', 'kind', 'model'] as const) {
    const text = judge[key];
    if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) {
      return { kind: 'invalid', field: key, message: `The judge’s "${key}" must be text, not ${kindOf(text)}` };
    }
  }
  const name = typeof judge.provider === 'string' ? judge.provider.trim() : null;
  const kind = typeof judge.kind === 'string' ? judge.kind.trim() : null;
  const model = typeof judge.model === 'string' ? judge.model.trim() : null;
  if (model === null && (name !== null || kind !== null)) return { kind: 'invalid', field: null, message: 'The judge needs its "model"' };

  const providers = context.providers;
  if (model !== null && name !== null) {
    const named = providers.filter((provider) => providerNameKey(provider.label) === providerNameKey(name));
    // Two providers share a name only in a database from before names were checked: the exact spelling decides.
    const match = named.length === 1 ? named[0] : named.filter((provider) => provider.label === name).length === 1 ? named.find((provider) => provider.label === name) : undefined;
    if (match !== undefined) return { kind: 'resolved', target: { providerId: match.id, model }, note: null };
  }
  if (model !== null && kind !== null) {
    const ofKind = providers.filter((provider) => provider.kind === kind);
    if (ofKind.length === 1) {
      const target = { providerId: ofKind[0].id, model };
      // A judge named only by its kind is found as the file asks: nothing to say.
      if (name === null) return { kind: 'resolved', target, note: null };
      return {
        kind: 'resolved',
        target,
        note: { key: `judge:${name}\u0000${kind}\u0000${model}`, message: `The judge "${name} · ${model}" is not configured here: the check was imported to be graded by ${ofKind[0].label} · ${model}, the only ${kind} provider here` },
      };
    }
  }
  if (model !== null && name === null && kind === null && typeof judge.providerId === 'number') {
    const builtIn = providers.find((provider) => provider.isBuiltIn && provider.id === judge.providerId);
    if (builtIn !== undefined) {
      return {
        kind: 'resolved',
        target: { providerId: builtIn.id, model },
        note: { key: `judge:#${builtIn.id}\u0000${model}`, message: `This check’s judge is saved by number (${builtIn.id}), as older files were: that is the built-in ${builtIn.kind} provider on every machine, so the check was imported to be graded by ${builtIn.label} · ${model}` },
      };
    }
  }
  const what = describeFileJudge(name, model, judge.providerId);
  if (context.judge !== null) {
    const origin = context.judgeOrigin ?? SETTINGS_JUDGE;
    return {
      kind: 'resolved',
      target: context.judge,
      note: { key: `judge:${what.key}`, message: `${what.text}: the check was imported to be graded by ${origin}, ${describeJudge(context.judge, providers)}` },
    };
  }
  const fix = name === null ? `choose a judge to grade it ${JUDGE_CHOICES}` : `add a provider named "${name}" in Settings → Providers, or choose a judge to grade it ${JUDGE_CHOICES}`;
  return { kind: 'missing', message: `${what.text}: ${fix}` };
}

/** How a note or problem names a judge the file gives that is not here, and the key its note is given once by. */
function describeFileJudge(name: string | null, model: string | null, providerId: unknown): { text: string; key: string } {
  if (name !== null) return { text: `The judge "${name} · ${model}" is not configured here`, key: `${name}\u0000${model}` };
  if (typeof providerId === 'number') {
    return {
      text: `This check’s judge (${model ?? 'no model'}) is saved as provider number ${providerId}, which only means something on the machine that wrote the file`,
      key: `#${providerId}\u0000${model}`,
    };
  }
  if (model !== null) return { text: `This check’s judge (${model}) names no provider`, key: `\u0000${model}` };
  return { text: 'This check names no judge', key: '' };
}
