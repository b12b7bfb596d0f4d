import { NAME_PATTERN } from '../../helpers/names.js';

/**
 * Turns a step definition's pattern into the phrase a person reads: `I stop (daemon|background
 * process) NAME` for `^I stop (?:daemon|background process) ([A-Za-z0-9_.-]+)$`. Notation: `[x]`
 * optional, `(a|b)` one of, `(s)` an optional letter, CAPITALS an argument (named after the step
 * function's parameter). Handles the regular expressions steps are written with, and Cucumber
 * Expressions.
 */

export interface Argument {
  /** As shown in the phrase, e.g. NAME. */
  label: string;
  /** What it accepts, e.g. "one word (no spaces)". */
  accepts: string;
}

export interface Phrase {
  text: string;
  arguments: Argument[];
}

/**
 * What an argument means, by the step function's parameter name, or by `file#parameter` where one
 * name means different things in different files. Arguments not listed are described by their
 * pattern alone.
 */
const MEANINGS: Record<string, string> = {
  command:
    "a command in double quotes, split into words as a shell would (`'…'`, `\\\"`, `\\\\`) but run without a shell; " +
    'a relative program (`./x`) is in the workspace',
  clauses: 'the [clauses](#clauses), in any order, each starting with `, `',
  text: 'text in double quotes, with the escapes `\\n`, `\\t`, `\\"`, `\\\\`',
  signal: 'a signal name, `SIGHUP` or `HUP`',
  file: "a path in the scenario's workspace",
  fixture:
    "a helper script in the project's fixtures directory (`features/fixtures`, or the `fixtures` setting), copied to the same " +
    "path in the scenario's workspace and made executable",
  within: 'seconds, may be fractional',
  'steps/output.ts#pattern': 'a JavaScript regular expression in double quotes (no flags; text escapes are not applied)',
  'steps/processes.ts#pattern': "a piece of a process's command line, in double quotes",
  'steps/processes.ts#written': 'a TCP port number, or a placeholder such as `${web.port}`',
  'steps/files.ts#written': "a path in the scenario's workspace",
  'steps/waiting.ts#written': 'a TCP port number, or a placeholder such as `${web.port}`',
  'steps/waiting.ts#seconds': 'seconds, more than 0 and at most 86400, may be fractional',
  'steps/http.ts#method': 'an HTTP method in capitals: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, …',
  'steps/http.ts#path': "a path starting with `/`, in double quotes: the request goes to http://HOST:PORT + PATH, PORT the daemon's",
  'steps/http.ts#url': 'a whole `http://` or `https://` URL, in double quotes',
  'steps/http.ts#header': 'a header name in double quotes, in any case',
  'steps/http.ts#headerValue': 'a header value in double quotes',
  'steps/http.ts#status': 'an HTTP status code, e.g. 200',
  'steps/http.ts#pointer': 'a dot path in double quotes: keys and array indexes (`items.0.id`); `""` is the whole body',
  'steps/http.ts#json': 'a JSON value: `3`, `"x"`, `true`, `null`, `[…]` or `{…}`',
};

function meaningOf(parameter: string, source: string | undefined, fromPattern: string): string {
  return (source !== undefined ? MEANINGS[`${source}#${parameter}`] : undefined) ?? MEANINGS[parameter] ?? fromPattern;
}

/** Parameter names that say little: the word before the argument names it instead. */
const LABELS_BY_PARAMETER: Record<string, string> = { within: 'N', code: 'N', count: 'N', seconds: 'N', header: 'NAME', headerValue: 'VALUE', status: 'N', fixture: 'FILE' };
const LABELS_BY_PRECEDING_WORD: Record<string, string> = {
  port: 'P',
  file: 'PATH',
  directory: 'PATH',
  HTTP: 'PATH',
  within: 'N',
  from: 'A',
  to: 'B',
  contain: 'TEXT',
  with: 'COMMAND',
  environment: 'JSON',
  handles: 'SIGNAL',
};
const GENERIC_PARAMETERS = new Set(['written', 'value', 'argument', 'arg', 'match', 'text1', 'x']);

/** Alternatives written inline, `(stdout|stderr)`, up to this many; more get a label. */
const INLINE_ALTERNATIVES = 3;

type Node =
  | { kind: 'text'; value: string; quantifier: string }
  | { kind: 'any'; source: string; quantifier: string }
  | { kind: 'look' }
  | { kind: 'group'; capture: boolean; alternatives: Node[][]; quantifier: string; source: string };

/** Parses the subset of regular-expression syntax that step patterns use. */
export function parseRegex(source: string): Node[][] {
  let i = 0;
  const peek = () => source[i];

  function quantifier(): string {
    const c = peek();
    let q = '';
    if (c === '?' || c === '*' || c === '+') q = source[i++]!;
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      const m = /^\{\d+(,\d*)?\}/.exec(source.slice(i))!;
      q = m[0];
      i += q.length;
    }
    if (q !== '' && peek() === '?') q += source[i++];
    return q;
  }

  function sequence(): Node[][] {
    const alternatives: Node[][] = [[]];
    for (;;) {
      const c = peek();
      if (c === undefined || c === ')') return alternatives;
      const current = alternatives[alternatives.length - 1]!;
      i += 1;
      if (c === '|') {
        alternatives.push([]);
      } else if (c === '^' || c === '$') {
        // anchors say nothing a reader needs
      } else if (c === '\\') {
        const escaped = source[i++]!;
        if (/[dDwWsSbB]/.test(escaped)) current.push({ kind: 'any', source: `\\${escaped}`, quantifier: quantifier() });
        else pushText(current, escaped, quantifier());
      } else if (c === '[') {
        const start = i - 1;
        if (peek() === '^') i += 1;
        if (peek() === ']') i += 1;
        while (i < source.length && peek() !== ']') i += peek() === '\\' ? 2 : 1;
        i += 1;
        current.push({ kind: 'any', source: source.slice(start, i), quantifier: quantifier() });
      } else if (c === '.') {
        current.push({ kind: 'any', source: '.', quantifier: quantifier() });
      } else if (c === '(') {
        const start = i - 1;
        let capture = true;
        let look = false;
        if (source.startsWith('?:', i)) {
          capture = false;
          i += 2;
        } else if (/^\?(=|!|<=|<!)/.test(source.slice(i))) {
          look = true;
          i += source[i + 1] === '<' ? 3 : 2;
        } else if (source.startsWith('?<', i)) {
          i = source.indexOf('>', i) + 1;
        }
        const inner = sequence();
        i += 1; // ')'
        const q = quantifier();
        if (look) current.push({ kind: 'look' });
        else current.push({ kind: 'group', capture, alternatives: inner, quantifier: q, source: source.slice(start, i) });
      } else {
        pushText(current, c, quantifier());
      }
    }
  }

  function pushText(nodes: Node[], value: string, q: string): void {
    const last = nodes[nodes.length - 1];
    if (q === '' && last?.kind === 'text' && last.quantifier === '') last.value += value;
    else nodes.push({ kind: 'text', value, quantifier: q });
  }

  return sequence();
}

interface RenderContext {
  source: string | undefined;
  labels: string[];
  arguments: Argument[];
  next: number;
}

/** Renders a regular-expression pattern, naming its groups after the step function's parameters. */
export function regexPhrase(pattern: string, parameters: readonly string[], source?: string): Phrase {
  const context: RenderContext = { source, labels: [...parameters], arguments: [], next: 0 };
  const text = renderAlternatives(parseRegex(pattern), context, '');
  return { text: tidy(text), arguments: context.arguments };
}

// `before` is the phrase rendered so far: its last word names an argument whose parameter does not.
function renderAlternatives(alternatives: Node[][], context: RenderContext, before: string): string {
  return alternatives.map((nodes) => renderSequence(nodes, context, before)).join('|');
}

function renderSequence(nodes: Node[], context: RenderContext, before: string): string {
  let out = '';
  for (const node of nodes) out += renderNode(node, context, before + out);
  return out;
}

function renderNode(node: Node, context: RenderContext, before: string): string {
  switch (node.kind) {
    case 'look':
      return '';
    case 'any':
      return '…';
    case 'text':
      return optional(node.value, node.quantifier);
    case 'group': {
      if (!node.capture) {
        const inner = renderAlternatives(node.alternatives, context, before);
        return optional(node.alternatives.length > 1 && !node.quantifier.startsWith('?') ? `(${inner})` : inner, node.quantifier);
      }
      return optional(renderCapture(node, before, context), node.quantifier);
    }
  }
}

function renderCapture(group: Extract<Node, { kind: 'group' }>, before: string, context: RenderContext): string {
  const parameter = context.labels[context.next] ?? `arg${context.next + 1}`;
  context.next += 1;
  const inner = group.source.replace(/^\((\?<[^>]+>)?/, '').replace(/\)[?*+]?\??$/, '');
  const literals = literalAlternatives(group.alternatives);
  if (literals && literals.length <= INLINE_ALTERNATIVES) return `(${literals.join('|')})`;
  const label = labelFor(parameter, before);
  const accepts = literals ? `one of ${literals.map((l) => `\`${l}\``).join(', ')}` : describePattern(inner);
  context.arguments.push({ label, accepts: meaningOf(parameter, context.source, accepts) });
  if (!literals && hasMeaningfulText(group.alternatives)) {
    // e.g. `((?:, .*)?, with environment:)`: keep the words, name the wildcard.
    return group.alternatives.map((nodes) => closeBraces(renderWildcards(nodes, label))).join('|');
  }
  return label;
}

/**
 * `with environment (\{.*)` takes everything from the brace on and leaves the closing brace to the
 * JSON parser, but the reader writes it: `with environment {JSON}`.
 */
function closeBraces(text: string): string {
  const open = text.split('{').length - text.split('}').length;
  return open > 0 ? text + '}'.repeat(open) : text;
}

function renderWildcards(nodes: Node[], label: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += optional(node.value, node.quantifier);
    else if (node.kind === 'any') out += label;
    else if (node.kind === 'group') out += optional(node.alternatives.map((n) => renderWildcards(n, label)).join('|'), node.quantifier);
  }
  return out.replace(new RegExp(`(${label})+`, 'g'), label);
}

/** Each alternative is plain words: `(stdout|stderr)`. */
function literalAlternatives(alternatives: Node[][]): string[] | undefined {
  if (alternatives.length < 2) return undefined;
  const words = alternatives.map((nodes) => (nodes.length === 1 && nodes[0]!.kind === 'text' && nodes[0]!.quantifier === '' ? nodes[0]!.value : undefined));
  return words.every((w) => w !== undefined) ? (words as string[]) : undefined;
}

function hasMeaningfulText(alternatives: Node[][]): boolean {
  return alternatives.some((nodes) =>
    nodes.some(
      (node) =>
        (node.kind === 'text' && /[A-Za-z,:{}]/.test(node.value)) || (node.kind === 'group' && hasMeaningfulText(node.alternatives)),
    ),
  );
}

function optional(text: string, quantifier: string): string {
  if (quantifier === '' || text === '') return text;
  if (quantifier.startsWith('?')) {
    if (text.length === 1) return `(${text})`;
    const lead = text.match(/^\s*/)![0];
    const trail = text.match(/\s*$/)![0];
    return `${lead}[${text.trim()}]${trail}`;
  }
  return `${text}…`;
}

function tidy(text: string): string {
  return text.replace(/ {2,}/g, ' ').trim();
}

/** The label of an argument: its parameter's name in capitals, or the word before it for generic names. */
export function labelFor(parameter: string, before: string): string {
  const named = LABELS_BY_PARAMETER[parameter];
  if (named) return named;
  if (GENERIC_PARAMETERS.has(parameter) || /^arg\d+$/.test(parameter)) {
    const word = /([A-Za-z]+)\W*$/.exec(before)?.[1];
    if (word) return LABELS_BY_PRECEDING_WORD[word] ?? word.toUpperCase();
  }
  return parameter.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** What a group's pattern accepts, in words, for the patterns our steps are built from. */
export function describePattern(inner: string): string {
  const known: Record<string, string> = {
    [NAME_PATTERN]: "a daemon's name: letters, digits, `_`, `.`, `-`",
    '(?:[^"\\\\]|\\\\.)*': 'text in double quotes, where `\\"` is a quote and `\\\\` a backslash',
    '\\S+': 'one word (no spaces)',
    '\\d+': 'a whole number',
    '\\d+(?:\\.\\d+)?': 'a number, may be fractional',
    '(?:, .*)?': 'nothing, or clauses each starting with `, `',
    '(?:, .*)?, with environment:': 'clauses each starting with `, `, the last being `, with environment:`',
    '\\{.*\\}': 'a JSON object',
  };
  return known[inner] ?? `text matching \`/${inner}/\``;
}

/** Renders a Cucumber Expression: `{string}` → "LABEL", `{int}` → LABEL, `(s)` optional, `a/b` alternatives. */
export function expressionPhrase(expression: string, parameters: readonly string[], source?: string): Phrase {
  const args: Argument[] = [];
  let next = 0;
  const types: Record<string, string> = {
    string: 'text in double or single quotes',
    int: 'a whole number',
    float: 'a number',
    word: 'one word (no spaces)',
    '': 'anything',
    bigdecimal: 'a number',
    double: 'a number',
  };
  let text = expression.replace(/\{([^}]*)\}/g, (_whole, type: string) => {
    const parameter = parameters[next] ?? `arg${next + 1}`;
    next += 1;
    const label = labelFor(parameter, '');
    const accepts = types[type] ?? `a \`{${type}}\``;
    args.push({ label, accepts: meaningOf(parameter, source, accepts) });
    return type === 'string' ? `"${label}"` : label;
  });
  text = text.replace(/\(([^)]*)\)/g, (_whole, inner: string) => (inner.length === 1 ? `(${inner})` : `[${inner}]`));
  text = text.replace(/(\S+\/\S+)/g, (words) => (words.includes('"') ? words : `(${words.split('/').join('|')})`));
  return { text: tidy(text), arguments: args };
}

/** The parameter names of a step function, from its source (`function (name, stream, text) {…}`). */
export function parameterNames(code: string): string[] {
  const match = /^\s*(?:async\s+)?(?:function\s*\*?\s*[\w$]*\s*)?\(([^)]*)\)/.exec(code) ?? /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(code);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((p) => p.trim().replace(/\s*=.*$/, '').replace(/^\.\.\./, ''))
    .filter((p) => /^[\w$]+$/.test(p));
}
