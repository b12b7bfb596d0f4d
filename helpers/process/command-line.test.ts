import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCommand } from './command-line.js';
import { InvalidArgumentError } from '../errors.js';

describe('splitCommand', () => {
  it('splits words at whitespace without running a shell', () => {
    assert.deepEqual(splitCommand('sleep  12765'), ['sleep', '12765']);
    assert.deepEqual(splitCommand('echo a|b && c'), ['echo', 'a|b', '&&', 'c']);
  });

  it('keeps single-quoted text literally, but reads \\" as a quote (the step itself is quoted)', () => {
    assert.deepEqual(splitCommand("sh -c 'echo $HOME; exit 3'"), ['sh', '-c', 'echo $HOME; exit 3']);
    assert.deepEqual(splitCommand("sh -c 'echo \\\"hi\\\"'"), ['sh', '-c', 'echo "hi"']);
  });

  it('honours \\" and \\\\ inside double quotes and backslash escapes outside', () => {
    assert.deepEqual(splitCommand('printf "a \\"b\\" \\\\n"'), ['printf', 'a "b" \\n']);
    assert.deepEqual(splitCommand('touch a\\ b'), ['touch', 'a b']);
  });

  it('keeps empty quoted words', () => {
    assert.deepEqual(splitCommand("prog '' x"), ['prog', '', 'x']);
  });

  it('rejects an unterminated quote and an empty command with a message that says what to do', () => {
    assert.throws(() => splitCommand("sh -c 'oops"), {
      name: 'InvalidArgumentError',
      message: `command "sh -c 'oops" has an unterminated single quote; close it or escape it with a backslash`,
    });
    assert.throws(() => splitCommand('   '), InvalidArgumentError);
  });
});
