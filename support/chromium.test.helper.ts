/**
 * For tests: what a person sees of an HTML page, as headless Chromium renders it (Debian's
 * `chromium` package; `.ci/run` installs it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MARKER_VARIABLE, thisRun } from '../helpers/containment/marker.js';
import { processesWithMarker, readCommandLine, readProcStat, snapshotProcesses, type ProcStat } from '../helpers/containment/proc.js';
import { terminate } from '../helpers/containment/terminate.js';

/** The chromium on PATH, or undefined. */
export function findChromium(): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** What a person sees of a rendered page. */
export interface RenderedPage {
  /** The page's text, one line per element's text, scripts and styles left out. */
  lines: string[];
  /** The text of each `<summary>`: what a folded `<details>` still shows. */
  summaries: string[];
}

export interface RenderOptions {
  /** The DAEMON_STEPS_RUN value every process of the browser carries, so that a test can look for them. */
  marker?: string;
  /** How long the browser may take (default 120 s); then all of it is ended and the render fails. */
  timeoutMs?: number;
}

/**
 * The leader of the browser's process group: a shell that runs the browser (stdin from /dev/null,
 * no fd 3), writes its exit status to fd 3, and then waits on its stdin, which we hold. While it
 * waits it is our unreaped child, so its pid is the group's id and no one else's: the whole group,
 * renderer and zygote processes included, can be ended even once the browser's main process is gone.
 */
const GROUP_LEADER = '"$@" </dev/null 3>&-; echo $? >&3; exec 3>&-; read _';

/**
 * A page once its scripts have run. Cucumber's HTML report carries its messages in a script, so
 * only the rendered elements say what a person sees.
 *
 * The browser is a family (its renderer and zygote processes outlive a main process that is killed
 * alone), so it runs in a process group of its own (see GROUP_LEADER), carrying a marker for those
 * of its processes that leave the group (crashpad handlers call setsid): on every way out, the
 * timeout included, the group, the marked processes and their descendants are ended and awaited
 * (the engine's terminate) before this resolves or rejects.
 */
export async function renderPage(chromium: string, file: string, options: RenderOptions = {}): Promise<RenderedPage> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const marker = options.marker ?? `${thisRun.runId}:chromium-${randomBytes(3).toString('hex')}`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    // Without these Chromium reaches out to the network, which a closed machine refuses.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    // The report renders its scenarios after the page has loaded: let its timers run first.
    '--virtual-time-budget=10000',
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  const leader = spawn('sh', ['-c', GROUP_LEADER, 'sh', chromium, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, [MARKER_VARIABLE]: marker },
  });
  const startTime = (leader.pid !== undefined && readProcStat(leader.pid)?.startTime) || 0;
  if (leader.pid !== undefined) groups.set(marker, leader.pid);
  const hasExited = () => leader.exitCode !== null || leader.signalCode !== null;
  const exited = new Promise<string>((resolve) => {
    leader.once('exit', (code, signal) => resolve(`its process group's leader ended (${signal ?? `exit code ${code}`})`));
    leader.once('error', (error) => resolve(`it did not start: ${error.message}`));
  });
  leader.stdin!.on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  leader.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  leader.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Every process of the group holds stdout: it closes once all of them are gone.
  const stdoutClosed = once(leader.stdout!, 'close');
  const status = once(createInterface({ input: leader.stdio[3] as Readable }), 'line').then(([line]) => Number(line));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  let outcome: number | string;
  try {
    outcome = await Promise.race([status, exited, timedOut]);
  } finally {
    clearTimeout(timer);
    if (leader.pid !== undefined) await terminate({ pid: leader.pid, startTime, pgid: leader.pid, exited, hasExited, marker }, { graceMs: 2000 });
    rmSync(profile, { recursive: true, force: true });
  }
  if (outcome === 'timeout') throw new Error(`${chromium} did not render ${file} within ${timeoutMs / 1000} s; all of it was ended\n${stderr}`);
  if (outcome !== 0) throw new Error(`${chromium} failed: ${typeof outcome === 'string' ? outcome : `exit code ${outcome}`}\n${stderr}`);
  await stdoutClosed;
  const visible = stdout.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
  return {
    lines: textOf(visible).split('\n'),
    summaries: [...visible.matchAll(/<summary\b[^>]*>([\s\S]*?)<\/summary>/gi)].map((match) => textOf(match[1]!)),
  };
}

/** The process group each marker's browser ran in. */
const groups = new Map<string, number>();

/**
 * The live processes of the browser that `renderPage` ran with `marker`: those that carry the
 * marker, and those in its process group (Chromium rewrites the environment its zygote and
 * renderer processes show, to hold their long command lines).
 */
export function browserProcesses(marker: string): string[] {
  const group = groups.get(marker);
  const found = new Map<number, ProcStat>();
  for (const stat of processesWithMarker((each) => each === marker)) found.set(stat.pid, stat);
  if (group !== undefined) for (const stat of snapshotProcesses().values()) if (stat.pgrp === group) found.set(stat.pid, stat);
  return [...found.keys()].map((pid) => `${pid} (${readCommandLine(pid)})`);
}

function textOf(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<[^>]*>/g, '\n')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) =>
      name.startsWith('#x') || name.startsWith('#X') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (entities[name] ?? entity),
    )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
}
