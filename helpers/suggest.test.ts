import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestWord, didYouMean } from './suggest.js';

describe('closestWord', () => {
  it('allows one slip per three letters by default, a swap of neighbours counting as one', () => {
    assert.equal(closestWord('comand', ['command', 'port']), 'command');
    assert.equal(closestWord('TREM', ['TERM', 'KILL']), 'TERM');
    assert.equal(closestWord('NOPE', ['PIPE', 'HUP']), undefined);
    assert.equal(closestWord('prot', ['port', 'ready']), 'port');
    assert.equal(closestWord('pot', ['port']), 'port');
    assert.equal(closestWord('pt', ['port']), undefined);
  });

  it('takes another bound, and ignores case', () => {
    assert.equal(closestWord('wbe', ['db', 'web']), 'web');
    assert.equal(closestWord('wbe', ['db', 'web'], 1), 'web');
    assert.equal(closestWord('wenn', ['db', 'web'], 2), 'web');
    assert.equal(closestWord('Wbe', ['web'], 2), 'web');
    assert.equal(closestWord('apple', ['web'], 2), undefined);
  });

  it('prefers the closest, then the first of equals', () => {
    assert.equal(closestWord('USR3', ['USR1', 'USR2']), 'USR1');
    assert.equal(closestWord('commnd', ['comment', 'command'], 2), 'command');
  });

  it('suggests nothing that shares no letter with the word, nor from no candidates', () => {
    assert.equal(closestWord('x', ['db'], 2), undefined);
    assert.equal(closestWord('ab', ['cd'], 2), undefined);
    assert.equal(closestWord('web', []), undefined);
  });
});

describe('didYouMean', () => {
  it("says which known name is within two edits, or nothing", () => {
    assert.equal(didYouMean('wbe', ['db', 'web']), "; did you mean 'web'?");
    assert.equal(didYouMean('wbeserver', ['webserver']), "; did you mean 'webserver'?");
    assert.equal(didYouMean('api', ['db', 'web']), '');
  });
});
