// Test-only check for this project's own suite (not part of the library): once every scenario has
// run, no process started by this run may be left. Zombies count as gone.
import { AfterAll } from '@cucumber/cucumber';
import { readdirSync, readFileSync } from 'node:fs';
import { stopSharedServices } from 'daemon-steps';
import { MARKER_VARIABLE, thisRun } from 'daemon-steps/helpers';

function leftovers() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!environ.some((variable) => variable.startsWith(`${MARKER_VARIABLE}=${thisRun.runId}:`))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      found.push(`pid ${entry}: ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

// AfterAll hooks run last-defined first: this one runs before daemon-steps' own, so it stops the
// worker's shared services itself (what the library's hook would do next) before it looks.
AfterAll(async function () {
  await stopSharedServices();
  if (process.platform !== 'linux') return;
  const found = leftovers();
  if (found.length > 0) throw new Error(`processes of this run outlived their scenarios:\n  ${found.join('\n  ')}`);
});
