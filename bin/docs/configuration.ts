/** The README's configuration table, from the settings the code reads (helpers/config.ts SETTINGS). */

export interface SettingLike {
  key: string;
  variable: string;
  fallback: string | number;
}

/** What each setting does; a setting missing here is listed all the same, with its default. */
const MEANINGS: Record<string, string> = {
  startTimeout: 'how long a start waits for its readiness clauses, and `I wait for port P to be open` (or `closed`) for the port (`, within N seconds` overrides it)',
  stopGrace: 'how long a stopped daemon has between SIGTERM (or the signal asked for) and SIGKILL',
  outputTimeout: 'how long `has produced output` and `I wait for … to contain` wait, and an HTTP request for its response (`, within N seconds` overrides it)',
  exitTimeout: 'how long `I run` and `I wait for … to exit` wait for the program to end',
  fixtures: 'where `a daemon helper shell script FILE` finds FILE',
  keepWorkspace: "when a scenario's workspace directory is kept: `on-failure`, `always` or `never`",
  host: 'the address ports are checked and probed on',
  containment: 'what holds a daemon and everything it starts: `auto` (a cgroup where the runner may make one, else process group and marker), `cgroup` (or fail), `process-group`',
  sweep: 'whether a run starts by ending what abandoned runs of the same user left behind: `on` or `off`',
};

export function buildConfigurationTable(settings: readonly SettingLike[]): string {
  const rows = settings.map((s) => {
    const fallback = typeof s.fallback === 'number' ? `${s.fallback} s` : `\`${s.fallback}\``;
    return `| \`${s.key}\` | \`${s.variable}\` | ${fallback} | ${MEANINGS[s.key] ?? ''} |`;
  });
  return ['| key | variable | default | what it sets |', '|---|---|---|---|', ...rows].join('\n');
}
