import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brokenLinks } from './links.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('every relative link of the README and the docs leads to a file and a heading the packed package holds', () => {
  const pack = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const shipped = (JSON.parse(pack) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  const files = new Map(shipped.map((file) => [file, file.endsWith('.md') ? readFileSync(path.join(root, file), 'utf8') : undefined]));
  assert.ok(files.has('README.md') && files.has('docs/steps.md'), shipped.join('\n'));
  assert.deepEqual(brokenLinks(files), []);
});

test('a link to a file or a heading the package lacks is reported; links with a scheme and links in code are not', () => {
  const files = new Map<string, string | undefined>([
    ['README.md', '# Use it\n\nSee [steps](docs/steps.md#starting), [gone](docs/gone.md), [there](#use-it), [not here](#nowhere).\n'],
    [
      'docs/steps.md',
      '## Starting\n\n[up](../README.md#use-it) [examples](examples/) [tests](../features/x.feature) [site](https://example.org/a.md)\n\n```md\n[in code](missing.md)\n```\n`[span](missing.md)`\n',
    ],
    ['docs/examples/a.mjs', undefined],
  ]);
  assert.deepEqual(brokenLinks(files), [
    'README.md: (docs/gone.md) leads to docs/gone.md, which the package does not hold',
    'README.md: (#nowhere) leads to no heading of README.md',
    'docs/steps.md: (../features/x.feature) leads to features/x.feature, which the package does not hold',
  ]);
});
