/**
 * What an error suggests doing about it. The engine says it in terms of its own API; a client that
 * speaks another language (the Cucumber steps) installs its own wording, so its users read the
 * steps they would write. Only the remedy differs: what happened is said the same way.
 */
export type Remedy =
  | { kind: 'rename-or-stop'; name: string }
  | { kind: 'create-program'; program: string }
  | { kind: 'make-executable'; program: string }
  | { kind: 'choose-free-port' }
  | { kind: 'take-turns-on-fixed-port' }
  | { kind: 'give-it-a-port' }
  | { kind: 'read-adopted-log' }
  | { kind: 'check-adopted-not-running'; name: string }
  | { kind: 'wait-for-exit'; name: string }
  | { kind: 'own-daemon-for'; verb: string }
  | { kind: 'missing-fixture'; file: string };

export type RemedyWording = { [K in Remedy['kind']]: (remedy: Extract<Remedy, { kind: K }>) => string };

/** A relative script as a step names it (`./x.sh` → `x.sh`), or undefined for a program on PATH or an absolute one. */
export function scriptOf(program: string): string | undefined {
  return program.includes('/') && !program.startsWith('/') ? program.replace(/^\.\//, '') : undefined;
}

export const ENGINE_WORDING: RemedyWording = {
  'rename-or-stop': () => 'stop or restart it first, or choose another name',
  'create-program': () => 'create it first, or give the program by its absolute path',
  'make-executable': () => 'make it executable (chmod +x)',
  'choose-free-port': () => "stop whatever holds it, or let daemon-steps choose one with port: 'free' and ${NAME.port}",
  'take-turns-on-fixed-port': () => "scopes that share a fixed port take turns — let that one finish, or use port: 'free'",
  'give-it-a-port': () => "start it with a port (port: 'free' or a number)",
  'read-adopted-log': () => 'read its log file, or stop, kill, signal or wait for it',
  'check-adopted-not-running': () => 'check isRunning instead',
  'wait-for-exit': () => 'wait for it first (waitForExit)',
  'own-daemon-for': ({ verb }) => `to ${verb} a daemon, start one of this scope's own`,
  'missing-fixture': () => 'or write the file into the workspace yourself',
};

let wording: RemedyWording = ENGINE_WORDING;

/** The remedy in the words of whoever uses the engine. */
export function sayRemedy<R extends Remedy>(remedy: R): string {
  return (wording[remedy.kind] as (remedy: R) => string)(remedy);
}

/** Installs a client's wording of remedies (the Cucumber steps install theirs when they are loaded). */
export function useRemedyWording(custom: RemedyWording): void {
  wording = custom;
}
