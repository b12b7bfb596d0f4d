import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownClauseError } from '../errors.js';
import { describeClauses, parseClauses } from './clause-grammar.js';

describe('the clause grammar', () => {
  it('refuses an unknown clause with an error that carries it and an example of each clause, in no step’s words', () => {
    assert.throws(
      () => parseClauses(', waiting for HTTP /health, on prot 8888'),
      (error: unknown) => {
        assert.ok(error instanceof UnknownClauseError);
        assert.equal(error.clause, 'on prot 8888');
        assert.deepEqual(error.examples, describeClauses().map((clause) => clause.example));
        assert.equal(error.message.split('\n')[0], "unknown clause ', on prot 8888'; the clauses are, in any order:");
        assert.doesNotMatch(error.message, /step/);
        return true;
      },
    );
  });

  it('leaves where a table clause may stand to its caller', () => {
    assert.equal(parseClauses(', with environment:, on port 3').environmentFromTable, true);
  });
});
