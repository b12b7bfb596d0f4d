import { assertValidEnvironment } from '../process/environment.js';
import { InvalidArgumentError, InvalidEnvironmentError, UnknownClauseError } from '../errors.js';
import { parseJsonPointing } from '../json-error.js';
import { parseSeconds } from '../seconds.js';
import { normalizeSignal } from '../process/signals.js';
import { suggestPath } from '../readiness/wait-for.js';

/*
 * The clause language (`, on a free port, waiting for HTTP /health`) that the start steps and a
 * services file's "ready" are written in: text to typed clauses, nothing more. Where the clauses
 * come from (a step, a file) and what they may say there is the caller's business.
 */

export type OutputStreamName = 'stdout' | 'stderr' | 'output';

/** A readiness condition as written; placeholders in it are still unexpanded. */
export type WaitClause =
  | { kind: 'output'; stream: OutputStreamName; text: string }
  | { kind: 'http'; path: string }
  | { kind: 'file'; path: string }
  | { kind: 'signal'; signal: NodeJS.Signals };

export interface RestartPolicyClause {
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
  forever: boolean;
}

/** The clauses of a start step (`, on port 8888, within 10 seconds, …`), parsed but not yet applied. */
export interface StartClauses {
  port?: { kind: 'fixed'; port: string } | { kind: 'free' };
  /** JSON objects and tables, in the order written; later ones win. */
  environment: Array<Record<string, string>>;
  /** `, with environment:` ends the step: the variables come from its table. */
  environmentFromTable: boolean;
  waits: WaitClause[];
  withinSeconds?: number;
  directory?: string;
  restart?: RestartPolicyClause;
  resetCommand?: string;
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const TABLE_CLAUSE = /^with environment:$/;

interface ClauseRule {
  pattern: RegExp;
  example: string;
  /** What the clause sets, when only one clause may set it: shown when two do. */
  sets?: 'the port' | 'the readiness deadline' | 'the working directory' | 'the restart policy' | 'the reset command';
  apply(clauses: StartClauses, match: RegExpExecArray): void;
}

const rules: ClauseRule[] = [
  {
    pattern: /^on port (\S+)$/,
    example: 'on port 8080',
    sets: 'the port',
    apply: (c, m) => (c.port = { kind: 'fixed', port: m[1]! }),
  },
  {
    pattern: /^on a free port$/,
    example: 'on a free port',
    sets: 'the port',
    apply: (c) => (c.port = { kind: 'free' }),
  },
  {
    pattern: /^with environment (\{.*)$/s,
    example: 'with environment {"NAME": "value"}',
    apply: (c, m) => c.environment.push(parseEnvironmentJson(m[1]!)),
  },
  {
    pattern: TABLE_CLAUSE,
    example: 'with environment: (then a table)',
    apply: (c) => {
      c.environmentFromTable = true;
    },
  },
  {
    pattern: new RegExp(`^waiting for (stdout|stderr|output) to contain ${QUOTED}$`),
    example: 'waiting for stdout to contain "ready"',
    apply: (c, m) => c.waits.push({ kind: 'output', stream: m[1] as OutputStreamName, text: m[2]! }),
  },
  {
    pattern: /^waiting for HTTP (\S+)$/,
    example: 'waiting for HTTP /health',
    apply: (c, m) => {
      if (!m[1]!.startsWith('/')) throw new InvalidArgumentError(`waiting for HTTP ${m[1]}: the path must start with '/', e.g. "waiting for HTTP ${suggestPath(m[1]!)}"`);
      c.waits.push({ kind: 'http', path: m[1]! });
    },
  },
  {
    pattern: /^waiting for file (\S+)$/,
    example: 'waiting for file run/app.pid',
    apply: (c, m) => c.waits.push({ kind: 'file', path: m[1]! }),
  },
  {
    pattern: /^waiting until it handles (\S+)$/,
    example: 'waiting until it handles SIGHUP',
    apply: (c, m) => c.waits.push({ kind: 'signal', signal: normalizeSignal(m[1]!) }),
  },
  {
    pattern: /^within (\S+) seconds?$/,
    example: 'within 10 seconds',
    sets: 'the readiness deadline',
    apply: (c, m) => (c.withinSeconds = parseSeconds(m[1]!, 'within')),
  },
  {
    pattern: /^in directory (\S+)$/,
    example: 'in directory sub/dir',
    sets: 'the working directory',
    apply: (c, m) => (c.directory = m[1]!),
  },
  {
    pattern: /^restarting on exit( forever)?$/,
    example: 'restarting on exit',
    sets: 'the restart policy',
    apply: (c, m) => (c.restart = { forever: m[1] !== undefined }),
  },
  {
    pattern: /^restarting on exit with back-off from (\S+) to (\S+) seconds( forever)?$/,
    example: 'restarting on exit with back-off from 0.5 to 4 seconds',
    sets: 'the restart policy',
    apply: (c, m) => {
      const min = parseSeconds(m[1]!, 'back-off from');
      const max = parseSeconds(m[2]!, 'back-off to');
      if (min > max) throw new InvalidArgumentError(`back-off from ${m[1]} to ${m[2]} seconds: the minimum is larger than the maximum`);
      c.restart = { minDelaySeconds: min, maxDelaySeconds: max, forever: m[3] !== undefined };
    },
  },
  {
    pattern: new RegExp(`^reset with ${QUOTED}$`),
    example: 'reset with "./reset.sh"',
    sets: 'the reset command',
    apply: (c, m) => (c.resetCommand = m[1]!),
  },
];

/**
 * Parses clauses as written: `, on port 8888, with environment {"A": "1"}`. Clauses are split at
 * `, ` outside quotes and braces, so quoted text and JSON may contain `, `.
 */
export function parseClauses(tail: string): StartClauses {
  return parseClauseList(splitClauses(tail));
}

/** Parses clauses already split apart, in order: the first mistake is the one reported. */
export function parseClauseList(segments: readonly string[]): StartClauses {
  const clauses: StartClauses = { environment: [], environmentFromTable: false, waits: [] };
  const setBy = new Map<string, string>();
  for (const segment of segments) {
    const rule = rules.find((r) => r.pattern.test(segment));
    if (!rule) throw new UnknownClauseError(segment, rules.map((r) => r.example));
    if (rule.sets) {
      const earlier = setBy.get(rule.sets);
      if (earlier !== undefined) throw new InvalidArgumentError(`', ${earlier}' and ', ${segment}' both set ${rule.sets}; keep one`);
      setBy.set(rule.sets, segment);
    }
    rule.apply(clauses, rule.pattern.exec(segment)!);
  }
  return clauses;
}

/** `, with environment:`: the variables come from a table that follows the clauses. */
export function isEnvironmentTableClause(segment: string): boolean {
  return TABLE_CLAUSE.test(segment);
}

/** The clauses of a tail (`, a, b "x, y"`), split at `, ` outside quotes and braces. */
export function splitClauses(tail: string): string[] {
  if (tail.trim() === '') return [];
  if (!tail.startsWith(', ')) throw new InvalidArgumentError(`expected clauses starting with ', ' after the name, got '${tail}'`);
  const segments: string[] = [];
  let current = '';
  let inString = false;
  let depth = 0;
  for (let i = 2; i < tail.length; i++) {
    const c = tail[i]!;
    if (inString) {
      current += c;
      if (c === '\\' && i + 1 < tail.length) current += tail[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && tail[i + 1] === ' ' && depth === 0) {
      segments.push(current);
      current = '';
      i += 1;
      continue;
    }
    current += c;
  }
  segments.push(current);
  return segments.map((s) => s.trim());
}

/**
 * `{"NAME": "value"}` → variables. Numbers and booleans become strings; anything else, and JSON
 * that does not parse, is an error that quotes the JSON and points at where it broke.
 */
export function parseEnvironmentJson(json: string): Record<string, string> {
  const parsed = parseJsonPointing(
    json,
    (explanation) =>
      new InvalidEnvironmentError(
        `invalid JSON in 'with environment': ${explanation}\n` +
          `write a JSON object of strings, e.g. {"NAME": "value", "PORT": "8080"} (keys and strings in double quotes, no trailing comma)`,
      ),
  );
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidEnvironmentError(`'with environment' needs a JSON object like {"NAME": "value"}, got ${json}`);
  }
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') variables[key] = String(value);
    else {
      throw new InvalidEnvironmentError(
        `'with environment' ${json}: the value of ${key} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `an ${typeof value}`}; ` +
          'environment values must be strings, numbers or booleans',
      );
    }
  }
  assertValidEnvironment(variables);
  return variables;
}

/** A two-column table `| NAME | value |` → variables; anything else is an error. */
export function parseEnvironmentTable(rows: string[][]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const row of rows) {
    if (row.length !== 2) {
      throw new InvalidEnvironmentError(`the environment table needs two columns (| NAME | value |); this row has ${row.length}: | ${row.join(' | ')} |`);
    }
    variables[row[0]!] = row[1]!;
  }
  assertValidEnvironment(variables);
  return variables;
}

/** Every clause: its pattern and an example (the step reference is generated from these). */
export function describeClauses(): ReadonlyArray<{ pattern: RegExp; example: string }> {
  return rules.map(({ pattern, example }) => ({ pattern, example }));
}
