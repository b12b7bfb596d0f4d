import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How the engine's messages speak to whoever called it. The engine says things in terms of its
 * own API (a daemon belongs to a scope; a remedy names an option or a method); a client that speaks
 * another language (the Cucumber steps) runs its calls inside `speaking(itsWording, …)`, so its
 * users read the steps they would write. What happened is said the same way in both.
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
  | { kind: 'missing-fixture'; file: string }
  | { kind: 'reset-per-use' }
  | { kind: 'same-definition' }
  | { kind: 'port-for-request'; name: string };

export type RemedyWording = { [K in Remedy['kind']]: (remedy: Extract<Remedy, { kind: K }>) => string };

export interface Wording {
  /** What the daemons of one test belong to: "scope" in the engine's words, "scenario" in the steps'. */
  scope: string;
  /** Why a daemon's own pid is not there yet for its command: it is the one being started. */
  startingNow: string;
  /** How a start's settings besides its command are written: options of the API, or a step's clauses. */
  start: { settings: string; freePort: string; port: (port: number) => string; environment: (json: string) => string };
  remedies: RemedyWording;
}

/** A relative script as a step names it (`./x.sh` → `x.sh`), or undefined for a program on PATH or an absolute one. */
export function scriptOf(program: string): string | undefined {
  return program.includes('/') && !program.startsWith('/') ? program.replace(/^\.\//, '') : undefined;
}

export const ENGINE_WORDING: Wording = {
  scope: 'scope',
  startingNow: 'it is the one being started',
  start: { settings: 'options', freePort: ", port: 'free'", port: (port) => `, port: ${port}`, environment: (json) => `, env: ${json}` },
  remedies: {
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
    'reset-per-use': () => 'a reset belongs to each use of the service (the reset option of SharedServices.use)',
    'same-definition': () => 'make this use and the services file say the same, or give this one another name',
    'port-for-request': ({ name }) => `start it with a port (port: 'free' or a number, and \${${name}.port} in its command), or send the request to a whole URL`,
  },
};

const speaker = new AsyncLocalStorage<Wording>();

/** The wording of whoever is calling the engine now: the engine's own outside any `speaking`. */
export function wording(): Wording {
  return speaker.getStore() ?? ENGINE_WORDING;
}

/** The remedy in the words of whoever is calling the engine. */
export function sayRemedy<R extends Remedy>(remedy: R): string {
  return (wording().remedies[remedy.kind] as (remedy: R) => string)(remedy);
}

/** Runs `call` (and everything it starts) so that the engine's messages use `custom`. */
export function speaking<T>(custom: Wording, call: () => T): T {
  return speaker.run(custom, call);
}
