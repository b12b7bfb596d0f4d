/**
 * `npm run docs` writes what documentation the code can say for itself: docs/steps.md, from the
 * step definitions as cucumber-js loads them and the examples in docs/step-examples.feature, and
 * the README's configuration table, from SETTINGS (and a check that the README names every
 * DAEMON_STEPS_* variable the code uses). `--check` (part of `npm test`) changes nothing and fails
 * when any of it is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeClauses } from '../support/clauses.js';
import { SETTINGS } from '../helpers/config.js';
import { buildConfigurationTable } from './docs/configuration.js';
import { dryRun } from './docs/dry-run.js';
import { replaceSection } from './docs/generated-section.js';
import { buildStepReference } from './docs/steps-reference.js';
import { variablesInCode } from './docs/variables.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = 'docs/step-examples.feature';
const check = process.argv.includes('--check');

// Aruba's dialect (steps/aruba/, loaded beside ours in this project's runs) has its own page, docs/migrating-from-aruba.md.
const all = dryRun(root, [EXAMPLES, 'features']);
const isAruba = (location: string | undefined) => all.definitions.some((d) => d.location === location && d.source.startsWith('steps/aruba/'));
const definitions = all.definitions.filter((d) => !d.source.startsWith('steps/aruba/'));
const steps = all.steps.filter((s) => !isAruba(s.location));
const reference = buildStepReference({ definitions, steps, examplesFile: EXAMPLES, clauses: describeClauses() });
if (reference.problems.length > 0) {
  console.error(`docs/steps.md cannot be complete:\n${reference.problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const undocumented = variablesInCode(path.join(root, 'dist')).filter((name) => !readme.includes(name));
if (undocumented.length > 0) {
  console.error(`README.md does not mention ${undocumented.join(', ')}, which the code reads or sets: say what each is under ## Configuration`);
  process.exit(1);
}
const outputs = [
  { file: 'docs/steps.md', content: reference.markdown },
  { file: 'README.md', content: replaceSection(readme, 'configuration', buildConfigurationTable(SETTINGS), 'README.md') },
];

const stale = outputs.filter(({ file, content }) => {
  const target = path.join(root, file);
  return !existsSync(target) || readFileSync(target, 'utf8') !== content;
});
if (check) {
  if (stale.length > 0) {
    console.error(
      `${stale.map((s) => s.file).join(' and ')} ${stale.length > 1 ? 'are' : 'is'} out of date with the code: ` +
        'run `npm run docs` and commit the result',
    );
    process.exit(1);
  }
  console.log(`docs: docs/steps.md (${definitions.length} steps) and the README's configuration table are up to date`);
} else {
  for (const { file, content } of stale) writeFileSync(path.join(root, file), content);
  console.log(stale.length > 0 ? `wrote ${stale.map((s) => s.file).join(', ')}` : 'docs are up to date');
}
