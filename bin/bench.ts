/**
 * `npm run bench`: every figure daemon-steps claims, measured side by side with what it is
 * compared with, in one run on this machine, printed as one table with ratios.
 */
import { stopSection } from './bench/stop.js';
import { printTable, type BenchSection } from './bench/table.js';

const sections: BenchSection[] = [
  stopSection,
];

const results: Array<{ title: string; rows: Awaited<ReturnType<BenchSection['run']>> }> = [];
for (const section of sections) {
  process.stderr.write(`measuring: ${section.title}…\n`);
  results.push({ title: section.title, rows: await section.run() });
}
printTable(results);
