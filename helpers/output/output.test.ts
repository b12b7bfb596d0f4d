import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileContains, readFileTail } from './file-search.js';
import { OutputSpool } from './output.js';
import { SeamSearch, watchForBytes } from './watch-bytes.js';
import { showBytes } from './text.js';

let directory: string;
before(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'output-test-'));
});
after(() => rmSync(directory, { recursive: true, force: true }));

let spoolCounter = 0;
function newSpool(): OutputSpool {
  spoolCounter += 1;
  return new OutputSpool(path.join(directory, `daemon-${spoolCounter}.stdout`));
}

/** Like AbortSignal.timeout, but its timer keeps the test's event loop alive. */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error(`nothing within ${ms} ms`)), ms);
  return controller.signal;
}

/** Splits `bytes` into chunks at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const edges = [0, ...at, bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

describe('SeamSearch', () => {
  it('finds a needle wherever the chunk boundaries fall, and nothing that is not there', () => {
    const text = Buffer.from('xxxxready!xxxx');
    const needle = Buffer.from('ready!');
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= text.length; b++) {
        const search = new SeamSearch(needle);
        assert.ok(cut(text, [a, b]).some((chunk) => search.feed(chunk)), `cut at ${a}, ${b}`);
        const miss = new SeamSearch(Buffer.from('ready?'));
        assert.ok(!cut(text, [a, b]).some((chunk) => miss.feed(chunk)), `no false match at ${a}, ${b}`);
      }
    }
  });

  it('finds a needle spread over many one-byte chunks', () => {
    const search = new SeamSearch(Buffer.from('abc'));
    const found = [...'xxabcx'].map((c) => search.feed(Buffer.from(c)));
    assert.deepEqual(found, [false, false, false, false, true, false]);
  });
});

describe('fileContains', () => {
  it('reads through a file, finding text that straddles its 4 MiB read boundaries', async () => {
    const file = path.join(directory, 'big.log');
    const content = Buffer.alloc(9 << 20, 'a');
    content.write('NEEDLE', (4 << 20) - 3);
    writeFileSync(file, content);
    assert.equal(await fileContains(file, Buffer.from('NEEDLE')), true);
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), 4 << 20), false, 'from an offset on');
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), 0, (4 << 20) + 2), false, 'up to an end before its last byte');
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), (4 << 20) - 3, (4 << 20) + 3), true, 'exactly from its first to its last byte');
    assert.equal(await fileContains(file, Buffer.from('NEEDLES')), false);
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), 10 << 20), false, 'from beyond the end');
  });

  it('reads from the end backwards, finding text that straddles the 4 MiB boundaries counted from the end', async () => {
    const file = path.join(directory, 'big-from-the-end.log');
    const content = Buffer.alloc(9 << 20, 'a');
    content.write('NEEDLE', (5 << 20) - 3);
    content.write('FIRST', 0);
    content.write('LAST', (9 << 20) - 4);
    writeFileSync(file, content);
    assert.equal(await fileContains(file, Buffer.from('NEEDLE')), true);
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), 0, (5 << 20) + 2), false, 'up to an end before its last byte');
    assert.equal(await fileContains(file, Buffer.from('NEEDLE'), (5 << 20) - 2), false, 'from after its first byte');
    assert.equal(await fileContains(file, Buffer.from('FIRST')), true, 'the first bytes of the file');
    assert.equal(await fileContains(file, Buffer.from('FIRST'), 1), false, 'from the second byte on');
    assert.equal(await fileContains(file, Buffer.from('LAST')), true, 'the last bytes of the file');
  });

  it('finds nothing in a missing file, and an empty needle anywhere', async () => {
    assert.equal(await fileContains(path.join(directory, 'missing.log'), Buffer.from('x')), false);
    assert.equal(await fileContains(path.join(directory, 'missing.log'), Buffer.alloc(0)), true);
  });
});

describe('OutputSpool', () => {
  it('writes every chunk to its file before telling listeners, and keeps a last line without a newline', () => {
    const spool = newSpool();
    const seen: number[] = [];
    spool.onChunk(() => seen.push(spool.read().length));
    spool.append(Buffer.from('one\n'));
    spool.append(Buffer.from('two, no newline'));
    assert.deepEqual(seen, [4, 19]);
    assert.equal(spool.size, 19);
    assert.equal(spool.read().toString(), 'one\ntwo, no newline');
    assert.equal(spool.read(4, 7).toString(), 'two');
    spool.close();
  });

  it('shows bytes that are not UTF-8 escaped in its tail, never throwing', () => {
    const spool = newSpool();
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a, 0xe2, 0x82]);
    spool.append(bytes);
    assert.deepEqual(spool.read(), bytes, 'kept byte for byte');
    assert.equal(spool.tail(), 'caf\\xe9\n\\xff\\xfe\n\\xe2\\x82');
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

  it('shows valid UTF-8 as itself, whatever the script', () => {
    assert.equal(showBytes(Buffer.from('naïve ☃ 𝄞\n')), 'naïve ☃ 𝄞\n');
  });
});

describe('watchForBytes', () => {
  it('sees text already written, and text written later split across chunks, once it is complete', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('early bird\n'));
    const signal = new AbortController().signal;
    await watchForBytes(spool, Buffer.from('early'), 0, signal);

    let sizeWhenSeen = -1;
    const later = watchForBytes(spool, Buffer.from('listening on 8080'), 0, signal).then(() => {
      sizeWhenSeen = spool.size;
    });
    for (const chunk of ['listen', 'ing o', 'n 80', '80\n']) {
      await fileContains(spool.path, Buffer.from('let the file be read meanwhile'));
      spool.append(Buffer.from(chunk));
    }
    await later;
    assert.equal(sizeWhenSeen, spool.size, 'seen when the last piece arrived, not before');
    spool.close();
  });

  it('sees text that straddles what was written and what arrives', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('xx rea'));
    let sizeWhenSeen = -1;
    const seen = watchForBytes(spool, Buffer.from('ready'), 0, new AbortController().signal).then(() => {
      sizeWhenSeen = spool.size;
    });
    await fileContains(spool.path, Buffer.from('let the file be read meanwhile'));
    assert.equal(sizeWhenSeen, -1, 'half of it is not it');
    spool.append(Buffer.from('dy'));
    await seen;
    assert.equal(sizeWhenSeen, 8, 'seen when its second half arrived');
    spool.close();
  });

  it('looks only from the given offset on (a restart watches only new output)', async () => {
    const spool = newSpool();
    spool.append(Buffer.from('ready\n'));
    let sizeWhenSeen = -1;
    const watching = watchForBytes(spool, Buffer.from('ready'), spool.size, new AbortController().signal).then(() => {
      sizeWhenSeen = spool.size;
    });
    await fileContains(spool.path, Buffer.from('let the file be read meanwhile'));
    spool.append(Buffer.from('re'));
    spool.append(Buffer.from('ady\n'));
    await watching;
    assert.equal(sizeWhenSeen, 12);
    spool.close();
  });

  it('misses nothing written while it is still searching what was there before', async () => {
    const spool = newSpool();
    spool.append(Buffer.alloc(4 << 20, '.'));
    const watching = watchForBytes(spool, Buffer.from('THE END'), 0, new AbortController().signal);
    const absent = new AbortController();
    const watchingForAbsent = watchForBytes(spool, Buffer.from('THE END!'), 0, absent.signal);
    // Written while the 4 MiB already in the file are being searched, split across the two writes.
    spool.append(Buffer.from('THE'));
    spool.append(Buffer.from(' END'));
    await watching;
    // Text that was not written is not found: the watch above ended because it found its text.
    await fileContains(spool.path, Buffer.from('let the search for the absent text finish'));
    absent.abort(new Error('not there'));
    await assert.rejects(watchingForAbsent, /not there/);
    spool.close();
  });

  it('stops watching when aborted', async () => {
    const spool = newSpool();
    const controller = new AbortController();
    const watching = watchForBytes(spool, Buffer.from('never'), 0, controller.signal);
    controller.abort(new Error('no longer needed'));
    await assert.rejects(watching, { message: 'no longer needed' });
    await assert.rejects(watchForBytes(spool, Buffer.from('x'), 0, AbortSignal.abort(new Error('aborted before'))), { message: 'aborted before' });
    spool.close();
  });
});

describe('readFileTail', () => {
  it('reads the last bytes of a file, all of a short one, nothing of a missing one', () => {
    const file = path.join(directory, 'tail.log');
    writeFileSync(file, 'abcdef');
    assert.equal(readFileTail(file, 3).toString(), 'def');
    assert.equal(readFileTail(file, 100).toString(), 'abcdef');
    assert.equal(readFileTail(path.join(directory, 'missing.log'), 10).length, 0);
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

  it('hands on a great deal appended at once in pieces of at most 1 MiB, every byte in order', async () => {
    const writer = newSpool();
    const follower = new OutputSpool(writer.path, { follow: true });
    const pieces: Buffer[] = [];
    let received = 0;
    const big = Buffer.alloc((3 << 20) + 5);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const all = new Promise<void>((resolve) => {
      const stop = follower.onChunk((chunk) => {
        pieces.push(chunk);
        received += chunk.length;
        if (received >= big.length) {
          stop();
          resolve();
        }
      });
    });
    writer.append(big);
    await all;
    assert.ok(pieces.every((piece) => piece.length <= 1 << 20), `pieces of ${pieces.map((piece) => piece.length).join(', ')} bytes`);
    assert.ok(Buffer.concat(pieces).equals(big));
    follower.close();
    writer.close();
  });
});
