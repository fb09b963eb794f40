/**
 * Provider failures: one error type with a kind a program can branch on and a message a user
 * can act on ("OpenAI rejected the API key (401): check OPENAI_API_KEY").
 *
 * The SDK-specific providers map their SDK's errors through the helpers here, so the wording
 * and the retry rules are the same for every provider.
 */

import { assertNever } from '../../../shared/assert-never';
import { setKeyVariableAdvice, unreadKeyVariableText } from '../../../shared/key-variable';
import { withoutCredentials } from './url-credentials';

/** Why a provider call failed. */
export type ProviderErrorKind =
  | 'auth'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'not-found'
  | 'bad-request'
  | 'stream'
  | 'cancelled';

/** Extra facts about a failure. */
export interface ProviderErrorOptions {
  /** The HTTP status, when there was one. */
  status?: number | null;
  /** The response headers, when there were any (Retry-After and friends live here). */
  headers?: Headers | null;
  /** Overrides the kind's default (the server's `x-should-retry` header can). */
  isRetryable?: boolean;
  /** True when no request went out because the provider has no API key (see `missingKeyError`). */
  isKeyMissing?: boolean;
  /** True when the provider refused the request itself and nothing went out (a format it does not have); implied by `isKeyMissing`. */
  isNotSent?: boolean;
  cause?: unknown;
}

/** A provider call that failed; `message` is written for the user. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | null;
  readonly headers: Headers | null;
  /** True when sending the same request again may succeed (429, 5xx, connection failures). */
  readonly isRetryable: boolean;
  /** True when no request went out because the provider has no API key, as opposed to a key it refused. */
  readonly isKeyMissing: boolean;
  /** True when nothing went out: the provider refused the request itself (no key, a format it does not have). */
  readonly isNotSent: boolean;

  constructor(kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    // Messages name addresses, and reach the screen, the logs and stored runs: never with a password.
    super(withoutCredentials(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.headers = options.headers ?? null;
    this.isRetryable = options.isRetryable ?? isKindRetryable(kind);
    this.isKeyMissing = options.isKeyMissing ?? false;
    this.isNotSent = options.isNotSent ?? this.isKeyMissing;
  }
}

/** Whether failures of `kind` are worth retrying by default: rate limits, server errors, dropped connections. */
export function isKindRetryable(kind: ProviderErrorKind): boolean {
  switch (kind) {
    case 'rate-limit':
    case 'server':
    case 'network':
      return true;
    case 'auth':
    case 'timeout':
    case 'not-found':
    case 'bad-request':
    case 'stream':
    case 'cancelled':
      return false;
    default:
      return assertNever(kind, 'provider error kind');
  }
}

/**
 * Where a provider's key comes from, so a message sends the user to the right place: an
 * environment variable, or Settings; `lost-at-restart` for a key entered in Settings in an
 * earlier session of a host that keeps entered keys only until it stops.
 */
export type KeyOrigin = { variable: string } | 'settings' | 'lost-at-restart';

/** What a message about a rejected key asks to check. */
export function keyToCheck(origin: KeyOrigin): string {
  return typeof origin === 'string' ? 'the key entered in Settings › Providers' : origin.variable;
}

/** What to do about a key that is missing from where it should come from: "set GROQ_API_KEY, or enter a key in Settings › Providers", or enter it there. */
export function missingKeyAdvice(origin: KeyOrigin): string {
  if (origin === 'settings') return 'enter it in Settings › Providers';
  if (origin === 'lost-at-restart') return 'the key entered earlier was lost when the workbench restarted (it keeps entered keys only until it stops): enter it again in Settings › Providers';
  return setKeyVariableAdvice(origin.variable);
}

/** The error for a provider that needs a key and has none. */
export function missingKeyError(label: string, origin: KeyOrigin): ProviderError {
  return new ProviderError('auth', `No API key for ${label}: ${missingKeyAdvice(origin)}`, { isKeyMissing: true });
}

/** The error for a provider set to read its key from a variable that may not hold one (PATH, say): nothing is sent. */
export function unreadKeyError(label: string, variable: string): ProviderError {
  return new ProviderError('auth', `No API key for ${label}: ${unreadKeyVariableText(variable)}; name another in Settings › Providers`, { isKeyMissing: true });
}

/** Who failed, for messages. */
export interface ErrorContext {
  /** "OpenAI", "Anthropic", "Ollama", or the user's name for an OpenAI-compatible endpoint. */
  label: string;
  /** The base URL or host requests went to. */
  endpoint: string;
  /** What to check when the key is rejected ("OPENAI_API_KEY", or the key entered in Settings); null when unknown. */
  keyHint: string | null;
  /** What a 401 means here, when not a rejected API key (Ollama takes none; a proxy in front of it may ask for a password). */
  unauthorized?: string;
  /** What to do when a model is missing ("pull it with `ollama pull llama3.2`"), if anything. */
  notFoundHint?: (model: string) => string;
  /**
   * What is wrong with the address, when it is known to answer 404 to everything (an Anthropic
   * base URL ending in /v1, which the SDK adds again): a 404 then says this, not that a model is missing.
   */
  addressHint?: string;
  /**
   * What else to check when an address answers 404 to a request that names no model (the model
   * list): an OpenAI-compatible base URL without the /v1 most servers put their API under.
   */
  listAddressHint?: string;
}

/** The most characters of a server's explanation kept in a message. */
const MAX_SERVER_TEXT = 300;

/**
 * A server's explanation as one line a person can read: an HTML error page (a proxy's 502, say)
 * becomes its title or first heading, whitespace is folded and anything long is cut; null when
 * nothing is left.
 */
export function readableServerText(text: string): string | null {
  let line = text;
  if (/<(?:!doctype|html|head|body|title|h1)\b/i.test(text)) {
    const heading = /<title[^>]*>([^<]*)<\/title>/i.exec(text) ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text);
    line = heading?.[1] ?? text.replace(/<[^>]*>/g, ' ');
  }
  line = line.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  return line.length > MAX_SERVER_TEXT ? `${line.slice(0, MAX_SERVER_TEXT - 3)}...` : line;
}

/** The error for an HTTP error status, with the server's own explanation when it sent one. */
export function httpError(
  context: ErrorContext,
  status: number,
  serverMessage: string | null,
  headers: Headers | null,
  model: string | null,
  cause?: unknown,
): ProviderError {
  const readable = serverMessage === null ? null : readableServerText(serverMessage);
  const detail = readable === null ? '' : `: ${readable}`;
  const options: ProviderErrorOptions = { status, headers, cause, isRetryable: shouldRetryHeader(headers) };
  const { label } = context;
  if (status === 401) {
    if (context.unauthorized !== undefined) return new ProviderError('auth', `${label} ${context.unauthorized}`, options);
    const where = context.keyHint ?? `the API key set for ${label}`;
    return new ProviderError('auth', `${label} rejected the API key (401): check ${where}`, options);
  }
  if (status === 403) return new ProviderError('auth', `${label} refused access (403)${detail}`, options);
  if (status === 404) {
    if (context.addressHint !== undefined) {
      return new ProviderError('not-found', `${label} has nothing at ${context.endpoint} (404): ${context.addressHint}`, options);
    }
    if (model === null) {
      const hint = context.listAddressHint === undefined ? '' : `; ${context.listAddressHint}`;
      return new ProviderError('not-found', `${label} has nothing at ${context.endpoint} (404)${detail}: check the address${hint}`, options);
    }
    const hint = context.notFoundHint ? `; ${context.notFoundHint(model)}` : '';
    return new ProviderError('not-found', `Model '${model}' not found at ${context.endpoint}${hint}`, options);
  }
  if (status === 408) return new ProviderError('timeout', `${label} timed out waiting for the request (408)${detail}`, options);
  if (status === 429) return new ProviderError('rate-limit', `${label} is rate limiting requests (429)${detail}`, options);
  if (status === 503 || status === 529) return new ProviderError('server', `${label} is overloaded (${status})${detail}`, options);
  if (status >= 500) return new ProviderError('server', `${label} had a server error (${status})${detail}`, options);
  return new ProviderError('bad-request', `${label} rejected the request (${status})${detail}`, options);
}

/**
 * An address that answered, but not with the API (`what`: "a stream", "a model list"): usually
 * a web UI, a sign-in page or a proxy's page at the base URL. Not retried: it will answer the same.
 */
export function notTheApiError(label: string, address: string, contentType: string, status: number, what: string, fix: string): ProviderError {
  const type = contentType.split(';')[0].trim().toLowerCase() || 'no content type';
  const answer = type === 'text/html' ? ` with a web page (${type}), not ${what}` : `, but not with ${what} (${type})`;
  return new ProviderError('not-found', `${label} answered at ${address}${answer}: ${fix}`, { status });
}

/** True when a response's content type says it is a web page. */
export function isWebPage(response: { headers: Headers }): boolean {
  return /^text\/html\b/i.test(response.headers.get('content-type') ?? '');
}

/** The error for a request that never got an answer: refused, unresolvable host, reset. */
export function networkError(context: ErrorContext, cause: unknown): ProviderError {
  let reason = describeNetworkCause(cause);
  // fetch's own refusal of the ports the Fetch standard blocks (1, 25, 6000...), before dialling.
  if (reason === 'bad port') {
    const port = URL.canParse(context.endpoint) ? new URL(context.endpoint).port : '';
    reason = `port ${port} is blocked: Node, as browsers do, refuses to connect to ports kept for other services; run the server on another port, or check the address`;
  }
  // A refused or dropped connection may be back in a moment; an address the client will never dial, or a server whose certificate it refuses, will not.
  return new ProviderError('network', `Could not reach ${context.label} at ${context.endpoint}: ${reason}`, { cause, isRetryable: !isNeverReachable(cause) });
}

/**
 * Failures to connect that the same request meets again however often it is sent: a port the
 * client refuses to dial (fetch's "bad port"), an address that is not a URL, a scheme fetch
 * does not speak, and TLS that cannot work (a certificate the client rejects, or https to a
 * port that answers plain http).
 */
const NEVER_REACHABLE_MESSAGES = new Set(['bad port', 'unknown scheme', 'invalid url']);
const NEVER_REACHABLE_CODES = new Set([
  'ERR_INVALID_URL',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

/** True when `error` (or a cause of it) is a connection failure that sending again cannot cure. */
export function isNeverReachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_REACHABLE_CODES.has(code)) return true;
    if (NEVER_REACHABLE_MESSAGES.has(current.message.toLowerCase())) return true;
    current = current instanceof AggregateError ? (current.errors.find((item) => item instanceof Error) ?? current.cause) : current.cause;
  }
  return false;
}

/** The error for a stream that closed before its final event, as a connection failure. */
export function prematureEndError(context: ErrorContext, cause?: unknown): ProviderError {
  const why = cause === undefined ? 'the stream ended without its final event' : describeNetworkCause(cause);
  return new ProviderError('network', `${context.label} closed the connection before the response finished (${why})`, { cause });
}

/** The error for a chunk that could not be read. */
export function malformedChunkError(context: ErrorContext, cause: unknown): ProviderError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProviderError('stream', `${context.label} sent a malformed chunk (${detail})`, { cause });
}

/** The error for a failure after output had begun: the partial text stands, the run failed. */
export function streamBrokenError(context: ErrorContext, chunks: number, cause: ProviderError): ProviderError {
  const count = chunks === 1 ? '1 chunk' : `${chunks} chunks`;
  return new ProviderError('stream', `${context.label}'s stream broke after ${count} of output: ${cause.message}`, {
    status: cause.status,
    headers: cause.headers,
    cause,
  });
}

/** The error for an abort: the reason, when our own timeout put one there, else a cancellation. */
export function abortError(signal: AbortSignal): ProviderError {
  if (signal.reason instanceof ProviderError) return signal.reason;
  return new ProviderError('cancelled', 'The request was cancelled', { cause: signal.reason });
}

/** `x-should-retry: true|false` lets a server overrule the status; anything else defers to it. */
function shouldRetryHeader(headers: Headers | null): boolean | undefined {
  const value = headers?.get('x-should-retry');
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running?)',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'the connection broke',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
};

/** A short reason for a network failure, found by walking the error's causes for a known code. */
export function describeNetworkCause(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(NETWORK_CODES, code)) return NETWORK_CODES[code];
    if (current instanceof AggregateError) {
      const inner = current.errors.find((item): item is Error => item instanceof Error);
      if (inner) {
        current = inner;
        continue;
      }
    }
    messages.push(current.message);
    current = current.cause;
  }
  return messages.at(-1) ?? String(error);
}

/** True when `error` is a body read that died because the socket closed (undici says "terminated"). */
export function isConnectionDrop(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(NETWORK_CODES, code)) return true;
    if (current instanceof TypeError && (current.message === 'terminated' || current.message === 'fetch failed')) return true;
    current = current.cause;
  }
  return false;
}
