/**
 * The bridge contract: every call and every event between the renderer and the engine, once.
 *
 * The Electron preload, the IPC handlers, the WebSocket host and the renderer client are all
 * derived from these maps. Inputs carry zod schemas because every payload entering the engine
 * is validated; outputs and events carry only their TypeScript type.
 */

import { z } from 'zod';
import type {
  AppInfo,
  AppSettings,
  PromptDetail,
  PromptDraft,
  PromptSummary,
  PromptVersion,
  PromptVersionSummary,
} from './types';

/** The largest message body accepted (characters); prompts of a megabyte and more must edit. */
export const MAX_MESSAGE_CHARS = 4_000_000;
/** The most messages one prompt may hold. */
export const MAX_MESSAGES = 200;
/** The largest payload one WebSocket frame or IPC call may carry, in bytes. */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

const id = z.number().int().positive();
const name = z.string().trim().min(1, 'Name must not be empty').max(200, 'Name is longer than 200 characters');

/** Schema of one chat message. */
export const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(MAX_MESSAGE_CHARS, `A message is longer than ${MAX_MESSAGE_CHARS} characters`),
});

/** Schema of sampling parameters. */
export const parametersSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(10_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string().min(1).max(200)).max(16).optional(),
});

/** Schema of a prompt's editable body. */
export const contentSchema = z.object({
  model: z.string().trim().max(200),
  parameters: parametersSchema,
  messages: z.array(messageSchema).max(MAX_MESSAGES),
});

const variablesSchema = z.record(z.string().max(200), z.string().max(MAX_MESSAGE_CHARS));

/** Declares a call: its input schema and, as a type only, its output. */
export interface CallSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Never set: carries the output type. */
  output?: Output;
}

function call<Output>() {
  return <Input extends z.ZodType>(input: Input): CallSpec<Input, Output> => ({ input });
}

/** Declares an event: its payload, as a type only. */
export interface EventSpec<Payload> {
  /** Never set: carries the payload type. */
  payload?: Payload;
}

function event<Payload>(): EventSpec<Payload> {
  return {};
}

const none = z.object({}).strict();

/** Every call the renderer can make. */
export const calls = {
  'app:info': call<AppInfo>()(none),
  'settings:get': call<AppSettings>()(none),
  'settings:update': call<AppSettings>()(
    z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }).strict(),
  ),
  'prompts:list': call<PromptSummary[]>()(
    z.object({ query: z.string().max(200).optional(), includeArchived: z.boolean().optional() }).strict(),
  ),
  'prompts:get': call<PromptDetail>()(z.object({ id }).strict()),
  'prompts:create': call<PromptDetail>()(z.object({ name }).strict()),
  'prompts:rename': call<PromptSummary>()(z.object({ id, name }).strict()),
  'prompts:describe': call<PromptSummary>()(z.object({ id, description: z.string().max(2000) }).strict()),
  'prompts:duplicate': call<PromptDetail>()(z.object({ id }).strict()),
  'prompts:archive': call<PromptSummary>()(z.object({ id, isArchived: z.boolean() }).strict()),
  'drafts:save': call<PromptDraft>()(
    z.object({ promptId: id, content: contentSchema, variables: variablesSchema }).strict(),
  ),
  'versions:save': call<PromptVersionSummary>()(
    z
      .object({
        promptId: id,
        content: contentSchema,
        variables: variablesSchema,
        note: z.string().trim().max(2000),
      })
      .strict(),
  ),
  'versions:get': call<PromptVersion>()(z.object({ promptId: id, number: id }).strict()),
  'versions:restore': call<PromptDraft>()(z.object({ promptId: id, number: id }).strict()),
} as const;

/** Every event the engine can push to the renderer. */
export const events = {
  /** The library changed (created, renamed, archived, a version saved); `promptId` says which. */
  'library:changed': event<{ promptId: number | null }>(),
} as const;

/** The map of calls. */
export type Calls = typeof calls;
/** A call's channel name. */
export type CallName = keyof Calls;
/** What a caller passes to a call (before defaults and trimming). */
export type CallInput<C extends CallName> = z.input<Calls[C]['input']>;
/** What a handler receives after validation. */
export type CallParsed<C extends CallName> = z.output<Calls[C]['input']>;
/** What a call resolves to. */
export type CallOutput<C extends CallName> = Calls[C] extends CallSpec<z.ZodType, infer Output> ? Output : never;
/** The engine side: one handler per call. */
export type CallHandlers = {
  [C in CallName]: (input: CallParsed<C>) => CallOutput<C> | Promise<CallOutput<C>>;
};

/** The map of events. */
export type Events = typeof events;
/** An event's name. */
export type EventName = keyof Events;
/** An event's payload. */
export type EventPayload<E extends EventName> = Events[E] extends EventSpec<infer Payload> ? Payload : never;

/** Every call channel, for transports that must allow-list them. */
export const CALL_NAMES = Object.keys(calls) as CallName[];
/** Every event name. */
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** True when `value` names a call. */
export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}
