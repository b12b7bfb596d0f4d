import { spawn } from 'node:child_process';
import { constants as os } from 'node:os';
import path from 'node:path';
import { explainSpawnFailure, locateProgram } from '../../helpers/process/program.js';

/** How the command of `daemon-steps run FILE -- CMD` ended. */
export type CommandOutcome = { kind: 'exited'; code: number; signal?: NodeJS.Signals } | { kind: 'not started'; code: number; why: string };

/** What a shell exits with when it cannot run a command: 127 not found, 126 found but not runnable. */
export const NOT_FOUND = 127;
export const NOT_EXECUTABLE = 126;

/**
 * Why `argv[0]` cannot be run from `cwd` with `searchPath`, found as execvp would find it — before
 * any service starts, so that a typo costs nothing; undefined when it can be run.
 */
export function whyNotRunnable(program: string, cwd: string, searchPath: string | undefined): { code: number; why: string } | undefined {
  const found = locateProgram(program, cwd, searchPath);
  switch (found.kind) {
    case 'found':
      return undefined;
    case 'not executable':
      return { code: NOT_EXECUTABLE, why: program.includes('/') ? `${found.file} is not executable (chmod +x ${program})` : `${found.file} is not executable` };
    case 'directory':
      return { code: NOT_FOUND, why: `there is no file ${found.file}` };
    case 'missing':
      return { code: NOT_FOUND, why: found.file !== undefined ? `there is no file ${found.file}` : `there is no program '${program}' in PATH (${searchPath ?? ''})` };
  }
}

/**
 * Runs `argv` (no shell: the words as given) with the terminal's stdin, stdout and stderr and the
 * environment `env`, and resolves once it has ended. It stays in this process's process group, so
 * that it can read the terminal; `forward` passes on the signals this process receives meanwhile.
 */
export function runCommand(argv: string[], env: NodeJS.ProcessEnv): { outcome: Promise<CommandOutcome>; forward: (signal: NodeJS.Signals) => void } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env });
  const outcome = new Promise<CommandOutcome>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Only a path names the file whose #! line may be at fault; a name from PATH was found by spawn itself.
      const explained = argv[0]!.includes('/') ? explainSpawnFailure(path.resolve(argv[0]!), error) : undefined;
      resolve({ kind: 'not started', code: error.code === 'EACCES' ? NOT_EXECUTABLE : NOT_FOUND, why: explained?.message ?? error.message });
    });
    child.once('exit', (code, signal) => {
      if (signal) resolve({ kind: 'exited', code: 128 + (os.signals[signal] ?? 0), signal });
      else resolve({ kind: 'exited', code: code ?? 1 });
    });
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  return { outcome, forward };
}
