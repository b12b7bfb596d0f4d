import { statSync } from 'node:fs';
import type { DaemonScope } from '../helpers/index.js';
import { readFileTail } from '../helpers/output/file-search.js';
import { showBytes, tailLines } from '../helpers/output/text.js';

const TAIL_LINES = 30;
const TAIL_BYTES = 16384;

/**
 * One text attachment of a failed scenario's report, and its name: the HTML report shows `name`
 * where it would otherwise say "Attached Text (text/plain)", with `text` folded under it.
 *
 * The progress formatter of @cucumber/cucumber 12 prints a text attachment's text but not its
 * name, and a `this.log` line as a bare "Attachment (text/x.cucumber.log+plain)": so the text
 * starts with the name too, and a one-line fact (an empty stream, the kept workspace) is a text
 * attachment that is its own name.
 */
export interface ReportEntry {
  name: string;
  text: string;
}

/**
 * What goes into the report of a failed scenario: each daemon's stdout and stderr (their last
 * lines), the combined log, and where the workspace with all of it is.
 */
export function describeFailureOutput(scope: DaemonScope, kept: boolean): ReportEntry[] {
  const entries: ReportEntry[] = [];
  const shared = new Set(scope.registry.sharedDaemons());
  for (const daemon of [...scope.registry.all(), ...shared]) {
    const label = shared.has(daemon) ? `shared service ${daemon.name}` : daemon.name;
    for (const spool of [daemon.stdout, daemon.stderr]) {
      const stream = `${label} ${spool === daemon.stdout ? 'stdout' : 'stderr'}`;
      // A shared service's files outlive the scenario and are not in its workspace.
      entries.push(describeFile(stream, spool.path, spool.size, shared.has(daemon)));
    }
  }
  const combined = scope.combinedLog.path;
  const combinedSize = sizeOf(combined);
  if (combinedSize > 0) entries.push(describeFile('combined log', combined, combinedSize, false));
  entries.push(
    line(
      kept
        ? `workspace kept: ${scope.workspace}`
        : `workspace removed with the scenario (set keepWorkspace to keep it, with each daemon's NAME.stdout, NAME.stderr and combined.log)`,
    ),
  );
  return entries;
}

/** A file's last lines, named for what they are and how much of the file they show. */
function describeFile(what: string, file: string, size: number, showPath: boolean): ReportEntry {
  if (size === 0) return line(`${what}: empty${showPath ? ` (${file})` : ''}`);
  const where = showPath ? `, all of it in ${file}` : '';
  const read = showBytes(readFileTail(file, TAIL_BYTES));
  const text = tailLines(read, TAIL_LINES, TAIL_BYTES);
  const lines = countLines(text);
  const whole = size <= TAIL_BYTES && text === read;
  const amount = whole ? `${plural(lines, 'line')}, ${showSize(size)}` : `last ${plural(lines, 'line')} of ${showSize(size)}`;
  const name = `${what} (${amount}${where})`;
  return { name, text: `${name}:\n${text}` };
}

function line(text: string): ReportEntry {
  return { name: text, text };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function countLines(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A size as a person reads it: "26 bytes", "4.1 kB", "3.2 MB" (powers of 1000, as `ls --si`). */
export function showSize(bytes: number): string {
  if (bytes < 1000) return plural(bytes, 'byte');
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
