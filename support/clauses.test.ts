import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClauses, parseEnvironmentJson, parseEnvironmentTable } from './clauses.js';

const CLAUSE_LIST = [
  '  , on port 8080',
  '  , on a free port',
  '  , with environment {"NAME": "value"}',
  '  , with environment: (then a table)',
  '  , waiting for stdout to contain "ready"',
  '  , waiting for HTTP /health',
  '  , waiting for file run/app.pid',
  '  , waiting until it handles SIGHUP',
  '  , within 10 seconds',
  '  , in directory sub/dir',
  '  , restarting on exit',
  '  , restarting on exit with back-off from 0.5 to 4 seconds',
  '  , reset with "./reset.sh"',
].join('\n');

describe('parseClauses', () => {
  it('reads nothing from an empty tail', () => {
    assert.deepEqual(parseClauses(''), { environment: [], environmentFromTable: false, waits: [] });
  });

  it('reads every clause, in any order', () => {
    assert.deepEqual(parseClauses(', on port 8888'), { environment: [], environmentFromTable: false, waits: [], port: { kind: 'fixed', port: '8888' } });
    assert.deepEqual(parseClauses(', on a free port').port, { kind: 'free' });
    assert.deepEqual(parseClauses(', on port ${web.port}').port, { kind: 'fixed', port: '${web.port}' });
    assert.deepEqual(parseClauses(', with environment {"A": "1", "B": 2, "C": true}').environment, [{ A: '1', B: '2', C: 'true' }]);
    assert.equal(parseClauses(', with environment:').environmentFromTable, true);
    assert.deepEqual(parseClauses(', waiting for stdout to contain "ready"').waits, [{ kind: 'output', stream: 'stdout', text: 'ready' }]);
    assert.deepEqual(parseClauses(', waiting for stderr to contain "up"').waits, [{ kind: 'output', stream: 'stderr', text: 'up' }]);
    assert.deepEqual(parseClauses(', waiting for output to contain "x"').waits, [{ kind: 'output', stream: 'output', text: 'x' }]);
    assert.deepEqual(parseClauses(', waiting for HTTP /health').waits, [{ kind: 'http', path: '/health' }]);
    assert.deepEqual(parseClauses(', waiting for file run/app.pid').waits, [{ kind: 'file', path: 'run/app.pid' }]);
    assert.equal(parseClauses(', within 10 seconds').withinSeconds, 10);
    assert.equal(parseClauses(', within 0.5 seconds').withinSeconds, 0.5);
    assert.equal(parseClauses(', within 1 second').withinSeconds, 1);
    assert.equal(parseClauses(', in directory sub/dir').directory, 'sub/dir');
    assert.deepEqual(parseClauses(', restarting on exit').restart, { forever: false });
    assert.deepEqual(parseClauses(', restarting on exit forever').restart, { forever: true });
    assert.deepEqual(parseClauses(', restarting on exit with back-off from 0.5 to 4 seconds').restart, {
      minDelaySeconds: 0.5,
      maxDelaySeconds: 4,
      forever: false,
    });
    assert.equal(parseClauses(', reset with "./reset.sh --all"').resetCommand, './reset.sh --all');
  });

  it('keeps the order of several waits and environments, later environments last', () => {
    const clauses = parseClauses(
      ', waiting for file a, with environment {"A": "1"}, on a free port, waiting for stdout to contain "b", with environment {"A": "2"}',
    );
    assert.deepEqual(clauses.waits, [
      { kind: 'file', path: 'a' },
      { kind: 'output', stream: 'stdout', text: 'b' },
    ]);
    assert.deepEqual(clauses.environment, [{ A: '1' }, { A: '2' }]);
  });

  it('splits around quotes and JSON, so quoted text and JSON may contain ", "', () => {
    const clauses = parseClauses(
      String.raw`, with environment {"A": "x, y", "B": "{, }"}, waiting for stdout to contain "a, \"b\", c", within 2 seconds, waiting for output to contain "}{, "`,
    );
    assert.deepEqual(clauses.environment, [{ A: 'x, y', B: '{, }' }]);
    assert.deepEqual(clauses.waits, [
      { kind: 'output', stream: 'stdout', text: String.raw`a, \"b\", c` },
      { kind: 'output', stream: 'output', text: '}{, ' },
    ]);
    assert.equal(clauses.withinSeconds, 2);
  });

  it('accepts a table only as the last clause', () => {
    assert.equal(parseClauses(', on a free port, with environment:').environmentFromTable, true);
    assert.throws(() => parseClauses(', with environment:, on port 3'), {
      name: 'InvalidArgumentError',
      message: "', with environment:' must be the last clause of the step (its table follows the step)",
    });
  });

  it('reports a mistake before a misplaced table first, as the step reads', () => {
    assert.throws(() => parseClauses(', on prot 3, with environment:, on port 3'), { message: /^unknown clause ', on prot 3'; a start step takes/ });
  });

  it('names an unknown clause and lists the ones it takes', () => {
    assert.throws(() => parseClauses(', on prot 8888'), {
      name: 'InvalidArgumentError',
      message: `unknown clause ', on prot 8888'; a start step takes, in any order:\n${CLAUSE_LIST}`,
    });
  });

  it('reports an environment whose JSON is never closed as invalid JSON, not as an unknown clause', () => {
    assert.throws(() => parseClauses(', with environment {"A": "1", on port 8080'), {
      name: 'InvalidEnvironmentError',
      message:
        `invalid JSON in 'with environment': expected a name in double quotes, found 'o'\n` +
        `  {"A": "1", on port 8080\n` +
        `             ^ here (character 12)\n` +
        'write a JSON object of strings, e.g. {"NAME": "value", "PORT": "8080"} (keys and strings in double quotes, no trailing comma)',
    });
  });

  it('rejects two clauses that set the same thing, quoting both', () => {
    assert.throws(() => parseClauses(', on port 8080, within 2 seconds, on a free port'), {
      name: 'InvalidArgumentError',
      message: "', on port 8080' and ', on a free port' both set the port; keep one",
    });
    assert.throws(() => parseClauses(', within 1 second, within 2 seconds'), {
      message: "', within 1 second' and ', within 2 seconds' both set the readiness deadline; keep one",
    });
    assert.throws(() => parseClauses(', in directory a, in directory b'), {
      message: "', in directory a' and ', in directory b' both set the working directory; keep one",
    });
    assert.throws(() => parseClauses(', restarting on exit, restarting on exit forever'), {
      message: "', restarting on exit' and ', restarting on exit forever' both set the restart policy; keep one",
    });
  });

  it('says what it expected when the tail does not start with ", "', () => {
    assert.throws(() => parseClauses('; on port 3'), {
      name: 'InvalidArgumentError',
      message: "expected clauses starting with ', ' after the name, got '; on port 3'",
    });
  });

  it('rejects bad arguments of a clause with what to write instead', () => {
    assert.throws(() => parseClauses(', waiting for HTTP health'), {
      message: `waiting for HTTP health: the path must start with '/', e.g. "waiting for HTTP /health"`,
    });
    assert.throws(() => parseClauses(', within soon seconds'), {
      message: "within: 'soon' is not a number: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5",
    });
    assert.throws(() => parseClauses(', within -1 seconds'), {
      message: "within: '-1' is not a number: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5",
    });
    assert.throws(() => parseClauses(', restarting on exit with back-off from 5 to 1 seconds'), {
      message: 'back-off from 5 to 1 seconds: the minimum is larger than the maximum',
    });
  });
});

describe('parseEnvironmentJson', () => {
  it('turns numbers and booleans into strings', () => {
    assert.deepEqual(parseEnvironmentJson('{"PORT": 8080, "DEBUG": false, "NAME": "x"}'), { PORT: '8080', DEBUG: 'false', NAME: 'x' });
  });

  it('rejects values that are not strings, numbers or booleans, naming the variable', () => {
    assert.throws(() => parseEnvironmentJson('{"A": null}'), {
      name: 'InvalidEnvironmentError',
      message: `'with environment' {"A": null}: the value of A is null; environment values must be strings, numbers or booleans`,
    });
    assert.throws(() => parseEnvironmentJson('{"A": [1]}'), {
      message: `'with environment' {"A": [1]}: the value of A is an array; environment values must be strings, numbers or booleans`,
    });
    assert.throws(() => parseEnvironmentJson('{"A": {"b": 1}}'), {
      message: `'with environment' {"A": {"b": 1}}: the value of A is an object; environment values must be strings, numbers or booleans`,
    });
  });

  it('quotes invalid JSON and points at where it broke, whatever the parser says', () => {
    const invalid = (json: string, reason: string, at: number) => ({
      name: 'InvalidEnvironmentError',
      message:
        `invalid JSON in 'with environment': ${reason}\n  ${json}\n  ${' '.repeat(at - 1)}^ here (character ${at})\n` +
        'write a JSON object of strings, e.g. {"NAME": "value", "PORT": "8080"} (keys and strings in double quotes, no trailing comma)',
    });
    assert.throws(() => parseEnvironmentJson('{"A": }'), invalid('{"A": }', "expected a value (a string in double quotes, a number, true or false), found '}'", 7));
    assert.throws(() => parseEnvironmentJson('{"A": "1",}'), invalid('{"A": "1",}', 'a comma before } is not allowed (trailing comma)', 10));
    assert.throws(() => parseEnvironmentJson('{A: "1"}'), invalid('{A: "1"}', "expected a name in double quotes, found 'A'", 2));
    assert.throws(() => parseEnvironmentJson("{'A': '1'}"), invalid("{'A': '1'}", "names need double quotes, found '", 2));
    assert.throws(() => parseEnvironmentJson('{"A" "1"}'), invalid('{"A" "1"}', `expected ':' after the name, found '"'`, 6));
    assert.throws(() => parseEnvironmentJson('{"A": "1" "B": "2"}'), invalid('{"A": "1" "B": "2"}', `expected ',' or '}' after a value, found '"'`, 11));
    assert.throws(() => parseEnvironmentJson('{"A": "1"'), invalid('{"A": "1"', "expected ',' or '}' after a value, but the JSON ends there", 10));
    assert.throws(() => parseEnvironmentJson('{"A": "1}'), invalid('{"A": "1}', 'a string that is never closed: add the closing "', 7));
    assert.throws(() => parseEnvironmentJson('{"A": "a\\qb"}'), invalid('{"A": "a\\qb"}', "'\\q' is not a JSON escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", 9));
    assert.throws(() => parseEnvironmentJson('{"A": 1} x'), invalid('{"A": 1} x', "expected nothing after the JSON value, found 'x'", 10));
  });

  it('rejects JSON that is not an object', () => {
    assert.throws(() => parseEnvironmentJson('["A"]'), {
      name: 'InvalidEnvironmentError',
      message: `'with environment' needs a JSON object like {"NAME": "value"}, got ["A"]`,
    });
  });
});

describe('parseEnvironmentTable', () => {
  it('reads a two-column table', () => {
    assert.deepEqual(parseEnvironmentTable([['A', '1'], ['B', 'two words']]), { A: '1', B: 'two words' });
  });

  it('rejects a row that does not have two columns, quoting it', () => {
    assert.throws(() => parseEnvironmentTable([['A', '1', 'extra']]), {
      name: 'InvalidEnvironmentError',
      message: 'the environment table needs two columns (| NAME | value |); this row has 3: | A | 1 | extra |',
    });
  });
});

describe('clauses on I adopt', () => {
  it('refuses those that cannot apply to a process already running, naming each', async () => {
    const { DaemonScope } = await import('../helpers/scope.js');
    const { adoptWithClauses } = await import('./clause-variants.js');
    await using scope = new DaemonScope({ label: 'adopt clauses' });
    await assert.rejects(adoptWithClauses(scope, { name: 'master', pidFile: 'var/master.pid', clauses: ', on a free port, waiting for stdout to contain "up"' }), {
      name: 'InvalidArgumentError',
      message:
        "cannot adopt 'master' with ', on a free port' (it has chosen its port already: write ', on port P') or " +
        "', waiting for stdout/stderr/output' (its output is not ours to read: wait for a file, a port or HTTP)",
    });
  });
});
