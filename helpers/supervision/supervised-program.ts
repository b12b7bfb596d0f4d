import { LineWriter } from '../output/combined-log.js';
import { GaveUpRestartingError, InvalidArgumentError, formatSeconds } from '../errors.js';
import { describeExit, type ExitRecord } from '../process/exit.js';
import { Lifecycle, type LifecycleEvent, type SupervisedState } from '../process/lifecycle.js';
import { CoalescedStop } from '../process/coalesced-stop.js';
import type { PooledPort } from '../ports/port-pool.js';
import { BackOff, type RestartPolicy } from './restart-policy.js';
import type { LaunchedProcess, LaunchRequest, ProcessInfo, ProgramOptions, SupervisorOptions } from './launch.js';
import { isValidName, NAME_RULE } from '../names.js';
import { replacePlaceholders } from '../placeholders.js';

/** Everything the supervisor keeps about one added process. */
export interface Program {
  readonly name: string;
  readonly request: LaunchRequest;
  readonly backOff: BackOff;
  readonly pooledPort: PooledPort | undefined;
  /** The one writer of its state, told by the supervisor what happens. */
  readonly lifecycle: Lifecycle<SupervisedState, LifecycleEvent>;
  process: LaunchedProcess | undefined;
  processEnded: boolean;
  startedAt: number;
  launches: number;
  restarts: number;
  /** False once stopped (by anyone): an exit is then not followed by a restart. */
  wantRunning: boolean;
  pendingRestart: AbortController | undefined;
  /** While a launcher is spawning a process for it (not while that process gets ready). */
  spawning: Promise<unknown> | undefined;
  readonly stopping: CoalescedStop<void>;
  /** Why it is FATAL. */
  fatal: Error | undefined;
}

/** A program as added: `${NAME.port}` in its argv and env written as its port; DESTROYED until `added`. */
export function newProgram(
  name: string,
  options: ProgramOptions,
  policy: RestartPolicy,
  pooledPort: PooledPort | undefined,
  onChange: (state: SupervisedState, previous: SupervisedState, event: LifecycleEvent) => void,
): Program {
  const port = pooledPort?.port ?? (typeof options.port === 'number' ? options.port : undefined);
  const expand = (text: string) =>
    port === undefined ? text : replacePlaceholders(text, (p) => (p.kind === 'daemon' && p.name === name && p.field === 'port' ? String(port) : p.whole));
  return {
    name,
    request: {
      name,
      argv: options.argv.map(expand),
      env: Object.fromEntries(Object.entries(options.env ?? {}).map(([key, value]) => [key, expand(value)])),
      cwd: options.cwd,
      port,
    },
    backOff: new BackOff(policy),
    pooledPort,
    lifecycle: new Lifecycle<SupervisedState, LifecycleEvent>('DESTROYED', onChange),
    process: undefined,
    processEnded: true,
    startedAt: 0,
    launches: 0,
    restarts: 0,
    wantRunning: false,
    pendingRestart: undefined,
    spawning: undefined,
    stopping: new CoalescedStop<void>(),
    fatal: undefined,
  };
}

/** Every output line of the process to the log, as `[NAME] line`. */
export function logOutput(name: string, handle: LaunchedProcess, log: NonNullable<SupervisorOptions['log']>): void {
  // The writer hands on whole prefixed lines, valid UTF-8 (other bytes escaped), each ending in \n.
  const writeLines = log.writeLines
    ? (bytes: Buffer) => log.writeLines!(bytes)
    : (bytes: Buffer) => {
        for (const line of bytes.toString('utf8').split('\n').slice(0, -1)) log.writeLine(line);
      };
  const writers = {
    stdout: new LineWriter(`[${name}] `, writeLines),
    stderr: new LineWriter(`[${name}] `, writeLines),
  };
  handle.onOutput((stream, chunk) => (chunk === null ? writers[stream].flush() : writers[stream].write(chunk)));
}

export function gaveUpError(program: Program, handle: LaunchedProcess, quickDeaths: number, exit: ExitRecord): GaveUpRestartingError {
  const { thresholdMs } = program.backOff.policy;
  return new GaveUpRestartingError(
    `gave up restarting '${program.name}' (${program.request.argv.join(' ')}): it died ${quickDeaths} times in a row, ` +
      `each sooner than ${formatSeconds(thresholdMs)} after its start; the last time it ${describeExit(exit)}`,
    { daemon: { name: program.name, pid: handle.pid }, exit, output: handle.tails?.() },
  );
}

/** One line of `list()`. */
export function describeProgram(program: Program): ProcessInfo {
  return {
    name: program.name,
    pid: program.process && !program.processEnded ? program.process.pid : undefined,
    state: program.lifecycle.state,
    port: program.request.port,
    restarts: program.restarts,
  };
}

export function checkArgv(name: string, argv: string[]): void {
  if (argv.length === 0 || argv[0] === '') {
    throw new InvalidArgumentError(`process '${name}': argv is empty; give the program to run, e.g. ['./server.py', '8080']`);
  }
}


export function checkName(name: string): void {
  if (name === '') throw new InvalidArgumentError("empty process name: give each process a name of letters, digits, '_', '.' or '-'");
  if (!isValidName(name)) {
    throw new InvalidArgumentError(`process name '${name}' may contain only ${NAME_RULE}`);
  }
}
