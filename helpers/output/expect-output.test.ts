import { runWithClauses, startWithClauses } from '../../support/clause-options.js';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { OutputTimeoutError } from '../errors.js';
import {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  MAX_MATCH_BYTES,
  OutputMismatchError,
  waitForAnyOutput,
  waitForOutput,
} from './expect-output.js';
import { DaemonScope } from '../scope.js';
import { docStringBytes, parseText } from './text.js';
import { removeRunDirectoryIfEmpty } from '../workspace/workspace.js';

after(() => removeRunDirectoryIfEmpty());

/** Runs a command to its end in a fresh scope and hands over the finished daemon. */
async function ran(command: string, use: (daemon: Awaited<ReturnType<DaemonScope['run']>>) => Promise<void>): Promise<void> {
  await using scope = new DaemonScope({ label: 'expect-output' });
  await use(await runWithClauses(scope,{ name: 'app', command }));
}

function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected a failure'),
    (error: unknown) => error as Error,
  );
}

describe('output expectations', () => {
  it('`is` compares byte for byte, and a failure shows expected, actual and the file', async () => {
    await ran("printf 'hi there\\n'", async (app) => {
      await expectOutputIs(app, 'stdout', parseText('hi there\\n'));
      await expectOutputIs(app, 'stdout', docStringBytes('hi there'));
      const error = await rejection(expectOutputIs(app, 'stdout', parseText('hi there')));
      assert.ok(error instanceof OutputMismatchError);
      assert.equal(
        error.message,
        `daemon 'app' (printf 'hi there\\n'): stdout is not as expected\n` +
          `expected: "hi there"\n` +
          `actual:   "hi there\\n"\n` +
          `(all of it: ${app.stdout.path}, 9 bytes)`,
      );
      assert.deepEqual([error.actual, error.expected, error.diffable], ['hi there\n', 'hi there', true], 'the whole output against the text, for a diff');
    });
  });

  it('`contains` and `doesn’t contain` search the whole output; a long one is shown by its last 2000 bytes', async () => {
    await ran("sh -c 'seq 1 5000; echo the end'", async (app) => {
      await expectOutputContains(app, 'stdout', parseText('\\n2500\\n'));
      await expectOutputContains(app, 'stdout', parseText('nope'), false);
      const error = await rejection(expectOutputContains(app, 'stdout', parseText('5001')));
      const lines = error.message.split('\n');
      assert.equal(lines[0], `daemon 'app' (sh -c 'seq 1 5000; echo the end'): stdout does not contain the expected text`);
      assert.equal(lines[1], 'expected to contain: "5001"');
      const printed = `${Array.from({ length: 5000 }, (_, i) => i + 1).join('\n')}\nthe end\n`;
      assert.equal(lines[2], `actual (last 2000 of 23901 bytes): …"${printed.slice(-2000).replaceAll('\n', '\\n')}"`);
      assert.equal(lines[3], `(all of it: ${app.stdout.path}, 23901 bytes)`);
      assert.ok(error instanceof OutputMismatchError);
      assert.deepEqual([error.actual, error.expected, error.diffable], [printed, '5001', false], 'a diff of a text and a part of it would mislead');
      const unwanted = await rejection(expectOutputContains(app, 'stdout', parseText('the end'), false));
      assert.match(unwanted.message, /: stdout contains text it should not\nexpected not to contain: "the end"\n/);
    });
  });

  it('shows bytes that are not UTF-8 as \\xNN in failures, and can look for them', async () => {
    await ran("printf 'caf\\351 \\377\\n'", async (app) => {
      await expectOutputContains(app, 'stdout', parseText('caf\\xe9'));
      await expectOutputIs(app, 'stdout', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x0a]));
      const error = await rejection(expectOutputIs(app, 'stdout', parseText('café')));
      assert.match(error.message, /\nexpected: "café"\nactual: {3}"caf\\xe9 \\xff\\n"\n/);
      assert.ok(error instanceof OutputMismatchError);
      assert.equal(error.actual, 'caf\\xe9 \\xff\n', 'bytes that are not UTF-8 as \\xNN in actual too');
      await expectOutputMatches(app, 'stdout', 'caf\\\\xe9 \\\\xff');
    });
  });

  it('`matches` takes a JavaScript regular expression and says so when it is not one', async () => {
    await ran("printf 'listening on port 8080\\n'", async (app) => {
      await expectOutputMatches(app, 'stdout', '^listening on port \\d+\\n$');
      const error = await rejection(expectOutputMatches(app, 'stdout', 'port \\d{5}'));
      assert.equal(
        error.message,
        `daemon 'app' (printf 'listening on port 8080\\n'): stdout does not match\n` +
          `expected to match: /port \\d{5}/\n` +
          `actual:   "listening on port 8080\\n"\n` +
          `(all of it: ${app.stdout.path}, 23 bytes)`,
      );
      assert.ok(error instanceof OutputMismatchError);
      assert.deepEqual([error.actual, error.expected, error.diffable], ['listening on port 8080\n', /port \d{5}/, false]);
      await assert.rejects(expectOutputMatches(app, 'stdout', 'port (\\d+'), {
        message: 'matches "port (\\d+": not a valid regular expression: Invalid regular expression: /port (\\d+/: Unterminated group',
      });
    });
  });

  it('`matches` refuses output too large to read whole, and points to `contains`', async () => {
    await ran(`head -c ${MAX_MATCH_BYTES + 1} /dev/zero`, async (app) => {
      const error = await rejection(expectOutputMatches(app, 'stdout', 'x'));
      assert.equal(
        error.message,
        `daemon 'app' (head -c ${MAX_MATCH_BYTES + 1} /dev/zero): stdout is too large to match a regular expression against (${MAX_MATCH_BYTES + 1} bytes; the limit is ${MAX_MATCH_BYTES})\n` +
          'use "stdout contains" for text in output this large\n' +
          `(all of it: ${app.stdout.path}, ${MAX_MATCH_BYTES + 1} bytes)`,
      );
      assert.ok(error instanceof OutputMismatchError);
      const actual = error.actual as string;
      assert.equal(actual, `…${'\0'.repeat(64 * 1024)}`, 'only the last 64 KiB of a large output');
    });
  });

  it('`is empty` shows what was there', async () => {
    await ran("sh -c 'echo oops >&2'", async (app) => {
      await expectOutputEmpty(app, 'stdout');
      await expectOutputIs(app, 'stderr', parseText('oops\\n'));
      const error = await rejection(expectOutputEmpty(app, 'stderr'));
      assert.equal(error.message, `daemon 'app' (sh -c 'echo oops >&2'): stderr is not empty\nactual:   "oops\\n"\n(all of it: ${app.stderr.path}, 5 bytes)`);
      assert.ok(error instanceof OutputMismatchError);
      assert.deepEqual([error.actual, error.expected, error.diffable], ['oops\n', '', true]);
    });
  });
});

describe('waiting for output', () => {
  it('sees text on stdout, stderr or either, including text printed before the wait began', async () => {
    await using scope = new DaemonScope({ label: 'wait-for-output' });
    const app = await startWithClauses(scope,{
      name: 'app',
      command: "sh -c 'echo warming up >&2; echo ready; exec sleep 31821'",
      clauses: ', waiting for stderr to contain "warming up", waiting for stdout to contain "ready"',
    });
    await waitForOutput(app, 'stderr', parseText('warming up'), { timeout: 5000 });
    await waitForOutput(app, 'output', parseText('ready\\n'), { timeout: 5000 });
    await waitForOutput(app, 'stdout', parseText('ready'), { timeout: 5000 });
    // The stream counts: text that is on stderr only is not seen on stdout.
    const error = await rejection(waitForOutput(app, 'stdout', parseText('warming up'), { timeout: 100 }));
    assert.ok(error instanceof OutputTimeoutError);
    assert.equal(
      error.headline,
      `daemon 'app' (sh -c 'echo warming up >&2; echo ready; exec sleep 31821'): waited 0.1 s for stdout to contain "warming up", in vain; it is still running (pid ${app.pid})`,
    );
  });

  it('sees text that arrives while it waits, on either stream', async () => {
    await using scope = new DaemonScope({ label: 'wait-for-later-output' });
    const app = await startWithClauses(scope,{ name: 'app', command: "sh -c 'read line; echo hello >&2; exec sleep 31824'" });
    let stderrWhenSeen: string | undefined;
    const waiting = waitForOutput(app, 'output', parseText('hello'), { timeout: 5000 }).then(() => {
      stderrWhenSeen = app.stderr.read().toString();
    });
    await app.writeStdin(Buffer.from('go\n'));
    await waiting;
    assert.equal(stderrWhenSeen, 'hello\n', 'seen once it was there, not before');
  });

  it('fails at once when the daemon exits without printing it, with its exit status and output', async () => {
    await using scope = new DaemonScope({ label: 'wait-for-output-exit' });
    const app = await startWithClauses(scope,{ name: 'app', command: "sh -c 'echo almost; exit 2'" });
    const error = await rejection(waitForOutput(app, 'stdout', parseText('done'), { timeout: 3_600_000 }));
    assert.ok(error instanceof OutputTimeoutError);
    assert.equal(
      error.message,
      `daemon 'app' (sh -c 'echo almost; exit 2') exited with code 2 without its stdout containing "done"\n` +
        `stderr (${app.stderr.path}): empty\n` +
        `last lines of stdout (${app.stdout.path}):\n  | almost`,
    );
  });

  it('times out naming what it waited for and that the daemon still runs', async () => {
    await using scope = new DaemonScope({ label: 'wait-for-output-timeout' });
    const app = await startWithClauses(scope,{ name: 'app', command: 'sleep 31822' });
    const error = await rejection(waitForOutput(app, 'output', parseText('never'), { timeout: 100 }));
    assert.equal(
      error.message,
      `daemon 'app' (sleep 31822): waited 0.1 s for output to contain "never", in vain; it is still running (pid ${app.pid})\n` +
        `stderr (${app.stderr.path}): empty\n` +
        `stdout (${app.stdout.path}): empty`,
    );
  });

  it('"has produced output" waits for output that comes later, until it has settled', async () => {
    await using scope = new DaemonScope({ label: 'produced-output' });
    const app = await startWithClauses(scope,{ name: 'app', command: "sh -c 'read line; echo a; exec sleep 31825'" });
    const waiting = waitForAnyOutput(app, { timeout: 5000, quietMs: 50 });
    await app.writeStdin(Buffer.from('go\n'));
    await waiting;
    assert.equal(app.stdout.read().toString(), 'a\n');
  });

  it('"has produced output" fails at once for a daemon that exits silently', async () => {
    await using scope = new DaemonScope({ label: 'silent-exit' });
    const app = await startWithClauses(scope,{ name: 'app', command: "sh -c 'exit 5'" });
    const error = await rejection(waitForAnyOutput(app, { timeout: 3_600_000 }));
    assert.equal(
      error.message,
      `daemon 'app' (sh -c 'exit 5') exited with code 5 without any output\nstderr (${app.stderr.path}): empty\nstdout (${app.stdout.path}): empty`,
    );
  });
});
