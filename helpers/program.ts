import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ProgramNotExecutableError, ProgramNotFoundError, type DaemonContext } from './errors.js';

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
        : `create it first, e.g. with "Given a daemon helper shell script ${program.replace(/^\.\//, '')}"`;
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

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
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
