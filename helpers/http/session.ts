import { InvalidArgumentError } from '../errors.js';
import { requestDaemon, type DaemonDirectory, type DaemonRequestOptions } from './daemon-request.js';
import { sendRequest, type RequestOptions } from './request.js';
import type { HttpResponse } from './response.js';

/**
 * A conversation with a scope's daemons: request headers that go with every later request, and
 * the last response. A request that fails leaves no last response behind.
 */
export class HttpSession {
  private readonly headers = new Map<string, { name: string; value: string }>();
  private last: HttpResponse | undefined;

  constructor(private readonly scope: DaemonDirectory) {}

  /** Sends `name: value` with every later request (a second call for the same name replaces it). */
  setHeader(name: string, value: string): void {
    try {
      new Headers([[name, value]]);
    } catch {
      throw new InvalidArgumentError(
        `request header "${name}" cannot be sent with the value "${value}": a name is a word of letters, digits and -, and a value holds no line break`,
      );
    }
    this.headers.set(name.toLowerCase(), { name, value });
  }

  /** The headers set so far, as they were named. */
  get requestHeaders(): Record<string, string> {
    return Object.fromEntries([...this.headers.values()].map(({ name, value }) => [name, value]));
  }

  /** The response to the last request, undefined before the first one (or after one that failed). */
  get lastResponse(): HttpResponse | undefined {
    return this.last;
  }

  /** A request to a daemon of the scope, by name (see `requestDaemon`). */
  toDaemon(name: string, options: DaemonRequestOptions = {}): Promise<HttpResponse> {
    return this.keep(() => requestDaemon(this.scope, name, this.withHeaders(options)));
  }

  /** A request to a whole URL; the deadline defaults to the output timeout. */
  toUrl(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.keep(() => sendRequest(url, { timeout: this.scope.config.outputTimeoutMs, ...this.withHeaders(options) }));
  }

  private withHeaders<T extends RequestOptions>(options: T): T {
    return { ...options, headers: { ...this.requestHeaders, ...options.headers } };
  }

  private async keep(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    this.last = undefined;
    this.last = await send();
    return this.last;
  }
}
