import { InvalidArgumentError, UnknownClauseError } from '../helpers/errors.js';
import { isEnvironmentTableClause, parseClauseList, splitClauses, type StartClauses } from '../helpers/services/clause-grammar.js';

export {
  describeClauses,
  parseEnvironmentJson,
  parseEnvironmentTable,
  splitClauses,
  type OutputStreamName,
  type RestartPolicyClause,
  type StartClauses,
  type WaitClause,
} from '../helpers/services/clause-grammar.js';

/**
 * Parses the clauses after a daemon's name in a step (the engine's clause grammar), in the words of
 * the step: `, with environment:` must end it, since its table follows the step.
 */
export function parseClauses(tail: string): StartClauses {
  const segments = splitClauses(tail);
  const table = segments.findIndex(isEnvironmentTableClause);
  try {
    if (table >= 0 && table !== segments.length - 1) {
      parseClauseList(segments.slice(0, table)); // a mistake before it is reported first, as the step reads
      throw new InvalidArgumentError("', with environment:' must be the last clause of the step (its table follows the step)");
    }
    return parseClauseList(segments);
  } catch (error) {
    if (!(error instanceof UnknownClauseError)) throw error;
    throw new InvalidArgumentError(`unknown clause ', ${error.clause}'; a start step takes, in any order:\n` + error.examples.map((example) => `  , ${example}`).join('\n'));
  }
}
