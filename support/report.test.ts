import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runFeature, type CucumberRun, type ScenarioReport } from './cucumber-run.test.helper.js';

/** The workspace a failed scenario kept, as its report says. */
function workspaceOf(scenario: ScenarioReport): string {
  const kept = scenario.attachments.map((a) => /^workspace kept: (.+)$/.exec(a.body)?.[1]).find(Boolean);
  assert.ok(kept, `no "workspace kept" attachment in ${JSON.stringify(scenario.attachments)}`);
  return kept;
}

function failedStep(scenario: ScenarioReport) {
  const failed = scenario.steps.find((step) => step.status === 'FAILED');
  assert.ok(failed, `no failed step in ${JSON.stringify(scenario.steps)}`);
  return failed;
}

describe('the report of a failed scenario (cucumber-js on features/fixtures/failing-report.md)', () => {
  let run: CucumberRun;
  before(async () => {
    run = await runFeature('features/fixtures/failing-report.md', { args: ['--import', 'features/support/*.mjs', '--import', 'features/fixtures/failing-after-hook.mjs'] });
  });

  it('fails the run', () => {
    assert.equal(run.exitCode, 1, run.output);
  });

  it("attaches each daemon's stdout and stderr (its last lines, and the file with all of it) and the combined log, as text/plain", () => {
    const scenario = run.scenario("the daemons' output and the combined log are attached when a scenario fails");
    const workspace = workspaceOf(scenario);
    assert.deepEqual(
      scenario.attachments.map((a) => a.mediaType),
      scenario.attachments.map(() => 'text/plain'),
    );
    const bodies = scenario.attachments.map((a) => a.body);
    assert.deepEqual(bodies.slice(0, 4), [
      `daemon 'web' stdout, 10 bytes, ${workspace}/web.stdout; last lines:\nlistening\n`,
      `daemon 'web' stderr, 26 bytes, ${workspace}/web.stderr; last lines:\nwarning: disk almost full\n`,
      `daemon 'worker' stdout, 26 bytes, ${workspace}/worker.stdout; last lines:\ncaf\\xe9\nno newline at the end`,
      `daemon 'worker' stderr, 0 bytes, ${workspace}/worker.stderr: empty`,
    ]);
    const combined = bodies[4]!.split('\n');
    assert.equal(combined[0], `combined log, ${workspace}/combined.log; last lines:`);
    assert.deepEqual(
      combined.slice(1).sort(),
      ['', '[web] listening', '[web] warning: disk almost full', '[worker] caf\\xe9', '[worker] no newline at the end'],
    );
    assert.equal(bodies[5], `workspace kept: ${workspace}`);
    assert.equal(bodies.length, 6);
  });

  it('attaches the output at the step that failed, where the HTML report shows it with the error', () => {
    const scenario = run.scenario("the daemons' output and the combined log are attached when a scenario fails");
    assert.deepEqual(
      scenario.attachments.map((a) => a.step),
      scenario.attachments.map(() => 'daemon web stdout contains "ready"'),
    );
    const dying = run.scenario('a daemon that dies while it starts fails the step with its exit status and its output');
    assert.ok(dying.attachments.length > 0);
    assert.ok(dying.attachments.every((a) => a.step === `I start "sh -c 'echo loading config.toml; echo config.toml: no such file >&2; exit 3'" as a background process as broken, on a free port, with environment {"PORT": "\${broken.port}"}`));
  });

  it('attaches the output at the teardown when no step failed but a hook of the project did', () => {
    const scenario = run.scenario("a project's own After hook fails after the steps passed: the output is attached at the teardown");
    assert.deepEqual(scenario.steps.map((s) => s.status), ['PASSED']);
    const workspace = workspaceOf(scenario);
    assert.deepEqual(
      scenario.attachments.map((a) => [a.step, a.body.split('\n')[0]]),
      [
        [undefined, `daemon 'calm' stdout, 16 bytes, ${workspace}/calm.stdout; last lines:`],
        [undefined, `daemon 'calm' stderr, 0 bytes, ${workspace}/calm.stderr: empty`],
        [undefined, `combined log, ${workspace}/combined.log; last lines:`],
        [undefined, `workspace kept: ${workspace}`],
      ],
    );
  });

  it("shows the daemon's output and where all of it is in the failing step's message", () => {
    const scenario = run.scenario("the daemons' output and the combined log are attached when a scenario fails");
    const workspace = workspaceOf(scenario);
    const step = failedStep(scenario);
    assert.equal(step.text, 'daemon web stdout contains "ready"');
    assert.match(
      step.message!,
      new RegExp(
        `^AssertionError: daemon 'web' \\(sh -c 'echo listening; echo warning: disk almost full >&2; exec sleep 31841'\\): stdout does not contain the expected text\n` +
          `expected to contain: "ready"\n` +
          `actual: {3}"listening\\\\n"\n` +
          `\\(all of it: ${workspace}/web\\.stdout, 10 bytes\\)\n`,
      ),
    );
  });

  it('shows the exit status and the last lines of both streams when a daemon dies while it starts', () => {
    const scenario = run.scenario('a daemon that dies while it starts fails the step with its exit status and its output');
    const workspace = workspaceOf(scenario);
    const message = failedStep(scenario).message!;
    assert.match(
      message,
      /^DaemonExitedError: daemon 'broken' \(sh -c 'echo loading config\.toml; echo config\.toml: no such file >&2; exit 3'\) exited with code 3 after [\d.]+ s, before it was ready: it was waiting for port \d+ on 127\.0\.0\.1 to accept a connection/,
    );
    assert.ok(
      message.includes(
        `\nlast lines of stderr (${workspace}/broken.stderr):\n  | config.toml: no such file\n` +
          `last lines of stdout (${workspace}/broken.stdout):\n  | loading config.toml\n`,
      ),
      message,
    );
    assert.ok(scenario.attachments.some((a) => a.body === `daemon 'broken' stderr, 26 bytes, ${workspace}/broken.stderr; last lines:\nconfig.toml: no such file\n`));
  });

  it('attaches nothing to a scenario that passes', () => {
    const scenario = run.scenario('a scenario that passes attaches nothing');
    assert.deepEqual(
      scenario.steps.map((s) => s.status),
      ['PASSED', 'PASSED'],
    );
    assert.deepEqual(scenario.attachments, []);
  });

  it('says what is wrong with a port argument, and who holds a port that should be closed', () => {
    assert.match(
      failedStep(run.scenario('a port step given something that is not a port says so')).message!,
      /^DaemonStepsError: port 70000: '70000' is not a TCP port; write a number from 1 to 65535, or \$\{NAME\.port\} for a daemon's port\n/,
    );
    assert.match(
      failedStep(run.scenario('a port that should be closed but is open says so')).message!,
      /^AssertionError: port (\d+) on 127\.0\.0\.1 is open: pid \d+ \([^)]*tcp-listener\.py \1\) listens on it\n/,
    );
  });
});
