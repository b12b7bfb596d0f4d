#!/usr/bin/env node
/**
 * `node dist/bin/shards.js TOTAL [cucumber-js options…]`: runs this project's features as TOTAL
 * shards of cucumber-js at once (`--shard 1/TOTAL` … `TOTAL/TOTAL`), each a run of its own — its
 * own watchdog, free ports and shared services — as the jobs of a CI matrix would on separate
 * machines; here they share one machine, its port locks and its temporary directory, which is the
 * harder case. Each shard's output is shown whole once it ends; exits 1 when any shard failed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [totalText, ...options] = process.argv.slice(2);
const total = Number(totalText);
if (!Number.isInteger(total) || total < 1) {
  process.stderr.write(`shards: the number of shards must be a whole number of at least 1, got ${totalText ?? 'nothing'}\nUsage: node dist/bin/shards.js TOTAL [cucumber-js options…]\n`);
  process.exit(2);
}
const cucumber = fileURLToPath(new URL('../../node_modules/@cucumber/cucumber/bin/cucumber.js', import.meta.url));

interface ShardResult {
  shard: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  output: Buffer[];
}

function runShard(index: number): Promise<ShardResult> {
  const shard = `${index}/${total}`;
  const started = performance.now();
  const child = spawn(process.execPath, [cucumber, '--shard', shard, ...options], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  // Ctrl-C reaches the shards through the terminal's process group; they stop their own daemons.
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ shard, code, signal, seconds: (performance.now() - started) / 1000, output })),
  );
}

const started = performance.now();
const results = await Promise.all(Array.from({ length: total }, (_, i) => runShard(i + 1)));
for (const { shard, code, signal, seconds, output } of results) {
  process.stdout.write(`\n# shard ${shard}: ${signal ? `ended by ${signal}` : `exit code ${code}`} after ${seconds.toFixed(1)} s\n`);
  process.stdout.write(Buffer.concat(output));
}
const failed = results.filter((result) => result.code !== 0);
process.stdout.write(
  `\n# ${total} shards at once: ${failed.length === 0 ? 'all passed' : `shard ${failed.map((r) => r.shard).join(', ')} failed`}` +
    ` after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
