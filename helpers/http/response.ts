import { findJsonSyntaxProblem } from '../json-error.js';
import { quoteBytes, showBytes } from '../output/text.js';
import { ResponseNotJsonError } from './errors.js';

/** How much of a body a message quotes. */
const QUOTED_BYTES = 200;

/**
 * What came back for one request: the status, the headers (names in lower case, repeated ones
 * joined with ", " as fetch joins them) and the body as bytes. Text is the body decoded as UTF-8,
 * bytes that are not UTF-8 shown as `\xNN`.
 */
export class HttpResponse {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Buffer,
  ) {}

  /** A header's value, the name in any case; undefined when the response has no such header. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  /** The body as UTF-8 text, bytes that are not UTF-8 as `\xNN`. */
  get text(): string {
    return showBytes(this.body);
  }

  /** "GET http://127.0.0.1:8080/items → 200 OK", for messages. */
  describe(): string {
    return `${this.method} ${this.url} → ${this.status}${this.statusText ? ` ${this.statusText}` : ''}`;
  }

  /** The beginning of the body, quoted as a TEXT argument is written, with its size when it goes on. */
  quoteBeginning(): string {
    if (this.body.length <= QUOTED_BYTES) return quoteBytes(this.body);
    return `${quoteBytes(this.body.subarray(0, QUOTED_BYTES))}… (${this.body.length} bytes)`;
  }

  /** The body parsed as JSON; an error that says where it broke and quotes its beginning when it is not. */
  json(): unknown {
    const text = this.text;
    try {
      return JSON.parse(text);
    } catch (error) {
      const type = this.header('content-type');
      const about = `(${this.describe()}${type ? `, content-type ${type}` : ''})`;
      if (this.body.length === 0) throw new ResponseNotJsonError(`the response body is empty, not JSON ${about}`);
      const problem = findJsonSyntaxProblem(text);
      const why = problem ? `${problem.reason} at character ${problem.offset + 1}` : (error as Error).message;
      throw new ResponseNotJsonError(`the response body is not JSON: ${why} ${about}; it begins ${this.quoteBeginning()}`);
    }
  }
}

/** Reads what fetch returned into a response record. */
export async function readResponse(method: string, url: string, response: Response): Promise<HttpResponse> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // Iteration gives each Set-Cookie apart; the record joins them as it joins any repeated header.
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  });
  return new HttpResponse(method, url, response.status, response.statusText, headers, body);
}
