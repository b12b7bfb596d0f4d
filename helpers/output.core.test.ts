import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileContains, OutputSpool, readFileTail, watchForBytes } from './output.js';

let dir: string;
let counter = 0;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'output-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function newSpool(): OutputSpool {
  counter += 1;
  return new OutputSpool(path.join(dir, `spool-${counter}.stdout`));
}

const never = new AbortController().signal;

/** Like AbortSignal.timeout, but its timer keeps the test's event loop alive. */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error(`nothing within ${ms} ms`)), ms);
  return controller.signal;
}

describe('OutputSpool', () => {
  it('keeps every byte appended, in order, and reads from an offset', () => {
    const spool = newSpool();
    spool.append(Buffer.from('hel'));
    spool.append(Buffer.from('lo wor'));
    spool.append(Buffer.from([0xff, 0x0a]));
    assert.equal(spool.size, 11);
    assert.deepEqual(spool.read(), Buffer.concat([Buffer.from('hello wor'), Buffer.from([0xff, 0x0a])]));
    assert.deepEqual(spool.read(6), Buffer.from([0x77, 0x6f, 0x72, 0xff, 0x0a]));
    assert.equal(spool.tail(), 'hello wor\\xff\n');
    spool.close();
  });

  it('finds text across the chunks it was appended in, from an offset', async () => {
    const spool = newSpool();
    for (const chunk of ['rea', 'dy', ' and ', 're', 'ady']) spool.append(Buffer.from(chunk));
    assert.equal(await spool.contains(Buffer.from('ready')), true);
    assert.equal(await spool.contains(Buffer.from('ready'), 1), true);
    assert.equal(await spool.contains(Buffer.from('ready and'), 1), false);
    assert.equal(await spool.contains(Buffer.from('absent')), false);
    spool.close();
  });

  it('appends to an existing file after a restart, counting what is there', () => {
    const spool = newSpool();
    spool.append(Buffer.from('first\n'));
    spool.close();
    const again = new OutputSpool(spool.path);
    again.append(Buffer.from('second\n'));
    assert.equal(again.size, 13);
    assert.equal(again.read().toString(), 'first\nsecond\n');
    again.close();
  });

  it('spools an attached stream and says when it has drained', async () => {
    const spool = newSpool();
    const stream = new PassThrough();
    spool.attach(stream);
    assert.equal(spool.idle, false);
    stream.write('one\n');
    stream.end('two\n');
    await spool.drained(10_000);
    assert.equal(spool.idle, true);
    assert.equal(spool.read().toString(), 'one\ntwo\n');
    spool.close();
  });
});

describe('fileContains', () => {
  it('finds a needle that straddles the 1 MiB read chunks', async () => {
    const file = path.join(dir, 'big');
    const needle = Buffer.from('NEEDLE');
    writeFileSync(file, Buffer.concat([Buffer.alloc((1 << 20) - 3, 'a'), needle, Buffer.alloc(10, 'b')]));
    assert.equal(await fileContains(file, needle), true);
    assert.equal(await fileContains(file, needle, 0, (1 << 20) + 2), false);
    assert.equal(await fileContains(file, needle, (1 << 20) - 2), false);
  });

  it('finds nothing in a missing file, and an empty needle anywhere', async () => {
    assert.equal(await fileContains(path.join(dir, 'missing'), Buffer.from('x')), false);
    assert.equal(await fileContains(path.join(dir, 'missing'), Buffer.alloc(0)), true);
  });
});

describe('watchForBytes', () => {
  it('sees text that arrives later, split across chunks', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('booting\n'));
    const seen = watchForBytes(spool, Buffer.from('ready'), 0, never);
    for (const chunk of ['r', 'e', 'ad', 'y\n']) spool.append(Buffer.from(chunk));
    await seen;
    spool.close();
  });

  it('sees text that was written before the watch began', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('listening on 8080\n'));
    await watchForBytes(spool, Buffer.from('listening'), 0, never);
    spool.close();
  });

  it('sees text that straddles what was written and what arrives', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('xx rea'));
    const seen = watchForBytes(spool, Buffer.from('ready'), 0, never);
    spool.append(Buffer.from('dy'));
    await seen;
    spool.close();
  });

  it('ignores text before its offset (a restart watches only new output)', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('ready\n'));
    await assert.rejects(watchForBytes(spool, Buffer.from('ready'), spool.size, abortAfter(100)), { message: 'nothing within 100 ms' });
    const seen = watchForBytes(spool, Buffer.from('ready'), spool.size, never);
    spool.append(Buffer.from('ready again\n'));
    await seen;
    spool.close();
  });

  it('rejects with the reason when aborted', async () => {
    const spool = newSpool();
    const controller = new AbortController();
    const seen = watchForBytes(spool, Buffer.from('never'), 0, controller.signal);
    controller.abort(new Error('gave up'));
    await assert.rejects(seen, { message: 'gave up' });
    const aborted = AbortSignal.abort(new Error('already'));
    await assert.rejects(watchForBytes(spool, Buffer.from('x'), 0, aborted), { message: 'already' });
    spool.close();
  });
});

describe('readFileTail', () => {
  it('reads the last bytes of a file, all of a short one, nothing of a missing one', () => {
    const file = path.join(dir, 'tail');
    writeFileSync(file, 'abcdef');
    assert.equal(readFileTail(file, 3).toString(), 'def');
    assert.equal(readFileTail(file, 100).toString(), 'abcdef');
    assert.equal(readFileTail(path.join(dir, 'missing'), 10).length, 0);
  });
});

describe('OutputSpool following a file another process writes', () => {
  it('reads what has been written so far, and tells listeners of what is appended later', async () => {
    const writer = newSpool();
    writer.append(Buffer.from('before\n'));
    const follower = new OutputSpool(writer.path, { follow: true });
    assert.equal(follower.size, 7);
    assert.equal(await follower.contains(Buffer.from('before')), true);

    const seen: string[] = [];
    let stop: () => void = () => undefined;
    const heard = new Promise<void>((resolve) => {
      stop = follower.onChunk((chunk) => {
        seen.push(chunk.toString());
        if (seen.join('').endsWith('ready, set\n')) resolve();
      });
    });
    const ready = watchForBytes(follower, Buffer.from('ready, set'), 0, abortAfter(5000));
    writer.append(Buffer.from('ready, '));
    writer.append(Buffer.from('set\n'));
    await Promise.all([ready, heard]);
    assert.equal(follower.size, 18);
    assert.equal(seen.join(''), 'ready, set\n');
    assert.equal(follower.tail(), 'before\nready, set\n');
    // A follower never writes into the file it follows.
    follower.append(Buffer.from('not mine'));
    assert.equal(writer.size, 18);
    stop();
    follower.close();
    writer.close();
  });
});
