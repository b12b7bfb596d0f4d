import { sayRemedy } from '../remedies.js';
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { ArgumentListTooLongError, ProgramNotExecutableError, ProgramNotFoundError, type DaemonContext, type DaemonStepsError } from '../errors.js';

/** Where a command's first word leads: `missing` has a `file` when the word was a path, none when PATH was searched. */
export type ProgramLookup =
  | { kind: 'found'; file: string }
  | { kind: 'directory'; file: string }
  | { kind: 'not executable'; file: string }
  | { kind: 'missing'; file?: string };

/**
 * Finds the file a command's first word names, as execvp would: a word with a slash is a path
 * (relative ones from `cwd`), any other word is looked up in PATH, where a file that is not
 * executable is passed over for a later one that is.
 */
export function locateProgram(program: string, cwd: string, searchPath: string | undefined): ProgramLookup {
  if (program.includes('/')) {
    const file = path.resolve(cwd, program);
    if (isDirectory(file)) return { kind: 'directory', file };
    if (!isFile(file)) return { kind: 'missing', file };
    return isExecutable(file) ? { kind: 'found', file } : { kind: 'not executable', file };
  }
  let notExecutable: string | undefined;
  for (const directory of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.resolve(cwd, directory, program);
    if (!isFile(file)) continue;
    if (isExecutable(file)) return { kind: 'found', file };
    notExecutable ??= file;
  }
  return notExecutable ? { kind: 'not executable', file: notExecutable } : { kind: 'missing' };
}

/**
 * The file a command's first word names (see `locateProgram`). Checking here, before spawning,
 * gives an error that says what was wrong instead of a bare ENOENT.
 */
export function resolveProgram(program: string, cwd: string, searchPath: string | undefined, daemon?: DaemonContext): string {
  const found = locateProgram(program, cwd, searchPath);
  switch (found.kind) {
    case 'found':
      return found.file;
    case 'directory':
      throw new ProgramNotFoundError(program, `${program} is a directory (${found.file}), not a program`, `name the program in it, e.g. ${program.replace(/\/$/, '')}/PROGRAM`, daemon);
    case 'not executable':
      throw new ProgramNotExecutableError(program, found.file, daemon);
    case 'missing': {
      if (found.file !== undefined) {
        const hint = path.isAbsolute(program) ? 'check the path' : sayRemedy({ kind: 'create-program', program });
        throw new ProgramNotFoundError(program, `program '${program}' not found: there is no file ${found.file}`, hint, daemon);
      }
      const local = path.resolve(cwd, program);
      const hint = isFile(local) ? `there is a file ${local}: write ./${program} to run it` : 'install it, or write the path to it';
      throw new ProgramNotFoundError(program, `program '${program}' not found in PATH (${searchPath ?? ''})`, hint, daemon);
    }
  }
}

/**
 * Why a program that exists could not be spawned, when we can tell: ENOENT for an existing file
 * means the interpreter on its #! line is missing — often '/bin/sh\r', from Windows line endings;
 * E2BIG means its arguments and environment are too large. Undefined when the error is something else.
 */
export function explainSpawnFailure(
  file: string,
  error: NodeJS.ErrnoException,
  daemon?: DaemonContext,
  launch?: { argv: readonly string[]; env: Record<string, string> },
): DaemonStepsError | undefined {
  if (error.code === 'E2BIG' && launch) return argumentListTooLong(launch.argv, launch.env, daemon);
  if (error.code !== 'ENOENT' || !isFile(file)) return undefined;
  const firstLine = readFirstLine(file);
  if (!firstLine.startsWith('#!')) return undefined;
  const interpreter = firstLine.slice(2).replace(/^[ \t]+/, '').split(/[ \t]/)[0] ?? '';
  if (interpreter.endsWith('\r')) {
    return new ProgramNotFoundError(
      file,
      `its #! line ends in a carriage return (Windows line endings), so the interpreter '${interpreter.replace(/\r$/, '\\r')}' does not exist`,
      `convert ${file} to Unix line endings`,
      daemon,
    );
  }
  return new ProgramNotFoundError(
    file,
    `the interpreter on its #! line, ${interpreter}, does not exist`,
    `fix the #! line of ${file}, or install that interpreter`,
    daemon,
  );
}

/**
 * The error a spawn of `file` would end in because the interpreter on its #! line does not exist,
 * found before spawning: a program started through a shell (to enter its cgroup) fails inside that
 * shell, where no spawn error reaches us.
 */
export function missingInterpreter(file: string, cwd: string, daemon?: DaemonContext): DaemonStepsError | undefined {
  if (!isFile(file)) return undefined;
  const firstLine = readFirstLine(file);
  if (!firstLine.startsWith('#!')) return undefined;
  const interpreter = firstLine.slice(2).replace(/^[ \t]+/, '').split(/[ \t]/)[0] ?? '';
  if (isFile(path.resolve(cwd, interpreter))) return undefined;
  return explainSpawnFailure(file, Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), daemon);
}

/** The sizes the kernel counts: each argument and each `NAME=value`, with its terminating NUL. */
function argumentListTooLong(argv: readonly string[], env: Record<string, string>, daemon?: DaemonContext): ArgumentListTooLongError {
  const argumentBytes = argv.map((argument) => Buffer.byteLength(argument));
  const environmentBytes = Object.entries(env).map(([name, value]) => Buffer.byteLength(`${name}=${value}`));
  const total = [...argumentBytes, ...environmentBytes].reduce((sum, bytes) => sum + bytes + 1, 0);
  return new ArgumentListTooLongError(Math.max(0, ...argumentBytes, ...environmentBytes), total, daemon);
}

function readFirstLine(file: string): string {
  const buffer = Buffer.alloc(256);
  const fd = openSync(file, 'r');
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, length).toString('latin1');
    const end = text.indexOf('\n');
    return end < 0 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

// No exception for a missing file: a PATH search misses in most directories, and each throw costs a stack trace.
function isFile(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
