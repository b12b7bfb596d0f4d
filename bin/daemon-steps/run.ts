import path from 'node:path';
import { resolveConfig } from '../../helpers/config.js';
import { DaemonStepsError, ServicesFileError } from '../../helpers/errors.js';
import { cgroupForDaemon, cgroupOfScope } from '../../helpers/containment/containment.js';
import { describeMembers } from '../../helpers/containment/leftovers.js';
import { daemonMarker, newScopeMarker } from '../../helpers/containment/marker.js';
import { ensureReaper } from '../../helpers/containment/reaper.js';
import { exportLine, shellQuote } from '../../helpers/services/service-variables.js';
import { loadServicesFile } from '../../helpers/services/services-file.js';
import { ServicesRun } from '../../helpers/services/services-run.js';
import { EXIT, exitCodeForSignal } from './exit-codes.js';
import { Log } from './log.js';
import { reportProgress } from './progress.js';
import { runCommand, whyNotRunnable } from './run-command.js';

/** What a daemonized control process tells the command that started it, over their IPC channel. */
export type ControlMessage = { kind: 'log'; text: string } | { kind: 'ready'; lines: string } | { kind: 'failed'; exitCode: number };

export interface RunOptions {
  quiet: boolean;
  /** This process is the control process of `run --daemonize`: it reports to its caller over IPC. */
  control: boolean;
  /** `run FILE -- CMD ARGS…`: run this with the services' variables, then stop them and exit with its status. */
  command?: string[];
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `daemon-steps run FILE`: starts the services, prints the lines for eval, waits for SIGINT or
 * SIGTERM (SIGHUP too: the terminal went away), stops them all. Resolves with the exit code.
 */
export async function runServices(file: string, options: RunOptions): Promise<number> {
  const log = new Log(options.quiet);
  if (options.control) {
    // The caller goes away once the services are ready: its end of stderr closes then.
    process.stderr.on('error', () => undefined);
  }
  const report = (message: ControlMessage) => {
    if (options.control && process.connected) process.send?.(message);
  };
  // Through the same channel as the outcome, so that no line arrives after it.
  if (options.control) log.forwardTo((text) => report({ kind: 'log', text }));

  let config;
  try {
    config = resolveConfig();
  } catch (error) {
    if (!(error instanceof DaemonStepsError)) throw error;
    log.error(`daemon-steps: ${error.message}`);
    report({ kind: 'failed', exitCode: EXIT.usage });
    return EXIT.usage;
  }

  let services;
  try {
    services = loadServicesFile(file);
  } catch (error) {
    if (!(error instanceof ServicesFileError)) throw error;
    log.error(`daemon-steps: ${error.message}`);
    report({ kind: 'failed', exitCode: EXIT.badServicesFile });
    return EXIT.badServicesFile;
  }
  const unrunnable = options.command && whyNotRunnable(options.command[0]!, process.cwd(), process.env.PATH);
  if (unrunnable) {
    log.error(`daemon-steps: cannot run ${options.command![0]}: ${unrunnable.why}; no service was started`);
    return unrunnable.code;
  }

  // This process owns the services: however it ends — even by SIGKILL — its watchdog ends them.
  const reaper = ensureReaper();
  const stopSignal = firstStopSignal();
  const interrupted = new AbortController();
  void stopSignal.then((signal) => interrupted.abort(signal));
  // A daemonized control process whose caller died before the services were ready has nobody to report to.
  const callerGone = () => interrupted.abort('SIGHUP');
  if (options.control) process.once('disconnect', callerGone);

  let run: ServicesRun;
  try {
    run = await ServicesRun.start(services, { config, onProgress: reportProgress(log), signal: interrupted.signal });
  } catch (error) {
    await reaper?.release();
    if (interrupted.signal.aborted && error === interrupted.signal.reason) {
      const signal = interrupted.signal.reason as NodeJS.Signals;
      log.error(`daemon-steps: interrupted by ${signal} while the services were starting; stopped everything, nothing is left running`);
      report({ kind: 'failed', exitCode: exitCodeForSignal(signal) });
      return exitCodeForSignal(signal);
    }
    if (!(error instanceof DaemonStepsError)) throw error;
    log.error(`daemon-steps: ${error.message}`);
    log.error('daemon-steps: stopped the services that had started; nothing is left running');
    report({ kind: 'failed', exitCode: EXIT.serviceFailed });
    return EXIT.serviceFailed;
  }
  process.off('disconnect', callerGone);

  if (options.command) return runCommandWithServices(options.command, run, log, reaper);

  const lines = run.variables().map(([name, value]) => `${exportLine(name, value)}\n`).join('');
  const count = `${services.services.length} service${services.services.length === 1 ? '' : 's'}`;
  if (options.control) {
    log.info(`daemon-steps: ${count} running; stop them with: kill ${process.pid}   (or: eval "$(daemon-steps stop)")`);
    report({ kind: 'ready', lines });
    log.redirect(path.join(run.scope.workspace, 'control.log'));
  } else {
    // Progress first: whoever has read the lines for eval has seen all of it.
    log.info(`daemon-steps: ${count} running; Ctrl-C (or kill ${process.pid}) stops them`);
    await writeStdout(lines);
  }

  // Signal handlers do not keep a process alive; the services' processes do — until they all end by themselves.
  const waiting = setInterval(() => undefined, 1 << 30);
  const signal = await stopSignal;
  clearInterval(waiting);
  log.info(`daemon-steps: received ${signal}`);
  try {
    const { keptDirectory } = await run.stop();
    if (keptDirectory) log.error(`daemon-steps: a service ended by itself while it was meant to run; its output is kept in ${keptDirectory}`);
  } catch (error) {
    log.error(`daemon-steps: ${(error as Error).message}`);
    return EXIT.serviceFailed;
  } finally {
    // Whatever the stop could not end, the watchdog ends now; then it exits.
    await reaper?.release();
  }
  return EXIT.ok;
}

/**
 * `run FILE -- CMD`: runs CMD with the services' variables, passing on the signals this process
 * receives; once it ends, stops the services and resolves with its exit status (128 + the signal
 * that ended it), as start-server-and-test does for one server.
 */
async function runCommandWithServices(argv: string[], run: ServicesRun, log: Log, reaper: ReturnType<typeof ensureReaper>): Promise<number> {
  const count = `${run.file.services.length} service${run.file.services.length === 1 ? '' : 's'}`;
  log.info(`daemon-steps: ${count} running; running ${argv.map(shellQuote).join(' ')}`);
  const config = run.scope.config;
  const scope = newScopeMarker('command');
  const marker = daemonMarker(scope, path.basename(argv[0]!));
  let command;
  try {
    command = await runCommand(argv, { ...process.env, ...Object.fromEntries(run.variables()) }, { marker, cgroup: cgroupForDaemon(config.containment, marker) });
  } catch (error) {
    log.error(`daemon-steps: cannot run ${argv[0]}: ${(error as Error).message}`);
    await stopServices(run, log, reaper);
    return EXIT.serviceFailed;
  }
  const forward = (signal: NodeJS.Signals) => {
    log.info(`daemon-steps: received ${signal}; passing it on to ${argv[0]}`);
    command.forward(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  const outcome = await command.outcome;
  for (const signal of STOP_SIGNALS) process.off(signal, forward);
  if (outcome.kind === 'not started') log.error(`daemon-steps: cannot run ${argv[0]}: ${outcome.why}`);
  else log.info(`daemon-steps: ${argv[0]} ${outcome.signal ? `was ended by ${outcome.signal}` : `exited with code ${outcome.code}`}`);
  // What CMD left running goes with the services, at the same time.
  const leftovers = command.endLeftovers(config.stopGraceMs).then(
    (ended) => {
      if (ended.length > 0) log.info(`daemon-steps: ended what ${argv[0]} left running: ${describeMembers(ended)}`);
      cgroupOfScope(scope)?.remove();
    },
    (error: Error) => log.error(`daemon-steps: ${error.message}`),
  );
  const stopped = await stopServices(run, log, reaper, leftovers);
  return stopped || outcome.code !== 0 ? outcome.code : EXIT.serviceFailed;
}

/** Stops the services (and awaits `alongside`), then releases the watchdog; false when the stop failed. */
async function stopServices(run: ServicesRun, log: Log, reaper: ReturnType<typeof ensureReaper>, alongside?: Promise<void>): Promise<boolean> {
  try {
    const { keptDirectory } = await run.stop();
    if (keptDirectory) log.error(`daemon-steps: a service ended by itself while it was meant to run; its output is kept in ${keptDirectory}`);
    return true;
  } catch (error) {
    log.error(`daemon-steps: ${(error as Error).message}`);
    return false;
  } finally {
    await alongside;
    await reaper?.release();
  }
}

/**
 * Resolves with the first of SIGINT, SIGTERM or SIGHUP. The handlers stay: a second Ctrl-C must
 * not kill this process while it stops the services.
 */
function firstStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of STOP_SIGNALS) process.on(signal, resolve);
  });
}

export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') resolve();
    else process.stdout.write(text, () => resolve());
  });
}
