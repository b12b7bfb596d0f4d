/**
 * How a process ended: exactly one of `code` and `signal` is set — or neither, for a process that
 * was not our child (an attached service), whose exit status cannot be known.
 */
export interface ExitRecord {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ExitRecord): string {
  if (exit.signal !== null) return `was killed by signal ${exit.signal}`;
  if (exit.code === null) return 'has ended (it was not started by this process, so how it ended is unknown)';
  return `exited with code ${exit.code}`;
}
