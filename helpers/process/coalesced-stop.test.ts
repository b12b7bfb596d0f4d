import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoalescedStop } from './coalesced-stop.js';

describe('CoalescedStop', () => {
  it('a second stop while one is under way runs nothing again and shares the first one’s outcome', async () => {
    const stop = new CoalescedStop<string>();
    let runs = 0;
    let finish: (outcome: string) => void = () => undefined;
    const first = stop.run(() => {
      runs += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    const second = stop.run(async () => {
      runs += 1;
      return 'second';
    });
    assert.equal(stop.isUnderway, true);
    finish('first');
    assert.deepEqual(await Promise.all([first, second]), ['first', 'first']);
    assert.equal(runs, 1);
  });

  it('once the stop has ended, failed or not, the next one runs anew', async () => {
    const stop = new CoalescedStop<string>();
    await assert.rejects(stop.run(async () => Promise.reject(new Error('survivors'))), { message: 'survivors' });
    assert.equal(stop.isUnderway, false);
    assert.equal(stop.underway, undefined);
    assert.equal(await stop.run(async () => 'again'), 'again');
  });
});
