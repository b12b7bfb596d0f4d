import { InvalidArgumentError, UnknownDaemonError } from './errors.js';

/** What placeholders can refer to: the workspace and each daemon's port and pid. */
export interface PlaceholderValues {
  workspace: string;
  /** Known daemon names, for the error when a placeholder names another. */
  names(): string[];
  port(name: string): number | undefined;
  pid(name: string): number | undefined;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Expands `${NAME.port}`, `${NAME.pid}` and `${workspace}`; `$` not followed by `{` is left alone. */
export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    if (inner === 'workspace') return values.workspace;
    const match = /^([A-Za-z0-9_.-]+)\.(port|pid)$/.exec(inner);
    if (!match) {
      throw new InvalidArgumentError(`unknown placeholder ${whole}; use \${NAME.port}, \${NAME.pid} or \${workspace}`);
    }
    const [, name, field] = match as unknown as [string, string, 'port' | 'pid'];
    if (!values.names().includes(name)) throw new UnknownDaemonError(name, values.names());
    const value = field === 'port' ? values.port(name) : values.pid(name);
    if (value === undefined) {
      throw new InvalidArgumentError(
        field === 'port'
          ? `${whole}: daemon '${name}' has no port; start it with ", on a free port" or ", on port P"`
          : `${whole}: daemon '${name}' has no pid (it was never spawned)`,
      );
    }
    return String(value);
  });
}
