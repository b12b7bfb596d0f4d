import { readFileSync } from 'node:fs';

export const HELP = `Usage:
  daemon-steps run FILE [--daemonize] [--quiet]
  daemon-steps run FILE [--quiet] -- COMMAND [ARGUMENTS...]
  daemon-steps stop [--quiet]
  daemon-steps clean [--quiet]
  daemon-steps --help | --version

daemon-steps run FILE
  Starts the services of FILE (JSON) in dependency order and waits until each is ready, showing
  progress on stderr. Then prints shell lines for eval on stdout:
    export DAEMON_STEPS_<NAME>_PORT=…   export DAEMON_STEPS_<NAME>_PID=…
    export DAEMON_STEPS_CONTROL_PID=…   export DAEMON_STEPS_SETTINGS=…  (a JSON file describing them)
  and keeps them running until it receives SIGINT (Ctrl-C) or SIGTERM; then stops them all and
  removes its files.

  --daemonize  return to the shell once the services are ready, leaving them in the care of one
               control process: kill DAEMON_STEPS_CONTROL_PID (even with SIGKILL) stops them all.
                 eval "$(daemon-steps run services.json --daemonize)"
  --quiet      no progress on stderr, only errors

daemon-steps run FILE -- COMMAND [ARGUMENTS...]
  Starts the services, runs COMMAND (no shell: the words as given) with the variables above in
  its environment, passes SIGINT, SIGTERM and SIGHUP on to it, stops the services when it ends and
  exits with its status (128 + the signal's number when a signal ended it):
    daemon-steps run services.json -- npx cucumber-js

daemon-steps stop
  Stops the services the environment names (DAEMON_STEPS_CONTROL_PID, DAEMON_STEPS_SETTINGS) and
  prints the unset lines for eval:
    eval "$(daemon-steps stop)"

daemon-steps clean
  Removes the directories (kept workspaces) and port locks that runs of this user left behind once
  they are proved gone (runner, watchdog and every process they started ended), and says what it
  removed; a live run's files are left alone.

A services file:
  {"services": {
     "db":  {"command": "./db.py \${db.port}", "port": "free", "ready": "waiting for stdout to contain \\"ready\\""},
     "web": {"command": "./web.py", "port": 8080, "environment": {"DB_PORT": "\${db.port}"},
             "ready": "waiting for HTTP /health, within 10 seconds", "directory": "web", "dependencies": ["db"]}}}

Exit codes:
  0  done
  1  a service did not start (or stop); the message says which, why, and its last output;
     nothing is left running
  2  wrong usage: an unknown command or option, a missing FILE, a bad DAEMON_STEPS_* setting
  3  the services file is missing or invalid
  4  stop: the environment names no services
  130, 143  interrupted by SIGINT or SIGTERM while starting; nothing is left running
  run -- COMMAND: COMMAND's exit status; 127 when COMMAND is not found, 126 when it cannot be run
`;

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
