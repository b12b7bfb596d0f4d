import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A step definition as cucumber-js reports it (`--format usage-json`). */
export interface StepDefinition {
  /** `dist/steps/daemons.js:36`, as the json formatter names a step's match. */
  location: string;
  /** The TypeScript file it was compiled from, e.g. `steps/daemons.ts`. */
  source: string;
  pattern: string;
  patternType: 'RegularExpression' | 'CucumberExpression';
  code: string;
}

/** One step of a feature file, as written there (`--format json`). */
export interface WrittenStep {
  uri: string;
  line: number;
  /** The scenario's name. */
  scenario: string;
  keyword: string;
  text: string;
  docString?: string;
  table?: string[][];
  /** The definition it matched; undefined when none did. */
  location?: string;
  status: string;
}

interface UsageEntry {
  uri: string;
  line: number;
  pattern: string;
  patternType: StepDefinition['patternType'];
  code: string;
}

interface JsonFeature {
  uri: string;
  elements?: Array<{
    name: string;
    steps?: Array<{
      keyword: string;
      name?: string;
      line?: number;
      hidden?: boolean;
      match?: { location?: string };
      result?: { status: string };
      arguments?: Array<{ content?: string; rows?: Array<{ cells: string[] }> }>;
    }>;
  }>;
}

/**
 * Dry-runs the given feature files with the project's own cucumber configuration, so the steps are
 * loaded exactly as users load them, and returns every step definition and every written step.
 */
export function dryRun(root: string, paths: string[]): { definitions: StepDefinition[]; steps: WrittenStep[] } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'daemon-steps-docs-'));
  const usageFile = path.join(directory, 'usage.json');
  const jsonFile = path.join(directory, 'steps.json');
  try {
    const run = spawnSync(
      'npx',
      ['--no-install', 'cucumber-js', '--dry-run', '--format', `usage-json:${usageFile}`, '--format', `json:${jsonFile}`, ...paths],
      { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let usage: UsageEntry[];
    let features: JsonFeature[];
    try {
      usage = JSON.parse(readFileSync(usageFile, 'utf8')) as UsageEntry[];
      features = JSON.parse(readFileSync(jsonFile, 'utf8')) as JsonFeature[];
    } catch {
      throw new Error(`cucumber-js --dry-run did not produce its reports (build first: npm run build):\n${(run.stdout + run.stderr).slice(-2000)}`);
    }
    return { definitions: usage.map(toDefinition), steps: features.flatMap(writtenSteps) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function toDefinition(entry: UsageEntry): StepDefinition {
  return {
    location: `${entry.uri}:${entry.line}`,
    source: entry.uri.replace(/^dist\//, '').replace(/\.js$/, '.ts'),
    pattern: entry.pattern,
    patternType: entry.patternType,
    code: entry.code,
  };
}

function writtenSteps(feature: JsonFeature): WrittenStep[] {
  const steps: WrittenStep[] = [];
  for (const element of feature.elements ?? []) {
    for (const step of element.steps ?? []) {
      if (step.hidden || step.name === undefined || step.line === undefined) continue;
      const docString = step.arguments?.find((a) => a.content !== undefined)?.content;
      const rows = step.arguments?.find((a) => a.rows !== undefined)?.rows;
      steps.push({
        uri: feature.uri,
        line: step.line,
        scenario: element.name,
        keyword: step.keyword.trim(),
        text: step.name,
        docString,
        table: rows?.map((row) => row.cells),
        location: step.match?.location,
        status: step.result?.status ?? 'unknown',
      });
    }
  }
  return steps;
}
