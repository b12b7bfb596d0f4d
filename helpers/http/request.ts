import { formatSeconds, InvalidArgumentError } from '../errors.js';
import { describeConnectError } from '../readiness/tcp.js';
import { realClock } from '../supervision/clock.js';
import { HttpRequestError } from './errors.js';
import { readResponse, type HttpResponse } from './response.js';

export interface RequestOptions {
  /** Any HTTP method, e.g. GET, HEAD, POST, DELETE, OPTIONS (default GET). */
  method?: string;
  headers?: Readonly<Record<string, string>>;
  /**
   * Sent as it is. Without a Content-Type header, one that is a JSON object or array goes as
   * `application/json`, any other as `text/plain; charset=utf-8`.
   */
  body?: string | Uint8Array;
  /** The deadline for the whole exchange, the body included, in milliseconds (default 5000). */
  timeout?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** Why a request got no response, for the caller to word with what it knows (a daemon's state). */
export type RequestFailure =
  | { kind: 'connect'; detail: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted'; reason: unknown };

export class RequestFailedError extends HttpRequestError {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly failure: RequestFailure,
  ) {
    super(`${method} ${url}: ${describeFailure(failure)}`, { cause: failure.kind === 'aborted' ? failure.reason : undefined });
  }
}

export function describeFailure(failure: RequestFailure): string {
  if (failure.kind === 'connect') return `cannot connect: ${failure.detail}`;
  if (failure.kind === 'timeout') return `no response within ${formatSeconds(failure.timeoutMs)}`;
  return 'cancelled';
}

const DEFAULT_TIMEOUT_MS = 5000;
/** Methods fetch refuses to send. */
const UNSENDABLE = new Set(['CONNECT', 'TRACE', 'TRACK']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * One request with Node's own fetch; redirects are not followed (a 302 is a response like any
 * other). Resolves with whatever status came back; rejects with a RequestFailedError when no
 * response came: it could not connect, the connection broke, the deadline passed, or it was cancelled.
 */
export async function sendRequest(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const method = options.method ?? 'GET';
  const init = requestInit(url, method, options);
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  // The real timers, taken at import: a test's fake timers cannot hold the deadline back.
  realClock.sleep(timeoutMs, controller.signal).then(
    () => {
      timedOut = true;
      controller.abort();
    },
    () => undefined,
  );
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return await readResponse(method, url, response);
  } catch (error) {
    if (timedOut) throw new RequestFailedError(method, url, { kind: 'timeout', timeoutMs });
    if (options.signal?.aborted) throw new RequestFailedError(method, url, { kind: 'aborted', reason: options.signal.reason });
    throw new RequestFailedError(method, url, { kind: 'connect', detail: describeFetchError(error, url) });
  } finally {
    controller.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Checks what fetch would refuse with a puzzling TypeError, and says what to do instead. */
function requestInit(url: string, method: string, options: RequestOptions): RequestInit {
  if (!/^https?:\/\//i.test(url)) throw new InvalidArgumentError(`'${url}' is not an http:// or https:// URL`);
  if (!TOKEN.test(method)) throw new InvalidArgumentError(`'${method}' is not an HTTP method: write one such as GET, POST or DELETE`);
  if (UNSENDABLE.has(method.toUpperCase())) throw new InvalidArgumentError(`fetch cannot send a ${method} request; send it some other way`);
  const hasBody = options.body !== undefined;
  if (hasBody && (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD')) {
    throw new InvalidArgumentError(`a ${method} request cannot have a body (fetch refuses it): send the body with POST, PUT, PATCH or DELETE`);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    try {
      headers.set(name, value);
    } catch {
      throw new InvalidArgumentError(`request header "${name}: ${value}" cannot be sent: a name is letters, digits and -, a value holds no line break`);
    }
  }
  if (hasBody && !headers.has('content-type')) headers.set('content-type', guessContentType(options.body!));
  return { method, headers, body: options.body, redirect: 'manual' };
}

function guessContentType(body: string | Uint8Array): string {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (/^\s*[[{]/.test(text)) {
    try {
      JSON.parse(text);
      return 'application/json';
    } catch {
      // not JSON after all
    }
  }
  return 'text/plain; charset=utf-8';
}

/** fetch says "fetch failed"; its cause says what happened, worded here like the readiness probes word it. */
function describeFetchError(error: unknown, url: string): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (cause.message === 'bad port') {
      return `fetch refuses the port of ${url}, one that browsers block (such as 6000 or 10080); let the daemon listen on another port`;
    }
    if (code === 'UND_ERR_SOCKET') return `the connection was closed before a response came (${cause.message})`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host (${code}: ${cause.message})`;
    return describeConnectError(cause as NodeJS.ErrnoException);
  }
  return error instanceof Error ? error.message : String(error);
}
