import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runFeature, type CucumberRun, type StepReport } from '../support/cucumber-run.test.helper.js';

function failedStep(run: CucumberRun, scenario: string): StepReport {
  const step = run.scenario(scenario).steps.find((s) => s.status === 'FAILED');
  assert.ok(step, `a step of '${scenario}' failed\n${run.output}`);
  return step;
}

/** The lines of the unified diff a formatter prints between the message and the stack. */
function diffLines(message: string): string[] {
  const start = message.indexOf('\n    + expected - actual\n\n');
  if (start === -1) return [];
  return message.slice(start).split('\n').slice(3).filter((line) => line.startsWith('    ')).map((line) => line.slice(4)).filter((line) => !line.startsWith('at '));
}

describe('what a reporter gets from a failing Then step (cucumber-js on features/fixtures/failing-then-steps.md)', () => {
  let run: CucumberRun;
  before(async () => {
    run = await runFeature('features/fixtures/failing-then-steps.md');
  });

  it('`stdout is` fails with an AssertionError: our message, then a diff of the whole stdout and the text', () => {
    const step = failedStep(run, 'stdout is not the text');
    assert.equal(step.exception?.type, 'AssertionError');
    assert.match(
      step.exception.message!,
      /^daemon 'printer' \(printf 'one\\ntwo\\n'\): stdout is not as expected\nexpected: "one\\nthree\\n"\nactual: {3}"one\\ntwo\\n"\n\(all of it: \S+\/printer\.stdout, 8 bytes\)$/,
    );
    assert.ok(step.message!.startsWith(`AssertionError: ${step.exception.message}\n    + expected - actual\n`), step.message);
    assert.deepEqual(diffLines(step.message!), [' one', '-two', '+three']);
  });

  it('`exited with code` diffs the exit code with the one expected', () => {
    const step = failedStep(run, 'the exit code is not the one expected');
    assert.equal(step.exception?.type, 'AssertionError');
    assert.ok(step.message!.startsWith("AssertionError: daemon 'three' should have exited with code 0, but it exited with code 3\n"), step.message);
    assert.deepEqual(diffLines(step.message!), ['-3', '+0']);
  });

  it('`contains` is an AssertionError without a diff: a text and a part of it are no two versions of one thing', () => {
    const step = failedStep(run, 'stdout does not contain the text');
    assert.equal(step.exception?.type, 'AssertionError');
    assert.ok(step.message!.startsWith("AssertionError: daemon 'printer' (printf 'one\\n'): stdout does not contain the expected text\n"), step.message);
    assert.ok(!step.message!.includes('+ expected - actual'), step.message);
  });

  it('a message that starts with "expected" is printed whole (a diff-showing formatter would take it for its own and cut it)', () => {
    const step = failedStep(run, 'a process that should not be there is');
    assert.match(step.message!, /^AssertionError: expected no process whose command line contains "sleep 31861", but found:\n {2}pid \d+: sleep 31861\n/);
  });

  it('`the response status is` diffs the status with the one expected, and names the request', () => {
    const step = failedStep(run, 'the response status is not the one expected');
    assert.equal(step.exception?.type, 'AssertionError');
    assert.match(step.message!, /^AssertionError: the response status is 404, not 200 \(GET http:\/\/127\.0\.0\.1:\d+\/no-such-file → 404 File not found\)\n/);
    assert.deepEqual(diffLines(step.message!), ['-404', '+200']);
  });

  it('an error that is not a failed expectation keeps its own type', () => {
    const step = failedStep(run, 'a daemon that was never started is no expectation that failed');
    assert.equal(step.exception?.type, 'UnknownDaemonError');
  });
});
