import { PidFileError } from '../errors.js';
import { wording } from '../remedies.js';
import { ownerOf, readCommandLine, readProcStat, startedAtMs, threadGroupOf } from '../containment/proc.js';
import { readRegularFile, type RegularFileRead } from '../workspace/regular-file.js';
import type { AdoptedIdentity, AdoptRequest } from './adopted.js';

/** What a look at a pid file found: who to adopt, or why not yet. */
export type PidFileLook = { identity: Omit<AdoptedIdentity, 'clock'> } | { why: string };

/** Wall-clock slack between a pid file's modification time and the start time of the process it names. */
const STALE_SLACK_MS = 1000;

/** Pids that are never ours to adopt, whatever a pid file says: a thread, another user's process. */
function refuseStrangers(request: AdoptRequest, shown: string, pid: number, lineage: Set<number>): void {
  const refuse = (why: string) => {
    throw new PidFileError(`cannot adopt '${request.name}': ${shown} names pid ${pid}, ${why}`, { daemon: { name: request.name } });
  };
  const process = threadGroupOf(pid);
  if (process !== undefined && process !== pid) {
    refuse(
      lineage.has(process)
        ? `which is a thread of the test runner (pid ${process}), not a process; daemon-steps will not adopt (and later stop) that`
        : `which is a thread of process ${process} (${readCommandLine(process) || 'no command line'}), not a process; a pid file names a process`,
    );
  }
  const uid = globalThis.process.getuid?.();
  const owner = ownerOf(pid);
  if (uid !== undefined && owner !== undefined && owner !== uid) {
    refuse(`which belongs to another user (uid ${owner}, not ${uid}); daemon-steps adopts only processes of the user that runs the tests`);
  }
}

/** Reads the pid file; throws where waiting cannot help (not a regular file, a pid never ours to adopt). */
export function readPidFile(request: AdoptRequest, lineage: Set<number>): PidFileLook {
  const shown = `the pid file ${request.shownAs}`;
  let read: RegularFileRead;
  try {
    // A pid file may be a link the project set up; what it leads to must be a regular file.
    read = readRegularFile(request.pidFile, { followLink: true });
  } catch {
    read = { kind: 'missing' };
  }
  if (read.kind === 'missing') return { why: `${shown} does not exist (looked for ${request.pidFile}); start the daemon that writes it first` };
  if (read.kind === 'not-regular') {
    // Waiting cannot help, and reading a FIFO would block until someone writes to it.
    throw new PidFileError(
      `cannot adopt '${request.name}': ${shown} (${request.pidFile}) is not a regular file but ${read.what}; ` +
        'name the file the daemon writes its process id to',
      { daemon: { name: request.name } },
    );
  }
  const writtenAtMs = read.mtimeMs;
  const written = read.text.trim();
  if (written === '') return { why: `${shown} is empty` };
  if (!/^\d+$/.test(written)) return { why: `${shown} holds "${written.slice(0, 40)}", which is not a process id` };
  const pid = Number(written);
  if (lineage.has(pid)) {
    throw new PidFileError(
      `cannot adopt '${request.name}': ${shown} names pid ${pid}, which is the test runner or one of its parents; daemon-steps will not adopt (and later stop) that`,
      { daemon: { name: request.name } },
    );
  }
  const stat = readProcStat(pid);
  if (!stat) return { why: `${shown} names pid ${pid}, which is not running` };
  if (stat.state === 'Z' || stat.state === 'X') return { why: `${shown} names pid ${pid}, which has exited (a zombie not yet reaped)` };
  refuseStrangers(request, shown, pid, lineage);
  if (request.notStartedBefore !== undefined && stat.startTime < request.notStartedBefore - 1) {
    return {
      why: `${shown} names pid ${pid} (${readCommandLine(pid) || 'no command line'}), which was running before this ${wording().scope} began: ` +
        `daemon-steps adopts only a process the ${wording().scope} started`,
    };
  }
  // A process exists before its pid can be written: one that started later holds a reused pid.
  const startedAt = startedAtMs(stat);
  if (startedAt !== undefined && startedAt > writtenAtMs + STALE_SLACK_MS) {
    return {
      why: `${shown} names pid ${pid}, but that process (${readCommandLine(pid) || 'no command line'}) started after the file was written: ` +
        'the file is stale and the pid now belongs to another process',
    };
  }
  return { identity: { name: request.name, pid, startTime: stat.startTime, source: request.shownAs, leadsGroup: stat.pgrp === pid } };
}
