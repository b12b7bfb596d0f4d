import { sayRemedy } from '../remedies.js';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MissingFixtureError, OutsideDirectoryError } from '../errors.js';

/**
 * Copies a helper script from the fixtures directory into the workspace (creating directories)
 * and makes it executable. A missing fixture is an error that says where we looked; a name that
 * leaves the workspace or the fixtures directory is refused.
 */
export function installFixture(file: string, fixturesDirectory: string, workspace: string): string {
  const target = resolveInside(workspace, 'the workspace', file);
  const source = resolveInside(fixturesDirectory, 'the fixtures directory', file, { followLinks: false });
  if (!existsSync(source) || !statSync(source).isFile()) {
    throw new MissingFixtureError(
      `no helper script '${file}': looked for ${source}; put it in ${path.resolve(fixturesDirectory)} ` +
        '(or set DAEMON_STEPS_FIXTURES / worldParameters.daemonSteps.fixtures), ' +
        sayRemedy({ kind: 'missing-fixture', file }),
    );
  }
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o755);
  return target;
}

/**
 * Writes a file at `written`, relative to the workspace (creating directories); helper scripts are
 * made executable. A path that leaves the workspace is refused.
 */
export function writeWorkspaceFile(workspace: string, written: string, content: string, executable: boolean): string {
  const target = resolveInside(workspace, 'the workspace', written);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  if (executable) chmodSync(target, 0o755);
  return target;
}

/**
 * `written` resolved against `directory`, refused when it lands outside it: an absolute path
 * elsewhere, `..` past it, or (unless `followLinks` is false) a symbolic link inside it that points
 * out — writing through one would change a file that is not ours. The link is found at the
 * deepest part of the path that exists, as writing and `mkdir -p` would follow it.
 */
export function resolveInside(directory: string, shownAs: string, written: string, { followLinks = true } = {}): string {
  const base = path.resolve(directory);
  const target = path.resolve(base, written);
  if (!isInside(base, target)) throw new OutsideDirectoryError(written, target, shownAs, base);
  if (!followLinks) return target;
  const realBase = realpathSync(base);
  for (let existing = target; isInside(base, existing); existing = path.dirname(existing)) {
    if (!exists(existing)) continue;
    const real = realPathOrUndefined(existing);
    if (real === undefined || !isInside(realBase, real)) {
      throw new OutsideDirectoryError(written, target, shownAs, base, { link: existing, leadsTo: real ?? 'a path that does not exist' });
    }
    break;
  }
  return target;
}

function isInside(base: string, target: string): boolean {
  const relative = path.relative(base, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Whether anything is there, a dangling symbolic link included. */
function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function realPathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}
