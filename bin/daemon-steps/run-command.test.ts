/**
 * `daemon-steps run FILE -- CMD` killed by SIGKILL: CMD is a process of the run, so the watchdog
 * ends it, what it started (a child that called setsid) and the services — under either containment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { containmentInUse } from '../../helpers/containment/containment.js';
import { isAlive, readProcStat, signalIfSame } from '../../helpers/containment/proc.js';
import { pollUntil } from '../../helpers/readiness/poll.js';

const command = fileURLToPath(new URL('../daemon-steps.js', import.meta.url));
const directory = mkdtempSync(path.join(os.tmpdir(), 'run-command-test-'));
const started: Array<{ pid: number; startTime: number }> = [];
after(() => {
  // Whatever a failed case left is ended here, start time checked.
  for (const each of started) signalIfSame(each.pid, each.startTime, 'SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

const withCgroups = containmentInUse('auto');

/** The watchdog's grace (1 s) and the look after it, with room for a loaded machine. */
const NOTHING_LEFT_WITHIN_MS = 3000;

// CMD: a script that starts a child in a session of its own (which ignores SIGTERM), says the pids
// once that child runs, and waits on a fifo that nobody writes.
const CMD = `#!/bin/sh
mkfifo ready hold
setsid sh -c 'trap "" TERM; echo $$ > ready; exec sleep 3002' &
read child < ready
echo "$$ $child $DAEMON_STEPS_IDLE_PID"
read never < hold
`;

describe('daemon-steps run FILE -- CMD, once CMD has ended', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  for (const containment of ['cgroup', 'process-group'] as const) {
    const skip = containment === 'cgroup' && withCgroups.kind !== 'cgroup' && `this runner may not create cgroups: ${withCgroups.reason}`;
    it(`ends what CMD left running, a child in a session of its own included, and says so (containment ${containment})`, { skip, timeout: 60_000 }, async () => {
      const here = mkdtempSync(path.join(directory, `leftover-${containment}-`));
      writeFileSync(path.join(here, 'services.json'), JSON.stringify({ services: { idle: { command: 'sleep 3001' } } }));
      writeFileSync(path.join(here, 'cmd.sh'), `#!/bin/sh\nmkfifo ready\nsetsid sh -c 'echo $$ > ready; exec sleep 3004' &\nread child < ready\necho $child\n`);
      chmodSync(path.join(here, 'cmd.sh'), 0o755);
      const run = spawn(process.execPath, [command, 'run', 'services.json', '--', './cmd.sh'], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: here, DAEMON_STEPS_CONTAINMENT: containment } });
      let stdout = '';
      let stderr = '';
      run.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(run, 'exit')) as [number | null];
      const child = Number(stdout.trim());
      started.push({ pid: child, startTime: readProcStat(child)?.startTime ?? 0 });
      assert.equal(code, 0, stderr);
      // daemon-steps run has ended: it waited for what it ended (seen before or after its exec of sleep).
      assert.equal(isAlive(child), false, `CMD's child (pid ${child}) is still running`);
      assert.match(stderr, new RegExp(`\\ndaemon-steps: ended what \\./cmd\\.sh left running: 1 process: ${child} \\([^)]*sleep 3004\\)\\n`));
    });
  }
});

describe('daemon-steps run FILE -- CMD killed by SIGKILL', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  for (const containment of ['cgroup', 'process-group'] as const) {
    const skip = containment === 'cgroup' && withCgroups.kind !== 'cgroup' && `this runner may not create cgroups: ${withCgroups.reason}`;
    it(`leaves neither CMD, nor the child it moved to a session of its own, nor the services (containment ${containment})`, { skip, timeout: 60_000 }, async () => {
      const here = mkdtempSync(path.join(directory, `${containment}-`));
      writeFileSync(path.join(here, 'services.json'), JSON.stringify({ services: { idle: { command: 'sleep 3001' } } }));
      writeFileSync(path.join(here, 'cmd.sh'), CMD);
      chmodSync(path.join(here, 'cmd.sh'), 0o755);
      const run = spawn(process.execPath, [command, 'run', 'services.json', '--', './cmd.sh'], {
        cwd: here,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own temporary directory: a run killed by SIGKILL cannot remove its workspace.
        env: { ...process.env, TMPDIR: here, DAEMON_STEPS_CONTAINMENT: containment },
      });
      const exited = once(run, 'exit');
      let stderr = '';
      run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const line = await Promise.race([
        once(createInterface({ input: run.stdout! }), 'line').then(([first]) => first as string),
        exited.then(([code, signal]) => assert.fail(`daemon-steps run ended (${code ?? signal}) before CMD said its pids:\n${stderr}`)),
      ]);
      const [cmd, child, service] = line.split(' ').map(Number) as [number, number, number];
      const processes = [
        { what: 'CMD', pid: cmd },
        { what: "CMD's child in its own session", pid: child },
        { what: 'the service', pid: service },
      ].map((each) => ({ ...each, startTime: readProcStat(each.pid)!.startTime }));
      started.push(...processes);
      assert.equal(readProcStat(child)!.pgrp, child, "CMD's child left CMD's process group");

      run.kill('SIGKILL');
      await exited;
      const left = () => processes.filter((each) => isAlive(each.pid, each.startTime));
      const gone = await pollUntil(() => left().length === 0 || undefined, { timeoutMs: NOTHING_LEFT_WITHIN_MS });
      assert.ok(gone, `${NOTHING_LEFT_WITHIN_MS} ms after the SIGKILL still running: ${left().map((each) => `${each.what} (pid ${each.pid})`).join(', ')}\n${stderr}`);
    });
  }
});
