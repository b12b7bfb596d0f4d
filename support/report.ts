import type { DaemonScope } from '../helpers/index.js';
import { readFileTail } from '../helpers/output/output.js';
import { showBytes, tailLines } from '../helpers/output/text.js';

const TAIL_LINES = 30;

/**
 * The text attached to the report of a failed scenario: each daemon's stdout and stderr (their
 * last lines, and the file with all of them) and the combined log.
 */
export function describeFailureOutput(scope: DaemonScope, kept: boolean): string[] {
  const where = kept ? '' : ' (removed with the workspace; set keepWorkspace to keep it)';
  const attachments: string[] = [];
  const shared = new Set(scope.registry.sharedDaemons());
  for (const daemon of [...scope.registry.all(), ...shared]) {
    // A shared service's files outlive the scenario: they are where the header says.
    const kind = shared.has(daemon) ? 'shared service' : 'daemon';
    for (const spool of [daemon.stdout, daemon.stderr]) {
      const stream = spool === daemon.stdout ? 'stdout' : 'stderr';
      const header = `${kind} '${daemon.name}' ${stream}, ${spool.size} bytes, ${spool.path}${shared.has(daemon) ? '' : where}`;
      attachments.push(spool.size === 0 ? `${header}: empty` : `${header}; last lines:\n${spool.tail(TAIL_LINES, 16384)}`);
    }
  }
  const combined = readFileTail(scope.combinedLog.path, 16384);
  if (combined.length > 0) {
    attachments.push(`combined log, ${scope.combinedLog.path}${where}; last lines:\n${tailLines(showBytes(combined), TAIL_LINES, 16384)}`);
  }
  if (kept) attachments.push(`workspace kept: ${scope.workspace}`);
  return attachments;
}
