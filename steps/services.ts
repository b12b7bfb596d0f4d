import { type DataTable } from '@cucumber/cucumber';
import { Given } from '../support/define.js';
import { anchored, CLAUSES, CLAUSES_WITH_TABLE, NAME, QUOTED } from '../support/patterns.js';
import { sharedServices } from '../support/shared-services.js';
import { useSharedWithClauses } from '../support/clause-variants.js';
import { scenarioState } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;
const SHARED = `the shared service ${NAME} started with ${QUOTED}`;

async function useSharedService(world: object, name: string, command: string, clauses: string, table?: DataTable): Promise<void> {
  const { scope, label } = scenarioState(world);
  await useSharedWithClauses(sharedServices(scope.config), scope, { name, command, clauses, environmentTable: table?.raw() }, label);
}

Given(anchored(SHARED + CLAUSES), { timeout }, function (name: string, command: string, clauses: string) {
  return useSharedService(this, name, command, clauses);
});

Given(anchored(SHARED + CLAUSES_WITH_TABLE), { timeout }, function (name: string, command: string, clauses: string, table: DataTable) {
  return useSharedService(this, name, command, clauses, table);
});
