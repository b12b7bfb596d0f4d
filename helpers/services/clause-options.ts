import { InvalidArgumentError } from '../errors.js';
import { parseText } from '../output/text.js';
import { expandPlaceholders } from '../placeholders.js';
import { waitFor } from '../readiness/wait-for.js';
import type { ProbeFactory, ReadyCondition } from '../readiness/probe.js';
import type { DaemonScope, StartOptions } from '../scope.js';
import type { StartClauses } from './clause-grammar.js';

/**
 * The engine's start options for clauses (a services file's, or a step's once the step has checked
 * them); later environments win. Placeholders are left for the engine, except in readiness texts,
 * which are expanded for each wait (`${NAME.port}` of the daemon itself is known only then).
 */
export function startOptionsOfClauses(scope: DaemonScope, name: string, command: string, clauses: StartClauses): StartOptions {
  const expandLater = (text: string, make: (expanded: string) => ProbeFactory): ProbeFactory => {
    // Now, for the names it refers to (an unknown one is refused before anything is spawned)…
    const early = make(expandPlaceholders(text, { ...scope.placeholders({ name }), port: (other) => (other === name ? 0 : scope.placeholders().port(other)) }));
    // …and at each wait, with the daemon's own port.
    return {
      needsPort: early.needsPort,
      isPortProbe: early.isPortProbe,
      describe: () => early.describe(),
      create: (target) => make(expandPlaceholders(text, scope.placeholders({ name, port: target.port }))).create(target),
    };
  };
  const ready: ReadyCondition[] = clauses.waits.map((wait) => {
    switch (wait.kind) {
      case 'output':
        return expandLater(wait.text, (text) => waitFor.output(parseText(text), wait.stream));
      case 'http':
        return expandLater(wait.path, (expanded) => waitFor.http(expanded));
      case 'file':
        return expandLater(wait.path, (expanded) => waitFor.file(expanded));
      case 'signal':
        return waitFor.signalHandled(wait.signal);
    }
  });
  return {
    name,
    command,
    port: portOf(scope, clauses),
    env: Object.assign({}, ...clauses.environment),
    cwd: clauses.directory,
    ready,
    timeout: clauses.withinSeconds !== undefined ? clauses.withinSeconds * 1000 : undefined,
    restart: clauses.restart && {
      minDelayMs: clauses.restart.minDelaySeconds === undefined ? undefined : clauses.restart.minDelaySeconds * 1000,
      maxDelayMs: clauses.restart.maxDelaySeconds === undefined ? undefined : clauses.restart.maxDelaySeconds * 1000,
      forever: clauses.restart.forever,
    },
  };
}

function portOf(scope: DaemonScope, clauses: StartClauses): StartOptions['port'] {
  if (!clauses.port) return undefined;
  if (clauses.port.kind === 'free') return 'free';
  const written = scope.expand(clauses.port.port);
  const port = Number(written);
  if (!/^\d+$/.test(written) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`on port ${clauses.port.port}: '${written}' is not a TCP port (1 to 65535)`);
  }
  return port;
}
