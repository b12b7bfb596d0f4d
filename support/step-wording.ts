import { scriptOf, speaking, type Wording } from '../helpers/remedies.js';

/** The engine's messages as a scenario's author reads them: the steps they would write. */
export const STEP_WORDING: Wording = {
  scope: 'scenario',
  startingNow: 'it is the one this step starts',
  start: { settings: 'clauses', freePort: ', on a free port', port: (port) => `, on port ${port}`, environment: (json) => `, with environment ${json}` },
  remedies: {
    'rename-or-stop': ({ name }) =>
      `stop it first ("When I stop background process ${name}"), restart it ("When I restart background process ${name}"), or choose another name`,
    'create-program': ({ program }) => `create it first, e.g. with "Given a daemon helper shell script ${program.replace(/^\.\//, '')}"`,
    'make-executable': ({ program }) => {
      const script = scriptOf(program);
      return `make it executable (chmod +x${script ? `, or create it with "Given a daemon helper shell script ${script}"` : ''})`;
    },
    'choose-free-port': () => 'stop whatever holds it, or let daemon-steps choose one with ", on a free port" and ${NAME.port}',
    'take-turns-on-fixed-port': () => 'scenarios that share a fixed port take turns — let that one finish, or use ", on a free port"',
    'give-it-a-port': () => 'start it with ", on a free port" or ", on port P"',
    'read-adopted-log': () => 'read its log file ("Then the file PATH contains …"), or stop, kill, signal or wait for it',
    'check-adopted-not-running': ({ name }) => `check "Then background process ${name} is not running" instead`,
    'wait-for-exit': ({ name }) => `wait for it first ("When I wait for background process ${name} to exit")`,
    'own-daemon-for': ({ verb }) => `to ${verb} a daemon, start one of this scenario's own ("When I start …")`,
    'missing-fixture': ({ file }) => `or write it inline with "Given a daemon helper shell script ${file} with:" and a docstring`,
    'reset-per-use': () => 'a reset belongs to the step "Given the shared service NAME started with …" of a scenario',
    'same-definition': () => 'make the step and the services file say the same, or give this one another name',
    'port-for-request': ({ name }) => `start it with ", on port P" or ", on a free port" (and \${${name}.port} in its command), or send the request to a whole URL`,
  },
};

/** Runs a step or hook so that what the engine says in it is said in the steps' words. */
export function inStepWording<T>(call: () => T): T {
  return speaking(STEP_WORDING, call);
}

