import { cleanLeftoverFiles, describeClean } from '../../helpers/containment/leftover-files.js';
import { lockDirectoryPath } from '../../helpers/ports/ports.js';
import { EXIT } from './exit-codes.js';
import { Log } from './log.js';
import { writeStdout } from './run.js';

/**
 * `daemon-steps clean`: removes the directories (kept workspaces, services' files) and port locks
 * that runs of this user which are gone left behind, and says what it removed. A live run's files,
 * and another user's, are never touched.
 */
export async function cleanLeftovers(quiet: boolean): Promise<number> {
  const log = new Log(quiet);
  let report;
  try {
    report = cleanLeftoverFiles({ lockDirectory: lockDirectoryPath() });
  } catch (error) {
    log.error(`daemon-steps clean: ${(error as Error).message}`);
    return EXIT.serviceFailed;
  }
  // What was removed is the result, on stdout; what was left alone is progress, on stderr.
  const lines = describeClean(report).map((line) => `daemon-steps: ${line}`);
  await writeStdout(lines.filter((line) => !line.startsWith('daemon-steps: left ')).map((line) => `${line}\n`).join(''));
  for (const line of lines.filter((line) => line.startsWith('daemon-steps: left '))) log.info(line);
  return EXIT.ok;
}
