import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepDefinition, WrittenStep } from './dry-run.js';
import { replaceSection } from './generated-section.js';
import { buildStepReference } from './steps-reference.js';

const EXAMPLES = 'docs/step-examples.feature';

const stop: StepDefinition = {
  location: 'dist/steps/signals.js:8',
  source: 'steps/signals.ts',
  pattern: '^I stop (?:daemon|background process) ([A-Za-z0-9_.-]+)$',
  patternType: 'RegularExpression',
  code: 'async function (name) {',
};
const file: StepDefinition = {
  location: 'dist/steps/daemons.js:17',
  source: 'steps/daemons.ts',
  pattern: '^a file (\\S+) with:$',
  patternType: 'RegularExpression',
  code: 'function (file, content) {',
};

function written(overrides: Partial<WrittenStep>): WrittenStep {
  return { uri: EXAMPLES, line: 1, scenario: 'Stopping', keyword: 'When', text: '', status: 'skipped', ...overrides };
}

test('each definition: its phrase, its arguments, its examples, in the section of its first example', () => {
  const { markdown, problems } = buildStepReference({
    definitions: [file, stop],
    steps: [
      written({ text: 'I stop background process web', location: stop.location }),
      written({ text: 'I stop daemon web', location: stop.location }),
      written({ text: 'I stop daemon web', location: stop.location, line: 9 }),
      written({ scenario: 'Files', keyword: 'Given', text: 'a file conf/app.ini with:', docString: '[app]\nport = 1', location: file.location }),
    ],
    examplesFile: EXAMPLES,
    clauses: [{ pattern: /^on port (\S+)$/, example: 'on port 8080' }],
  });
  assert.deepEqual(problems, []);
  assert.match(markdown, /## Stopping\n\n### `I stop \(daemon\|background process\) NAME`\n\n- `NAME`: a daemon's name/);
  assert.match(markdown, /```gherkin\nWhen I stop background process web\nWhen I stop daemon web\n```/, 'the repeated example is shown once');
  assert.match(markdown, /## Files\n\n### `a file FILE with:`\n\n- `FILE`: a path in the scenario's workspace\n- then a docstring/);
  assert.match(markdown, /Given a file conf\/app.ini with:\n {2}"""\n {2}\[app\]\n {2}port = 1\n {2}"""/);
  assert.match(markdown, /- `, on port P` — e.g. `, on port 8080`/);
  assert.ok(markdown.indexOf('## Stopping') < markdown.indexOf('## Files'), 'sections in the order of the examples file');
});

test('a definition without an example in the examples file takes one from a scenario of the project', () => {
  const { markdown, problems } = buildStepReference({
    definitions: [stop],
    steps: [
      written({ uri: 'features/z.feature', line: 3, text: 'I stop daemon later', location: stop.location }),
      written({ uri: 'features/a.feature', line: 7, text: 'I stop daemon first', location: stop.location }),
    ],
    examplesFile: EXAMPLES,
    clauses: [],
  });
  assert.deepEqual(problems, []);
  assert.match(markdown, /## More steps\n\n### `I stop/);
  assert.match(markdown, /```gherkin\nWhen I stop daemon first\n```/);
});

test('a definition without any example, and an ambiguous example, are problems that say what to do', () => {
  const { problems } = buildStepReference({
    definitions: [stop, file],
    steps: [written({ line: 4, text: 'a file x with:', status: 'ambiguous' })],
    examplesFile: EXAMPLES,
    clauses: [],
  });
  assert.deepEqual(problems, [
    'docs/step-examples.feature:4: "a file x with:" matches more than one step definition; make the patterns exclusive',
    'the step /^I stop (?:daemon|background process) ([A-Za-z0-9_.-]+)$/ (steps/signals.ts) has no example: add one to docs/step-examples.feature in the section where it belongs',
    'the step /^a file (\\S+) with:$/ (steps/daemons.ts) has no example: add one to docs/step-examples.feature in the section where it belongs',
  ]);
});

test("the project's own test helpers are left out: they are not in the package", () => {
  const helper: StepDefinition = {
    location: 'features/support/command.mjs:12',
    source: 'features/support/command.mjs',
    pattern: "^this project's daemon-steps command as a helper script (\\S+)$",
    patternType: 'RegularExpression',
    code: 'function (file) {',
  };
  const { markdown, problems } = buildStepReference({
    definitions: [stop, helper],
    steps: [
      written({ text: 'I stop daemon web', location: stop.location }),
      written({ uri: 'features/cli.feature', keyword: 'Given', text: "this project's daemon-steps command as a helper script ds", location: helper.location }),
    ],
    examplesFile: EXAMPLES,
    clauses: [],
  });
  assert.deepEqual(problems, []);
  assert.doesNotMatch(markdown, /this project's|features\/support|More steps/);
  assert.deepEqual(
    buildStepReference({
      definitions: [stop, helper],
      steps: [
        written({ text: 'I stop daemon web', location: stop.location }),
        written({ line: 5, keyword: 'Given', text: "this project's daemon-steps command as a helper script ds", location: helper.location }),
      ],
      examplesFile: EXAMPLES,
      clauses: [],
    }).problems,
    [
      `docs/step-examples.feature:5: "this project's daemon-steps command as a helper script ds" is one of this project's test helpers (features/support/command.mjs:12), not a step of the package: take it out of docs/step-examples.feature`,
    ],
  );
});

test('an example no step defines yet is listed as planned', () => {
  const { markdown, problems } = buildStepReference({
    definitions: [stop],
    steps: [
      written({ text: 'I stop daemon web', location: stop.location }),
      written({ keyword: 'Given', text: 'the shared service db started with "./db.sh"', status: 'undefined' }),
    ],
    examplesFile: EXAMPLES,
    clauses: [],
  });
  assert.deepEqual(problems, []);
  assert.match(markdown, /## Planned\n\n.*not defined in this version.*\n\n```gherkin\nGiven the shared service db started with "\.\/db\.sh"\n```/);
});

test('a generated section replaces what is between its markers and nothing else', () => {
  const text = 'intro\n<!-- generated: table (npm run docs) -->\nold\n<!-- end of generated: table -->\noutro\n';
  assert.equal(
    replaceSection(text, 'table', 'new', 'README.md'),
    'intro\n<!-- generated: table (npm run docs) -->\nnew\n<!-- end of generated: table -->\noutro\n',
  );
  assert.throws(() => replaceSection('no markers', 'table', 'new', 'README.md'), {
    message: 'README.md has no section marked "<!-- generated: table (npm run docs) -->" … "<!-- end of generated: table -->"; put the two markers where the generated table goes',
  });
});
