/**
 * `npm run bench`: every figure daemon-steps claims, measured side by side with what it is
 * compared with, in one run on this machine, printed as one table with ratios.
 * `npm run bench -- output` measures only the sections whose title contains "output".
 */
import { outputVolumeSection } from './bench/output-volume.js';
import { readinessSection } from './bench/readiness.js';
import { scenarioOverheadSection } from './bench/scenario-overhead.js';
import { stopSection } from './bench/stop.js';
import { printTable, type BenchSection } from './bench/table.js';
import { removeRunDirectoryIfEmpty } from '../helpers/workspace/workspace.js';

const sections: BenchSection[] = [
  readinessSection,
  stopSection,
  outputVolumeSection,
  scenarioOverheadSection,
];

const only = process.argv[2];
const results: Array<{ title: string; rows: Awaited<ReturnType<BenchSection['run']>> }> = [];
for (const section of sections.filter((s) => only === undefined || s.title.includes(only))) {
  process.stderr.write(`measuring: ${section.title}…\n`);
  results.push({ title: section.title, rows: await section.run() });
}
printTable(results);
removeRunDirectoryIfEmpty();
