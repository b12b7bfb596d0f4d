import { sayRemedy } from './remedies.js';
import { InvalidArgumentError, UnknownDaemonError } from './errors.js';

/** What placeholders can refer to: the workspace, the project, and each daemon's port and pid. */
export interface PlaceholderValues {
  workspace: string;
  /** The directory the tests run from (the runner's working directory unless given). */
  project?: string;
  /** Names of the daemons started so far, for the error when a placeholder names another. */
  names(): string[];
  /** The daemon the current step is starting: it has a name (and maybe a port), not yet a pid. */
  self?: string;
  port(name: string): number | undefined;
  pid(name: string): number | undefined;
}

const PLACEHOLDER = /\$\{([^${}]*)\}/g;

/**
 * Expands `${NAME.port}`, `${NAME.pid}`, `${workspace}` and `${project}` (where the tests run from,
 * so a scenario can start the project's own program: `node ${project}/dist/server.js`). Daemon
 * placeholders always hold a dot, which shell parameters never do, so `${HOME}` or `${1:-default}`
 * in a `sh -c '…'` command is left for the shell; `$` not followed by `{` is left alone too.
 */
export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    if (inner === 'workspace') return values.workspace;
    if (inner === 'project') return values.project ?? process.cwd();
    const dotted = /^([A-Za-z0-9_.-]+)\.([A-Za-z]+)$/.exec(inner);
    if (!dotted) return whole;
    const [, name, field] = dotted as unknown as [string, string, string];
    if (field !== 'port' && field !== 'pid') {
      throw new InvalidArgumentError(`unknown placeholder ${whole}; use \${NAME.port}, \${NAME.pid}, \${workspace} or \${project}`);
    }
    if (name !== values.self && !values.names().includes(name)) throw new UnknownDaemonError(name, values.names());
    const value = field === 'port' ? values.port(name) : values.pid(name);
    if (value === undefined) {
      throw new InvalidArgumentError(
        field === 'port'
          ? `${whole}: daemon '${name}' has no port; ${sayRemedy({ kind: 'give-it-a-port' })}`
          : name === values.self
            ? `${whole}: daemon '${name}' has no pid yet: it is the one this step starts`
            : `${whole}: daemon '${name}' has no pid (it was never spawned)`,
      );
    }
    return String(value);
  });
}
