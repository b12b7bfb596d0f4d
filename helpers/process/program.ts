import { sayRemedy } from '../remedies.js';
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { ArgumentListTooLongError, ProgramNotExecutableError, ProgramNotFoundError, type DaemonContext, type DaemonStepsError } from '../errors.js';

/**
 * Finds the file a command's first word names, as a shell would: a word with a slash is a path
 * (relative ones from `cwd`), any other word is looked up in PATH. Checking here, before spawning,
 * gives an error that says what was wrong instead of a bare ENOENT.
 */
export function resolveProgram(program: string, cwd: string, searchPath: string | undefined, daemon?: DaemonContext): string {
  if (program.includes('/')) {
    const file = path.resolve(cwd, program);
    if (isDirectory(file)) {
      throw new ProgramNotFoundError(program, `${program} is a directory (${file}), not a program`, `name the program in it, e.g. ${program.replace(/\/$/, '')}/PROGRAM`, daemon);
    }
    if (!isFile(file)) {
      const hint = path.isAbsolute(program)
        ? 'check the path'
        : sayRemedy({ kind: 'create-program', program });
      throw new ProgramNotFoundError(program, `program '${program}' not found: there is no file ${file}`, hint, daemon);
    }
    if (!isExecutable(file)) throw new ProgramNotExecutableError(program, file, daemon);
    return file;
  }
  const directories = (searchPath ?? '').split(path.delimiter).filter(Boolean);
  let notExecutable: string | undefined;
  for (const directory of directories) {
    const file = path.resolve(cwd, directory, program);
    if (!isFile(file)) continue;
    if (isExecutable(file)) return file;
    notExecutable ??= file;
  }
  if (notExecutable) throw new ProgramNotExecutableError(program, notExecutable, daemon);
  const local = path.resolve(cwd, program);
  const hint = isFile(local) ? `there is a file ${local}: write ./${program} to run it` : 'install it, or write the path to it';
  throw new ProgramNotFoundError(program, `program '${program}' not found in PATH (${searchPath ?? ''})`, hint, daemon);
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
