/**
 * For tests: what a person sees of an HTML page, as headless Chromium renders it (Debian's
 * `chromium` package; `.ci/run` installs it).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

/**
 * A page once its scripts have run. Cucumber's HTML report carries its messages in a script, so
 * only the rendered elements say what a person sees.
 */
export async function renderPage(chromium: string, file: string): Promise<RenderedPage> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const dom = await new Promise<string>((resolve, reject) => {
      execFile(
        chromium,
        [
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
        ],
        { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${chromium} failed: ${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const visible = dom.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
    return {
      lines: textOf(visible).split('\n'),
      summaries: [...visible.matchAll(/<summary\b[^>]*>([\s\S]*?)<\/summary>/gi)].map((match) => textOf(match[1]!)),
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
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
