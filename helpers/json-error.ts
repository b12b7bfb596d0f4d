/** Where a JSON text breaks, and what a person should read about it. */
export interface JsonSyntaxProblem {
  /** Offset of the character where it breaks (the text's length when it ends too early). */
  offset: number;
  /** e.g. "expected ',' or '}' after a value, found '\"'". */
  reason: string;
}

/**
 * Finds the first syntax error of a JSON text the way a person would describe it. JSON.parse
 * stays the parser; this only explains its failures, because the engine's messages do not always
 * say where the text broke (V8: `Unexpected token '}', "{"a": }" is not valid JSON`) and differ
 * between Node versions. Undefined when the text is valid.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipWhitespace();
    scanner.value();
    scanner.skipWhitespace();
    if (!scanner.atEnd()) scanner.fail('nothing after the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof ProblemFound) return error.problem;
    throw error;
  }
}

/**
 * JSON.parse of a text a person wrote in one line (a step's argument); when it does not parse, the
 * error `failure` makes of an explanation that quotes the text and points at where it broke.
 */
export function parseJsonPointing(text: string, failure: (explanation: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = findJsonSyntaxProblem(text);
    throw failure(problem ? `${problem.reason}\n  ${text}\n  ${' '.repeat(problem.offset)}^ here (character ${problem.offset + 1})` : (error as Error).message);
  }
}

/** Line and column (both from 1) of an offset into a text, as an editor shows them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

class ProblemFound extends Error {
  constructor(readonly problem: JsonSyntaxProblem) {
    super(problem.reason);
  }
}

class Scanner {
  private position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  fail(expected: string, offset = this.position): never {
    const c = this.text[offset];
    const found = c === undefined ? 'but the JSON ends there' : `found '${c < ' ' ? JSON.stringify(c).slice(1, -1) : c}'`;
    throw new ProblemFound({ offset, reason: `expected ${expected}, ${found}` });
  }

  problem(reason: string, offset = this.position): never {
    throw new ProblemFound({ offset, reason });
  }

  skipWhitespace(): void {
    while (/[ \t\n\r]/.test(this.text[this.position] ?? '')) this.position += 1;
  }

  value(): void {
    const c = this.text[this.position];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === "'") this.problem("strings need double quotes, found '");
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length;
        return;
      }
    }
    this.fail('a value (a string in double quotes, a number, true or false)');
  }

  private object(): void {
    this.elements('}', () => {
      const c = this.text[this.position];
      if (c === "'") this.problem("names need double quotes, found '");
      if (c !== '"') this.fail('a name in double quotes');
      this.string();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("':' after the name");
      this.position += 1;
      this.skipWhitespace();
      this.value();
    });
  }

  private array(): void {
    this.elements(']', () => this.value());
  }

  /** From the opening bracket to `close`: elements separated by commas, no comma before `close`. */
  private elements(close: '}' | ']', element: () => void): void {
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === close) {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      element();
      this.skipWhitespace();
      const comma = this.position;
      if (this.text[this.position] === close) {
        this.position += 1;
        return;
      }
      if (this.text[this.position] !== ',') this.fail(`',' or '${close}' after a value`);
      this.position += 1;
      this.skipWhitespace();
      if (this.text[this.position] === close) this.problem(`a comma before ${close} is not allowed (trailing comma)`, comma);
    }
  }

  private string(): void {
    const start = this.position;
    this.position += 1;
    for (;;) {
      const c = this.text[this.position];
      if (c === undefined) this.problem('a string that is never closed: add the closing "', start);
      if (c === '"') {
        this.position += 1;
        return;
      }
      if (c < ' ') this.problem('a string may not hold a raw control character such as a tab or a newline; write \\t or \\n');
      if (c === '\\') {
        const escape = this.text[this.position + 1];
        if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.position + 2, this.position + 6))) this.position += 6;
        else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) this.position += 2;
        else this.problem(`'\\${escape ?? ''}' is not a JSON escape (use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)`);
        continue;
      }
      this.position += 1;
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.position));
    if (!match) this.fail('a number');
    this.position += match[0].length;
  }
}
