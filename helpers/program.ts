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
    if (!isFile(file)) {
      throw new ProgramNotFoundError(program, `no file ${file}${isDirectory(file) ? ' (it is a directory)' : ''}`, daemon);
    }
    if (!isExecutable(file)) throw new ProgramNotExecutableError(file, daemon);
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
  if (notExecutable) throw new ProgramNotExecutableError(notExecutable, daemon);
  const hint = isFile(path.resolve(cwd, program)) ? `; there is a ${program} in the workspace: write ./${program}` : '';
  throw new ProgramNotFoundError(program, `not in PATH=${searchPath ?? ''}${hint}`, daemon);
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
