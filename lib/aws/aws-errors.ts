import type {
  AbsoluteLocation,
  DeserializeHandlerOptions,
  DeserializeMiddleware,
  InitializeHandlerOptions,
  InitializeMiddleware,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { describeErrorsWith } from '../runner/error-text.js';

/**
 * AWS errors in words a user can act on: which call failed, the HTTP status, what the answer was and the request id
 * (`ListServiceDeployments failed: HTTP 500, answer was not JSON (starts "<!doctype html>…"); request id 9f…`).
 *
 * The SDK's own errors do not say which call they come from, and an answer it cannot parse surfaces as a bare
 * `SyntaxError` (its `$metadata` and `$response` hidden on it). `namedCalls` is a client plugin that remembers the
 * operation on every error a call throws and keeps the body of every non-2xx answer readable on `$response.body`;
 * `describeAwsError` turns what is there into one line. Types only from the SDK: the plugin is middleware, not a call.
 */

/** Where the operation name is kept on an error (non-enumerable, so logs of the error object stay as they were). */
const OPERATION = '$operation';
const SNIPPET = 40;

/** Tags `error` with the AWS operation it came from (for errors made outside the SDK's stack, e.g. a direct PUT). */
export function markOperation<E>(error: E, operation: string): E {
  if (error !== null && typeof error === 'object' && !Object.prototype.hasOwnProperty.call(error, OPERATION)) {
    try {
      Object.defineProperty(error, OPERATION, { value: operation, enumerable: false, configurable: true });
    } catch {
      // A frozen error keeps its own words.
    }
  }
  return error;
}

export function operationOf(error: unknown): string | undefined {
  const value = (error as Record<string, unknown> | null)?.[OPERATION];
  return typeof value === 'string' ? value : undefined;
}

const nameFailedCall: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
  try {
    return await next(args);
  } catch (error) {
    throw markOperation(error, String(context.commandName ?? 'AWS call').replace(/Command$/, ''));
  }
};

/**
 * An error answer's body is small and read whole by the SDK anyway; read here first (innermost in the deserialize
 * step, once per attempt) it stays on `$response.body` as bytes, so a describer can quote what a proxy or load
 * balancer sent instead of JSON. Successful answers are left streaming.
 */
const keepErrorBody: DeserializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
  const result = await next(args);
  const response = result.response as { statusCode?: number; body?: unknown };
  const body = response?.body;
  if ((response?.statusCode ?? 200) >= 300 && isAsyncIterable(body)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
    response.body = new Uint8Array(Buffer.concat(chunks));
  }
  return result;
};

const INITIALIZE: InitializeHandlerOptions & AbsoluteLocation & { name: string; override: true } = {
  step: 'initialize',
  priority: 'high',
  name: 'startupwebappNameFailedCall',
  override: true,
};
const DESERIALIZE: DeserializeHandlerOptions & AbsoluteLocation & { name: string; override: true } = {
  step: 'deserialize',
  priority: 'low',
  name: 'startupwebappKeepErrorBody',
  override: true,
};

/**
 * Every client of the suite goes through here: its errors name the call that failed, its HTTP status, its request id
 * and what an unreadable answer started with, wherever the runner words them (errorText).
 */
export function withNamedCalls<C extends { middlewareStack: { use(plugin: never): void } }>(client: C): C {
  // The plugin is written for any input and output (it reads only the error and the raw response).
  client.middlewareStack.use(namedCalls as never);
  describeErrorsWith(awsErrorWords);
  return client;
}

/** The client plugin itself (withNamedCalls adds it). */
export const namedCalls: Pluggable<object, MetadataBearer> = {
  applyToStack(stack) {
    stack.add(nameFailedCall, INITIALIZE);
    stack.add(keepErrorBody, DESERIALIZE);
  },
};

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Uint8Array) &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string; attempts?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined>; body?: unknown };
}

/** What is known about a failed AWS call; undefined for an error that did not come from one. */
export interface AwsCallFailure {
  operation?: string;
  httpStatus?: number;
  requestId?: string;
  attempts?: number;
  /** What went wrong, without the operation and status: `ThrottlingException: Rate exceeded`, `answer was not JSON …`. */
  problem: string;
}

export function awsCallFailure(error: unknown): AwsCallFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as AwsLikeError;
  const operation = operationOf(error);
  if (!operation && !e.$metadata && !e.$response) return undefined;
  if (e.name === 'AbortError' || e.name === 'CancelledError') return undefined;
  const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return {
    operation,
    httpStatus,
    requestId: e.$metadata?.requestId || e.$metadata?.extendedRequestId || undefined,
    attempts: e.$metadata?.attempts,
    problem: problemOf(e, httpStatus),
  };
}

/** For the runner's error text (describeErrorsWith): the line and an annotation title naming the call. */
export function awsErrorWords(error: unknown): { text: string; title: string } | undefined {
  const text = describeAwsError(error);
  return text === undefined ? undefined : { text, title: `AWS error: ${operationOf(error) ?? 'AWS call'}` };
}

/** One line naming the call, or undefined for an error that did not come from an AWS call. */
export function describeAwsError(error: unknown): string | undefined {
  const failure = awsCallFailure(error);
  if (!failure) return undefined;
  const status = failure.httpStatus !== undefined ? `HTTP ${failure.httpStatus}, ` : '';
  const extra = [
    failure.requestId && `request id ${failure.requestId}`,
    failure.attempts !== undefined && failure.attempts > 1 && `${failure.attempts} attempts`,
  ].filter(Boolean);
  return `${failure.operation ?? 'AWS call'} failed: ${status}${failure.problem}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`;
}

function problemOf(e: AwsLikeError, httpStatus: number | undefined): string {
  const message = cleanMessage(e.message);
  const body = bodyText(e.$response?.body);
  if (!e.$fault && e.$response) {
    // The SDK could not read the answer: its deserializer's error, with the raw response attached.
    const format = /JSON/i.test(message) ? 'JSON' : /XML|tag|entity|attribute/i.test(message) ? 'XML' : undefined;
    const what = format ? `answer was not ${format}` : `answer could not be read (${message})`;
    const start = body !== undefined ? body : jsonSnippet(message);
    if (start === '') return `${what} (empty)`;
    return start !== undefined ? `${what} (starts "${start}")` : what;
  }
  if (httpStatus === undefined && !e.$fault) {
    // No answer at all: a connection refused or reset, a DNS failure, a timeout.
    const code = e.code && !message.includes(e.code) ? `${e.code}: ` : '';
    return `no answer (${code}${message || e.name || 'unknown error'})`;
  }
  // The SDK's words for an error answer it found no code or message in.
  const said = message === 'UnknownError' ? '' : message;
  if (e.name === 'Unknown' || !e.name) {
    if (said) return said;
    return body ? `no error code in the answer (starts "${body}")` : 'no error code in the answer';
  }
  const name = e.name !== 'Error' && !said.startsWith(e.name) ? e.name : '';
  return [name, said].filter(Boolean).join(': ') || 'unknown error';
}

/** The SDK appends a hint about `$response` to deserialization errors: it means nothing to a user. */
function cleanMessage(message: string | undefined): string {
  return (message ?? '')
    .replace(/\s*Deserialization error:[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return snippet(body);
  if (body instanceof Uint8Array) return snippet(Buffer.from(body).toString('utf8'));
  return undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
}

/** Node's JSON.parse quotes the start of what it got: `Unexpected token '<', "<!doctype "... is not valid JSON`. */
function jsonSnippet(message: string): string | undefined {
  const quoted = /"(.*)"(\.\.\.)? is not valid JSON/.exec(message);
  return quoted ? `${quoted[1]}${quoted[2] ? '…' : ''}` : undefined;
}
