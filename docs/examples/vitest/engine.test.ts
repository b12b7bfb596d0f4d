// The engine under vitest (3.x, which runs on Node 20): typed options, a probe of one's own, and a
// scope disposed of after all tests. Run with `npx vitest run --root docs/examples/vitest`.
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { DaemonScope, ReadinessTimeoutError, waitFor, type ProbeFactory } from 'daemon-steps/helpers';

const server = fileURLToPath(new URL('../node-test/greeting-server.mjs', import.meta.url));
const scope = new DaemonScope({ label: 'vitest example' });
afterAll(() => scope.dispose());

test('a server on a free port, ready when it answers HTTP', async () => {
  const web = await scope.start({ name: 'web', command: ['node', server, '${web.port}'], port: 'free', ready: [waitFor.http('/health')] });
  const answer = await fetch(`http://127.0.0.1:${web.port}/greet/vitest`);
  expect(await answer.text()).toBe('hello, vitest\n');
});

/** Ready once the server has logged this many requests on stderr. */
const servedRequests = (count: number): ProbeFactory => ({
  describe: () => `${count} requests served`,
  create: (daemon) => ({
    describe: () => `${daemon.name} to have served ${count} requests`,
    check: async () => (daemon.stderr?.read(daemon.from.stderr).toString().match(/^GET /gm) ?? []).length >= count,
  }),
});

test('a probe of your own, and the timeout that names it', async () => {
  const error = await scope
    .start({ name: 'idle', command: ['node', server, '${idle.port}'], port: 'free', ready: [servedRequests(1)], timeout: 300 })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReadinessTimeoutError);
  expect((error as Error).message).toMatch(/was not ready within 0\.3 s: waited for .*idle to have served 1 requests/);
});
