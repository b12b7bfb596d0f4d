/** What `daemon-steps` exits with; the README and `--help` list them. */
export const EXIT = {
  /** Done: the services were started (and, without --daemonize, stopped again on request), or stopped. */
  ok: 0,
  /** A service did not start, or did not stop; the message says which, why, and its last output. Nothing is left running. */
  serviceFailed: 1,
  /** The command line is wrong: an unknown command or option, a missing FILE; or a DAEMON_STEPS_* setting is. */
  usage: 2,
  /** The services file is missing or invalid; the message names the field. */
  badServicesFile: 3,
  /** `stop`: the environment names no services to stop. */
  nothingToStop: 4,
} as const;

/** 128 + the signal's number, as shells report a command a signal ended: 130 for SIGINT, 143 for SIGTERM. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  return 128 + (numbers[signal] ?? 15);
}
