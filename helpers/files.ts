import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MissingFixtureError } from './errors.js';

/**
 * Copies a helper script from the fixtures directory into the workspace (creating directories)
 * and makes it executable. A missing fixture is an error that says where we looked.
 */
export function installFixture(file: string, fixturesDirectory: string, workspace: string): string {
  const source = path.resolve(fixturesDirectory, file);
  if (!existsSync(source) || !statSync(source).isFile()) {
    throw new MissingFixtureError(
      `no helper script '${file}': looked for ${source}; put it in ${path.resolve(fixturesDirectory)} ` +
        '(or set DAEMON_STEPS_FIXTURES / worldParameters.daemonSteps.fixtures), ' +
        `or write it inline with "Given a daemon helper shell script ${file} with:" and a docstring`,
    );
  }
  const target = path.resolve(workspace, file);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o755);
  return target;
}

/** Writes a file in the workspace (creating directories); helper scripts are made executable. */
export function writeWorkspaceFile(target: string, content: string, executable: boolean): string {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  if (executable) chmodSync(target, 0o755);
  return target;
}
