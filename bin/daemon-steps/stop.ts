import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../../helpers/config.js';
import { SharedServiceError, formatSeconds } from '../../helpers/errors.js';
import { isAlive, readCommandLine, readProcStat } from '../../helpers/containment/proc.js';
import { CONTROL_PID_VARIABLE, SETTINGS_VARIABLE, isServicesVariable, unsetLine } from '../../helpers/services/service-variables.js';
import { readSettingsFile, type ServicesSettings } from '../../helpers/services/services-settings.js';
import { terminate } from '../../helpers/containment/terminate.js';
import { EXIT } from './exit-codes.js';
import { Log } from './log.js';
import { writeStdout } from './run.js';

/**
 * `daemon-steps stop`: ends the control process the environment names — which stops its services
 * and removes its files — makes sure nothing of it is left, and prints `unset` lines for eval.
 */
export async function stopServices(env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const log = new Log(quiet);
  const pidText = env[CONTROL_PID_VARIABLE];
  const settingsFile = env[SETTINGS_VARIABLE];
  const named = Object.keys(env).filter(isServicesVariable).sort();
  if (pidText === undefined || pidText === '') {
    log.error(
      `daemon-steps stop: nothing to stop: ${CONTROL_PID_VARIABLE} is not set in this environment ` +
        `(eval "$(daemon-steps run FILE --daemonize)" sets it)`,
    );
    if (named.length > 0) await writeStdout(named.map((name) => `${unsetLine(name)}\n`).join(''));
    return EXIT.nothingToStop;
  }
  const settings = readSettings(settingsFile);
  const unset = [...new Set([...named, ...Object.keys(settings?.variables ?? {})])].sort();
  const controlPid = Number(pidText);
  const control = identifyControl(controlPid, settings);
  let failed = false;

  if (control === 'stranger') {
    log.error(
      `daemon-steps stop: ${CONTROL_PID_VARIABLE}=${pidText} names pid ${pidText}, which is not the control process of a daemon-steps run ` +
        `(it is: ${readCommandLine(controlPid) || 'unknown'}); it was left alone`,
    );
  } else if (control === 'gone') {
    log.info(`daemon-steps: the control process (pid ${pidText}) had already ended`);
  } else {
    const graceMs = resolveConfig().stopGraceMs;
    // The control process stops its services within their grace; give it that and a little more.
    const outcome = await terminate({ pid: control.pid, startTime: control.startTime }, { graceMs: graceMs + 5000 });
    if (outcome.forced) log.error(`daemon-steps stop: the control process (pid ${control.pid}) did not stop within ${formatSeconds(graceMs + 5000)}; it was killed`);
    else log.info(`daemon-steps: stopped the control process (pid ${control.pid}) after ${formatSeconds(Math.round(outcome.elapsedMs))}`);
  }

  // Whatever the control process could not stop (it was killed, or had died): ended here.
  if (settings && control !== 'stranger') {
    const survivors = Object.entries(settings.services).filter(([, service]) => isAlive(service.pid, service.startTime));
    const outcomes = await Promise.all(
      survivors.map(([, service]) =>
        terminate({ pid: service.pid, startTime: service.startTime, pgid: readProcStat(service.pid)?.pgrp === service.pid ? service.pid : undefined, marker: service.marker }, { graceMs: resolveConfig().stopGraceMs }),
      ),
    );
    survivors.forEach(([name], index) => {
      const outcome = outcomes[index]!;
      if (outcome.survivors.length > 0) {
        failed = true;
        log.error(`daemon-steps stop: service ${name} did not stop: pids ${outcome.survivors.join(', ')} are still there`);
      } else log.info(`daemon-steps: stopped service ${name}, which its control process had left running`);
    });
    removeLeftoverFiles(settings, settingsFile!);
  }
  await writeStdout(unset.map((name) => `${unsetLine(name)}\n`).join(''));
  return failed ? EXIT.serviceFailed : EXIT.ok;
}

function readSettings(file: string | undefined): ServicesSettings | undefined {
  if (file === undefined || file === '') return undefined;
  try {
    return readSettingsFile(file, SETTINGS_VARIABLE);
  } catch (error) {
    if (error instanceof SharedServiceError) return undefined;
    throw error;
  }
}

/**
 * The control process, proved by the start time its settings file stores with its pid; 'gone' or
 * 'stranger' otherwise: a live pid that nothing proves is the control process (the variables
 * outlived their run, and the pid was reused) is never signalled, whatever its command line says.
 * Without /proc (macOS) the start time cannot be read: the settings file — which the control
 * process removes when it ends — is taken at its word.
 */
function identifyControl(pid: number, settings: ServicesSettings | undefined): { pid: number; startTime: number } | 'gone' | 'stranger' {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return 'gone';
  if (settings?.control.pid !== pid) return 'stranger';
  const stat = readProcStat(pid);
  if (!stat) return { pid, startTime: settings.control.startTime };
  return settings.control.startTime === stat.startTime ? { pid, startTime: stat.startTime } : 'stranger';
}

/** What a control process that did not end by itself normally leaves: the settings file and its directory. */
function removeLeftoverFiles(settings: ServicesSettings, settingsFile: string): void {
  rmSync(settingsFile, { force: true });
  if (isAlive(settings.control.pid, settings.control.startTime)) return;
  rmSync(settings.workspace, { recursive: true, force: true });
  const runDirectory = path.dirname(settings.workspace);
  try {
    if (path.basename(runDirectory).startsWith('daemon-steps-') && readdirSync(runDirectory).length === 0) rmdirSync(runDirectory);
  } catch {
    // already gone
  }
}

