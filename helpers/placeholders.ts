import { sayRemedy, wording } from './remedies.js';
import { InvalidArgumentError, UnknownDaemonError } from './errors.js';
import { NAME_PATTERN } from './names.js';

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

/** One `${…}` that daemon-steps expands, as written (`whole`) and read. */
export type Placeholder =
  | { whole: string; kind: 'workspace' | 'project' }
  | { whole: string; kind: 'daemon'; name: string; field: string };

const CANDIDATE = /\$\{([^${}]*)\}/g;
const DAEMON_FIELD = new RegExp(`^(${NAME_PATTERN})\\.([A-Za-z]+)$`);

/**
 * The one reading of `${…}`: `${workspace}`, `${project}` or `${NAME.FIELD}`. Daemon placeholders
 * always hold a dot, which shell parameters never do, so `${HOME}` or `${1:-default}` in a
 * `sh -c '…'` command is left for the shell; `$` not followed by `{` is left alone too.
 */
function readPlaceholder(whole: string, inner: string): Placeholder | undefined {
  if (inner === 'workspace' || inner === 'project') return { whole, kind: inner };
  const dotted = DAEMON_FIELD.exec(inner);
  return dotted ? { whole, kind: 'daemon', name: dotted[1]!, field: dotted[2]! } : undefined;
}

/** `text` with each placeholder replaced by what `replace` gives for it. */
export function replacePlaceholders(text: string, replace: (placeholder: Placeholder) => string): string {
  return text.replace(CANDIDATE, (whole, inner: string) => {
    const placeholder = readPlaceholder(whole, inner);
    return placeholder ? replace(placeholder) : whole;
  });
}

/** The placeholders of `text`, in order. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...text.matchAll(CANDIDATE)].flatMap(([whole, inner]) => readPlaceholder(whole, inner!) ?? []);
}

/**
 * Expands `${NAME.port}`, `${NAME.pid}`, `${workspace}` and `${project}` (where the tests run from,
 * so a scenario can start the project's own program: `node ${project}/dist/server.js`).
 */
export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return replacePlaceholders(text, (placeholder) => {
    if (placeholder.kind !== 'daemon') return placeholder.kind === 'workspace' ? values.workspace : (values.project ?? process.cwd());
    const { whole, name, field } = placeholder;
    if (field !== 'port' && field !== 'pid') {
      throw new InvalidArgumentError(`unknown placeholder ${whole}; use \${NAME.port}, \${NAME.pid}, \${workspace} or \${project}`);
    }
    if (name !== values.self && !values.names().includes(name)) throw new UnknownDaemonError(name, values.names(), values.self);
    const value = field === 'port' ? values.port(name) : values.pid(name);
    if (value === undefined) {
      throw new InvalidArgumentError(
        field === 'port'
          ? `${whole}: daemon '${name}' has no port; ${sayRemedy({ kind: 'give-it-a-port' })}`
          : name === values.self
            ? `${whole}: daemon '${name}' has no pid yet: ${wording().startingNow}`
            : `${whole}: daemon '${name}' has no pid (it was never spawned)`,
      );
    }
    return String(value);
  });
}
