import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { normalizeSignal } from '../process/signals.js';
import { FileProbe } from './file-probe.js';
import { OutputPatternProbe, OutputProbe } from './output-probe.js';
import { HttpProbe, PortProbe } from './port-probes.js';
import type { ProbeFactory, ProbeTarget } from './probe.js';
import { SignalHandledProbe } from './signal-probe.js';

export type OutputStreamName = 'stdout' | 'stderr' | 'output';

export interface HttpWaitOptions {
  /** The statuses that count as ready (default: any below 500, so 404 is ready and 503 is not). */
  status?: number | readonly number[];
}

function requirePort(target: ProbeTarget, what: string): number {
  if (target.port === undefined) {
    throw new InvalidArgumentError(`daemon '${target.name}': waiting for ${what} needs a port; give it one (port: 'free' or a number)`);
  }
  return target.port;
}

function requirePid(target: ProbeTarget, what: string): number {
  if (target.pid === undefined) throw new InvalidArgumentError(`daemon '${target.name}': waiting for ${what} needs a process, and it has none`);
  return target.pid;
}

function spoolsOf(target: ProbeTarget, stream: OutputStreamName) {
  const all = [
    { name: 'stdout' as const, spool: target.stdout, from: target.from.stdout },
    { name: 'stderr' as const, spool: target.stderr, from: target.from.stderr },
  ];
  const chosen = all.filter((entry) => stream === 'output' || entry.name === stream);
  if (chosen.some((entry) => entry.spool === undefined)) {
    throw new InvalidArgumentError(`daemon '${target.name}': its output cannot be watched (it is not a process daemon-steps started)`);
  }
  return chosen.map(({ spool, from }) => ({ spool: spool!, from }));
}

/**
 * The built-in readiness conditions, for `ready: [...]` of a start: each makes a fresh probe for
 * every wait (a restart watches only output written after it).
 */
export const waitFor = {
  /** The daemon's port accepts a TCP connection (a start with a port waits for this anyway). */
  port(): ProbeFactory {
    return {
      needsPort: true,
      isPortProbe: true,
      describe: () => 'its port to accept a connection',
      create: (target) => new PortProbe(target.host, requirePort(target, 'its port')),
    };
  },

  /** `GET http://HOST:PORT` + `path` answers with a status below 500, or one of `status`. */
  http(urlPath: string, options: HttpWaitOptions = {}): ProbeFactory {
    if (!urlPath.startsWith('/')) {
      throw new InvalidArgumentError(`waitFor.http('${urlPath}'): the path must start with '/', e.g. '${suggestPath(urlPath)}'`);
    }
    const statuses = options.status === undefined ? undefined : [options.status].flat();
    return {
      needsPort: true,
      describe: () => `HTTP ${urlPath}`,
      create: (target) => new HttpProbe(target.host, requirePort(target, `HTTP ${urlPath}`), urlPath, undefined, statuses),
    };
  },

  /**
   * Text (bytes as given, or a string as UTF-8) or a regular expression in the daemon's output:
   * `stream` is 'stdout', 'stderr' or 'output' (either, the default).
   */
  output(text: string | Buffer | RegExp, stream: OutputStreamName = 'output'): ProbeFactory {
    if (text instanceof RegExp) {
      return {
        describe: () => `${stream} to match ${text}`,
        create: (target) => new OutputPatternProbe(stream, text, spoolsOf(target, stream)),
      };
    }
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    return {
      describe: () => `${stream} to contain "${bytes.toString()}"`,
      create: (target) => new OutputProbe(stream, bytes, spoolsOf(target, stream)),
    };
  },

  /** A file exists; a relative path is resolved in the scope's workspace. */
  file(filePath: string): ProbeFactory {
    return {
      describe: () => `file ${filePath} to exist`,
      create: (target) => new FileProbe(path.resolve(target.workspace, filePath), filePath),
    };
  },

  /**
   * The daemon's process catches or ignores `signal` (Linux: `SigCgt`/`SigIgn` in
   * `/proc/PID/status`), so a signal sent next cannot kill it by surprise. It looks at the process
   * daemon-steps started: a shell script's own `trap`, not that of a program it runs as a child.
   */
  signalHandled(signal: string): ProbeFactory {
    const name = normalizeSignal(signal);
    return {
      describe: () => `it to handle ${name}`,
      create: (target) => new SignalHandledProbe(name, requirePid(target, `it to handle ${name}`)),
    };
  },
};

/** The path of a URL written where a path belongs (`http://host:8080/health` → `/health`). */
export function suggestPath(written: string): string {
  try {
    const url = new URL(written);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.pathname}${url.search}`;
  } catch {
    // not a URL: a path without its slash
  }
  return `/${written}`;
}
