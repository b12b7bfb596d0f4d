import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browserProcesses, findChromium, renderPage } from './chromium.test.helper.js';
import { thisRun } from '../helpers/containment/marker.js';
import { pollUntil } from '../helpers/readiness/poll.js';
import { runFeature, type CucumberRun, type ScenarioReport } from './cucumber-run.test.helper.js';
import { showSize } from './report.js';

/** The workspace a failed scenario kept, as its report says. */
function workspaceOf(scenario: ScenarioReport): string {
  const kept = scenario.attachments.map((a) => /^workspace kept: (.+)$/.exec(a.body)?.[1]).find(Boolean);
  assert.ok(kept, `no "workspace kept" attachment in ${JSON.stringify(scenario.attachments)}`);
  return kept;
}

/** An attachment of output: its text (all the progress formatter prints of it) starts with its name. */
function named(name: string, output: string) {
  return { fileName: name, mediaType: 'text/plain', body: `${name}:\n${output}` };
}

/** A one-line attachment: its name says it all. */
function line(text: string) {
  return { fileName: text, mediaType: 'text/plain', body: text };
}

function failedStep(scenario: ScenarioReport) {
  const failed = scenario.steps.find((step) => step.status === 'FAILED');
  assert.ok(failed, `no failed step in ${JSON.stringify(scenario.steps)}`);
  return failed;
}

describe('the report of a failed scenario (cucumber-js on features/fixtures/failing-report.md)', () => {
  let run: CucumberRun;
  let reportDirectory: string;
  let htmlReport: string;
  before(async () => {
    reportDirectory = mkdtempSync(path.join(os.tmpdir(), 'html-report-'));
    htmlReport = path.join(reportDirectory, 'report.html');
    run = await runFeature('features/fixtures/failing-report.md', {
      htmlReport,
      args: ['--import', 'features/support/*.mjs', '--import', 'features/fixtures/failing-after-hook.mjs'],
    });
  });
  after(() => rmSync(reportDirectory, { recursive: true, force: true }));

  it('fails the run', () => {
    assert.equal(run.exitCode, 1, run.output);
  });

  it("attaches each daemon's stdout and stderr and the combined log as text named for what it is and how much of it is shown", () => {
    const scenario = run.scenario("the daemons' output and the combined log are attached when a scenario fails");
    const workspace = workspaceOf(scenario);
    const attachments = scenario.attachments.map(({ step: _, ...attachment }) => attachment);
    assert.deepEqual(attachments.slice(0, 4), [
      named('web stdout (1 line, 10 bytes)', 'listening\n'),
      named('web stderr (1 line, 26 bytes)', 'warning: disk almost full\n'),
      named('worker stdout (2 lines, 26 bytes)', 'caf\\xe9\nno newline at the end'),
      line('worker stderr: empty'),
    ]);
    // The two streams of web reach the combined log in either order.
    const combinedLines = ['[web] listening', '[web] warning: disk almost full', '[worker] caf\\xe9', '[worker] no newline at the end'];
    const combined = attachments[4]!;
    assert.equal(combined.fileName, `combined log (4 lines, ${Buffer.byteLength(combinedLines.join('\n') + '\n')} bytes)`);
    assert.equal(combined.mediaType, 'text/plain');
    const [title, ...lines] = combined.body.split('\n');
    assert.equal(title, `${combined.fileName}:`);
    assert.deepEqual(lines.sort(), ['', ...combinedLines].sort());
    assert.deepEqual(attachments[5], line(`workspace kept: ${workspace}`));
    assert.equal(attachments.length, 6);
  });

  it('names a long output by the lines it shows and the size of all of it', () => {
    const scenario = run.scenario('a daemon that printed much shows its last lines, named for how much there is');
    // `seq 1 1000` prints 3893 bytes; the combined log has 9 more on each line: 12893.
    const numbers = Array.from({ length: 1000 }, (_, i) => `${i + 1}\n`);
    assert.deepEqual(
      scenario.attachments.map(({ fileName, body }) => [fileName, body]),
      [
        ['chatty stdout (last 30 lines of 3.9 kB)', `chatty stdout (last 30 lines of 3.9 kB):\n${numbers.slice(-30).join('')}`],
        ['chatty stderr: empty', 'chatty stderr: empty'],
        ['combined log (last 30 lines of 12.9 kB)', `combined log (last 30 lines of 12.9 kB):\n${numbers.slice(-30).map((number) => `[chatty] ${number}`).join('')}`],
        [`workspace kept: ${workspaceOf(scenario)}`, `workspace kept: ${workspaceOf(scenario)}`],
      ],
    );
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
      scenario.attachments.map((a) => [a.step, a.fileName ?? a.body]),
      [
        [undefined, 'calm stdout (1 line, 16 bytes)'],
        [undefined, 'calm stderr: empty'],
        [undefined, 'combined log (1 line, 23 bytes)'],
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
    assert.ok(scenario.attachments.some((a) => a.fileName === 'broken stderr (1 line, 26 bytes)' && a.body === 'broken stderr (1 line, 26 bytes):\nconfig.toml: no such file\n'));
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

  it('shows those names in the HTML report, under the error of the step that failed (rendered in headless Chromium)', async (t) => {
    const chromium = findChromium();
    if (!chromium) {
      t.skip("no chromium on PATH (Debian: apt-get install chromium, as .ci/run does): the names were checked in the report's messages only");
      return;
    }
    const marker = `${thisRun.runId}:chromium-${randomBytes(3).toString('hex')}`;
    const { lines, summaries } = await renderPage(chromium, htmlReport, { marker });
    assert.deepEqual(browserProcesses(marker), [], 'no process of the browser is left');
    assert.ok(summaries.includes('chatty stdout (last 30 lines of 3.9 kB)'), summaries.join('\n'));
    assert.deepEqual(summaries.filter((summary) => summary.startsWith('Attached ')), []);
    // A hook's attachments sit behind the report's "hooks" fold; a failed step's are shown with it.
    for (const scenario of run.scenarios.filter((s) => s.steps.some((step) => step.status === 'FAILED'))) {
      const error = failedStep(scenario).message!.split('\n')[0]!;
      let at = lines.indexOf(error);
      assert.ok(at >= 0, `the error of '${scenario.name}' is not on the page:\n${lines.join('\n')}`);
      for (const name of scenario.attachments.map((a) => a.fileName!)) {
        assert.ok(summaries.includes(name), `'${name}' is not the title of a folded attachment: ${JSON.stringify(summaries)}`);
        const next = lines.indexOf(name, at + 1);
        assert.ok(next > at, `'${name}' is not shown after the error of '${scenario.name}':\n${lines.slice(at).join('\n')}`);
        at = next;
      }
    }
  });
});

describe('rendering a page in headless Chromium', () => {
  it('ends the whole browser, renderer and zygote processes included, when it does not finish in time', async (t) => {
    const chromium = findChromium();
    if (!chromium) {
      t.skip('no chromium on PATH (Debian: apt-get install chromium, as .ci/run does)');
      return;
    }
    const directory = mkdtempSync(path.join(os.tmpdir(), 'hanging-page-'));
    try {
      // Its renderer never finishes the page, so the browser never dumps it: only the timeout ends this.
      const page = path.join(directory, 'hangs.html');
      writeFileSync(page, '<html><body><p>never shown</p><script>for (;;) {}</script></body></html>');
      const marker = `${thisRun.runId}:chromium-${randomBytes(3).toString('hex')}`;
      const rendering = renderPage(chromium, page, { marker, timeoutMs: 10_000 });
      rendering.catch(() => undefined);
      // The family the timeout has to end: a renderer besides the browser's main process.
      const renderer = await pollUntil(() => browserProcesses(marker).find((each) => each.includes('--type=renderer')), { timeoutMs: 10_000 });
      await assert.rejects(rendering, (error: Error) => {
        assert.equal(error.message.split('\n')[0], `${chromium} did not render ${page} within 10 s; all of it was ended`);
        return true;
      });
      assert.ok(renderer, 'a renderer process ran before the timeout');
      assert.deepEqual(browserProcesses(marker), [], 'no process of the browser is left');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the report of a failed scenario whose workspace is not kept (keepWorkspace: never)', () => {
  it('says so last, and how to keep it', async () => {
    const run = await runFeature('features/fixtures/failing-report.md', {
      args: ['--import', 'features/support/*.mjs', '--name', 'a daemon that printed much'],
      env: { DAEMON_STEPS_KEEP_WORKSPACE: 'never' },
    });
    const scenario = run.scenario('a daemon that printed much shows its last lines, named for how much there is');
    assert.deepEqual(scenario.attachments.at(-1), {
      ...line("workspace removed with the scenario (set keepWorkspace to keep it, with each daemon's NAME.stdout, NAME.stderr and combined.log)"),
      step: 'daemon chatty stdout contains "one thousand"',
    });
    assert.deepEqual(
      scenario.attachments.map((a) => a.fileName),
      ['chatty stdout (last 30 lines of 3.9 kB)', 'chatty stderr: empty', 'combined log (last 30 lines of 12.9 kB)', scenario.attachments.at(-1)!.fileName],
    );
  });
});

describe('showSize', () => {
  it('says bytes below a kilobyte and one decimal of kB, MB, GB above', () => {
    assert.deepEqual(
      [0, 1, 999, 1000, 4100, 12_893, 999_949, 999_950, 3_200_000, 7_000_000_000].map(showSize),
      ['0 bytes', '1 byte', '999 bytes', '1.0 kB', '4.1 kB', '12.9 kB', '999.9 kB', '1.0 MB', '3.2 MB', '7.0 GB'],
    );
  });
});
