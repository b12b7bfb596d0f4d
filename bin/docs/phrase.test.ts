import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchored, CLAUSES, CLAUSES_WITH_TABLE, DAEMON, NAME, QUOTED, WITHIN } from '../../support/patterns.js';
import { expressionPhrase, labelFor, parameterNames, regexPhrase } from './phrase.js';

const source = (pattern: string) => anchored(pattern).source;

test('a start step: quoted command, optional words, name, optional clauses', () => {
  const phrase = regexPhrase(source(`I start ${QUOTED} as (?:a background process as )?${NAME}${CLAUSES}`), ['command', 'name', 'clauses']);
  assert.equal(phrase.text, 'I start "COMMAND" as [a background process as] NAME[, CLAUSES]');
  assert.deepEqual(
    phrase.arguments.map((a) => a.label),
    ['COMMAND', 'NAME', 'CLAUSES'],
  );
  assert.match(phrase.arguments[0]!.accepts, /^a command in double quotes, .* run without a shell/);
  assert.equal(phrase.arguments[1]!.accepts, "a daemon's name: letters, digits, `_`, `.`, `-`");
});

test('the form that ends with an environment table keeps its words', () => {
  const phrase = regexPhrase(source(`I run ${QUOTED} as ${NAME}${CLAUSES_WITH_TABLE}`), ['command', 'name', 'clauses', 'table']);
  assert.equal(phrase.text, 'I run "COMMAND" as NAME[, CLAUSES], with environment:');
});

test('either wording of a daemon, and short alternatives, are written inline', () => {
  const phrase = regexPhrase(source(`${DAEMON} ${NAME} (stdout|stderr) is ${QUOTED}`), ['name', 'stream', 'text']);
  assert.equal(phrase.text, '(daemon|background process) NAME (stdout|stderr) is "TEXT"');
  assert.deepEqual(
    phrase.arguments.map((a) => a.label),
    ['NAME', 'TEXT'],
  );
});

test('long alternatives get a label that lists them', () => {
  const phrase = regexPhrase(source(`${DAEMON} ${NAME} is in state (STARTING|RUNNING|BACKOFF|FATAL)`), ['name', 'state']);
  assert.equal(phrase.text, '(daemon|background process) NAME is in state STATE');
  assert.match(phrase.arguments[1]!.accepts, /^one of `STARTING`, `RUNNING`, `BACKOFF`, `FATAL`/);
});

test('an optional trailing deadline, and an optional letter', () => {
  const phrase = regexPhrase(source(`I wait for ${DAEMON} ${NAME} to exit${WITHIN}`), ['name', 'within']);
  assert.equal(phrase.text, 'I wait for (daemon|background process) NAME to exit[, within N second(s)]');
  const restarted = regexPhrase(source(`${DAEMON} ${NAME} has been restarted (\\d+) times?`), ['name', 'count']);
  assert.equal(restarted.text, '(daemon|background process) NAME has been restarted N time(s)');
  assert.equal(restarted.arguments[1]!.accepts, 'a whole number');
});

test('a parameter with a generic name is named after the word before it', () => {
  assert.equal(regexPhrase(source('port (\\S+) is open'), ['written']).text, 'port P is open');
  assert.equal(regexPhrase(source(`the file (\\S+) contains ${QUOTED}`), ['written', 'text']).text, 'the file PATH contains "TEXT"');
  assert.equal(labelFor('docString', ''), 'DOC_STRING');
});

test('Cucumber Expressions', () => {
  const phrase = expressionPhrase('the shared service {word} has been reset {int} time(s) by {string}', ['name', 'count', 'reason']);
  assert.equal(phrase.text, 'the shared service NAME has been reset N time(s) by "REASON"');
  assert.deepEqual(
    phrase.arguments.map((a) => [a.label, a.accepts]),
    [
      ['NAME', 'one word (no spaces)'],
      ['N', 'a whole number'],
      ['REASON', 'text in double or single quotes'],
    ],
  );
  assert.equal(expressionPhrase('I (re)start daemon/service {word}', ['name']).text, 'I [re]start (daemon|service) NAME');
});

test('parameter names come from the step function as cucumber-js reports it', () => {
  assert.deepEqual(parameterNames('function (file) {\n    return 1;\n}'), ['file']);
  assert.deepEqual(parameterNames('async function (name, stream, text) {'), ['name', 'stream', 'text']);
  assert.deepEqual(parameterNames('async function named(a, b = 2, ...rest) {'), ['a', 'b', 'rest']);
  assert.deepEqual(parameterNames('async (name) => {'), ['name']);
  assert.deepEqual(parameterNames('function () {'), []);
});

test('one parameter name can mean different things in different step files', () => {
  const regex = regexPhrase(source(`${DAEMON} ${NAME} (stdout|stderr) matches ${QUOTED}`), ['name', 'stream', 'pattern'], 'steps/output.ts');
  assert.match(regex.arguments[1]!.accepts, /^a JavaScript regular expression/);
  const processes = regexPhrase(source(`there is no ${QUOTED} process`), ['pattern'], 'steps/processes.ts');
  assert.match(processes.arguments[0]!.accepts, /command line/);
});

test('an unknown pattern is shown as it is', () => {
  const phrase = regexPhrase('^the answer is (4[0-9])$', ['answer']);
  assert.equal(phrase.text, 'the answer is ANSWER');
  assert.equal(phrase.arguments[0]!.accepts, 'text matching `/4[0-9]/`');
});

test("a JSON clause shows the brace the reader closes, though the pattern leaves it to the parser", () => {
  assert.equal(regexPhrase('^with environment (\\{.*)$', []).text, 'with environment {JSON}');
});

test("a helper script's FILE says it comes from the fixtures directory, and a written one's that it goes to the workspace", () => {
  const fixture = regexPhrase(source('a daemon helper shell script (\\S+)'), ['fixture'], 'steps/daemons.ts');
  assert.equal(fixture.text, 'a daemon helper shell script FILE');
  assert.match(fixture.arguments[0]!.accepts, /^a helper script in the project's fixtures directory \(`features\/fixtures`, or the `fixtures` setting\), copied/);
  const written = regexPhrase(source('a daemon helper shell script (\\S+) with:'), ['file', 'script'], 'steps/daemons.ts');
  assert.equal(written.arguments[0]!.accepts, "a path in the scenario's workspace");
});
