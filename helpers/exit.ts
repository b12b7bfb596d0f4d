/** How a process ended: exactly one of `code` and `signal` is set. */
export interface ExitRecord {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ExitRecord): string {
  if (exit.signal !== null) return `was killed by signal ${exit.signal}`;
  return `exited with code ${exit.code}`;
}
