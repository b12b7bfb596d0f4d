import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Daemon } from './daemon.js';
import {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  waitForAnyOutput,
  waitForOutput,
} from './expect-output.js';
import { newScopeMarker } from './marker.js';

let dir: string;
const marker = newScopeMarker('expect-output-test');
const daemons: Daemon[] = [];
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'expect-output-test-'));
});
after(async () => {
  await Promise.all(daemons.map((d) => d.stop({ graceMs: 1000 })));
  for (const d of daemons) d.closeFiles();
  rmSync(dir, { recursive: true, force: true });
});

async function start(name: string, script: string): Promise<Daemon> {
  const daemon = await Daemon.spawn({
    name,
    commandLine: script,
    argv: ['sh', '-c', script],
    cwd: dir,
    outputDirectory: dir,
    marker: `${marker}/${name}`,
  });
  daemons.push(daemon);
  return daemon;
}

async function run(name: string, script: string): Promise<Daemon> {
  const daemon = await start(name, script);
  await daemon.waitForExit(5000);
  return daemon;
}

/** Messages name the output directory; tests compare them with it written as DIR. */
function message(error: unknown): string {
  return (error as Error).message.replaceAll(dir, 'DIR');
}

describe('output expectations', () => {
  it('pass when the output is as expected', async () => {
    const printer = await run('printer', 'printf "one\\ntwo\\n"; printf "\\377" >&2');
    await expectOutputIs(printer, 'stdout', Buffer.from('one\ntwo\n'));
    await expectOutputIs(printer, 'stderr', Buffer.from([0xff]));
    await expectOutputContains(printer, 'stdout', Buffer.from('two'));
    await expectOutputContains(printer, 'stdout', Buffer.from('three'), false);
    await expectOutputMatches(printer, 'stdout', '^one\\ntw.\\n$');
    const quiet = await run('quiet', 'true');
    await expectOutputEmpty(quiet, 'stdout');
  });

  it('show the expected text, the actual output, and where all of it is', async () => {
    const printer = await run('printer2', 'printf "one\\ntwo\\n"');
    await assert.rejects(expectOutputIs(printer, 'stdout', Buffer.from('one\n')), (error) => {
      assert.equal(
        message(error),
        `daemon 'printer2' (printf "one\\ntwo\\n"): stdout is not as expected\nexpected: "one\\n"\nactual:   "one\\ntwo\\n"\n(all of it: DIR/printer2.stdout, 8 bytes)`,
      );
      return true;
    });
    await assert.rejects(expectOutputContains(printer, 'stdout', Buffer.from('three')), (error) => {
      assert.equal(
        message(error),
        `daemon 'printer2' (printf "one\\ntwo\\n"): stdout does not contain the expected text\nexpected to contain: "three"\nactual:   "one\\ntwo\\n"\n(all of it: DIR/printer2.stdout, 8 bytes)`,
      );
      return true;
    });
    await assert.rejects(expectOutputContains(printer, 'stdout', Buffer.from('two'), false), (error) => {
      assert.match(message(error), /: stdout contains text it should not\nexpected not to contain: "two"\n/);
      return true;
    });
    await assert.rejects(expectOutputMatches(printer, 'stdout', '^two'), (error) => {
      assert.match(message(error), /: stdout does not match\nexpected to match: \/\^two\/\nactual: {3}"one\\ntwo\\n"\n/);
      return true;
    });
    await assert.rejects(expectOutputEmpty(printer, 'stdout'), (error) => {
      assert.match(message(error), /: stdout is not empty\nactual: {3}"one\\ntwo\\n"\n/);
      return true;
    });
    await assert.rejects(expectOutputMatches(printer, 'stdout', '(unclosed'), {
      message: 'matches "(unclosed": not a valid regular expression: Invalid regular expression: /(unclosed/: Unterminated group',
    });
  });

  it('show only the tail of a long output', async () => {
    const chatty = await run('chatty', 'seq 1 2000');
    await assert.rejects(expectOutputIs(chatty, 'stdout', Buffer.from('1\n')), (error) => {
      const text = message(error);
      assert.match(text, /\nactual \(last 2000 of 8893 bytes\): …"[\d\\n]+1999\\n2000\\n"\n\(all of it: DIR\/chatty.stdout, 8893 bytes\)$/);
      assert.doesNotMatch(text, /"1\\n2\\n/);
      return true;
    });
  });
});

describe('waiting for output', () => {
  it('sees text as it arrives, on either stream', async () => {
    const talker = await start('talker', 'sleep 0.1; echo hello >&2; exec sleep 30');
    await waitForOutput(talker, 'output', Buffer.from('hello'), 5000);
  });

  it('fails at once when the daemon exits without printing the text', async () => {
    const quitter = await start('quitter', 'echo bye; exit 3');
    await assert.rejects(waitForOutput(quitter, 'stdout', Buffer.from('ready'), 3_600_000), (error) => {
      assert.equal(
        message(error),
        `daemon 'quitter' (echo bye; exit 3) exited with code 3 without its stdout containing "ready"\n` +
          'stderr (DIR/quitter.stderr): empty\nlast lines of stdout (DIR/quitter.stdout):\n  | bye',
      );
      return true;
    });
  });

  it('says how long it waited, and that the daemon still runs', async () => {
    const sleeper = await start('sleeper', 'exec sleep 30');
    await assert.rejects(waitForOutput(sleeper, 'stderr', Buffer.from('never'), 100), (error) => {
      assert.equal(
        message(error).split('\n')[0],
        `daemon 'sleeper' (exec sleep 30): waited 0.1 s for stderr to contain "never", in vain; it is still running (pid ${sleeper.pid})`,
      );
      return true;
    });
  });

  it('waits for any output to settle, and fails when a daemon exits without any', async () => {
    const chatty = await start('settling', 'sleep 0.1; echo a; exec sleep 30');
    await waitForAnyOutput(chatty, 5000, 50);
    assert.equal(chatty.stdout.read().toString(), 'a\n');
    const silent = await start('silent', 'exit 0');
    await assert.rejects(waitForAnyOutput(silent, 5000), (error) => {
      assert.equal(message(error).split('\n')[0], `daemon 'silent' (exit 0) exited with code 0 without any output`);
      return true;
    });
  });
});
