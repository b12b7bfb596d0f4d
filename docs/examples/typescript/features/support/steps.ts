// A TypeScript project's own step definitions. Importing the package registers daemon-steps'
// steps and hooks; `daemons(this)` is the scenario's registry of named daemons, fully typed.
import assert from 'node:assert/strict';
import { Then, When, World, setWorldConstructor } from '@cucumber/cucumber';
import { daemons, type Daemon } from 'daemon-steps';

// Your World stays yours: daemon-steps keeps its state beside it, never in it.
class WebsiteWorld extends World {
  page = '';
}
setWorldConstructor(WebsiteWorld);

When('I fetch {word} from daemon {word}', async function (this: WebsiteWorld, path: string, name: string) {
  const web: Daemon = daemons(this).get(name);
  const port: number | undefined = web.port;
  if (port === undefined) throw new Error(`daemon ${name} has no port: start it with ", on a free port"`);
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  this.page = await response.text();
});

Then('the page says {string}', function (this: WebsiteWorld, expected: string) {
  assert.equal(this.page.trim(), expected);
});
