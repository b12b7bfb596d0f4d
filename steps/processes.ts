import { Given, Then } from '@cucumber/cucumber';
import { DaemonStepsError, describePortHolder, findProcesses, isPortOpen } from '../helpers/index.js';
import { anchored, QUOTED } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';

Given(anchored(`there is no ${QUOTED} process`), async function (pattern: string) {
  const scope = scenarioScope(this);
  const found = await findProcesses(scope.expand(pattern), scope.marker);
  if (found.length > 0) {
    throw new DaemonStepsError(
      `expected no process whose command line contains "${pattern}", but found:\n` +
        found.map((p) => `  pid ${p.pid}: ${p.commandLine}`).join('\n'),
    );
  }
});

Then(anchored(`a process ${QUOTED} is running`), async function (pattern: string) {
  const scope = scenarioScope(this);
  const found = await findProcesses(scope.expand(pattern), scope.marker);
  if (found.length === 0) {
    throw new DaemonStepsError(`expected a running process whose command line contains "${pattern}", but there is none`);
  }
});

async function portOpen(world: object, written: string): Promise<{ port: number; host: string; open: boolean }> {
  const scope = scenarioScope(world);
  const text = scope.expand(written);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new DaemonStepsError(`port ${written}: '${text}' is not a TCP port; write a number from 1 to 65535, or \${NAME.port} for a daemon's port`);
  }
  return { port, host: scope.config.host, open: await isPortOpen(port, scope.config.host) };
}

Then(anchored('port (\\S+) is open'), async function (written: string) {
  const { port, host, open } = await portOpen(this, written);
  if (!open) throw new DaemonStepsError(`port ${port} on ${host} is closed: nothing accepted a TCP connection`);
});

Then(anchored('port (\\S+) is closed'), async function (written: string) {
  const { port, host, open } = await portOpen(this, written);
  if (open) {
    const holder = describePortHolder(port);
    throw new DaemonStepsError(`port ${port} on ${host} is open: ${holder ? `${holder} listens on it` : 'something accepted a TCP connection'}`);
  }
});
