import { readFileSync } from 'node:fs';

export const HELP = `Usage:
  daemon-steps run FILE [--daemonize] [--quiet]
  daemon-steps stop [--quiet]
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

daemon-steps stop
  Stops the services the environment names (DAEMON_STEPS_CONTROL_PID, DAEMON_STEPS_SETTINGS) and
  prints the unset lines for eval:
    eval "$(daemon-steps stop)"

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
`;

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
