/**
 * For tests: runs cucumber-js on a fixture feature, the way a user runs it, with the message
 * formatter, and reads back what the report says about each scenario.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const cucumberBin = path.join(projectRoot, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

export interface StepReport {
  text: string;
  status: string;
  /** What a formatter prints: the error's stack, with a diff of actual and expected when the error has them. */
  message?: string;
  /** The error's class (`type`) and its own message. */
  exception?: { type: string; message?: string };
}

export interface ScenarioReport {
  name: string;
  workerId?: string;
  steps: StepReport[];
  /** `step`: the text of the step it was attached at; none for a hook. `fileName`: its name, if it has one. */
  attachments: Array<{ body: string; mediaType: string; fileName?: string; step?: string }>;
}

export interface CucumberRun {
  exitCode: number | null;
  /** What cucumber-js printed, for assertion messages. */
  output: string;
  scenarios: ScenarioReport[];
  scenario(name: string): ScenarioReport;
}

/**
 * Runs `cucumber-js FEATURE --format message:…` from the project root and parses the messages.
 * `htmlReport`: a file to write cucumber's HTML report to as well.
 */
export async function runFeature(feature: string, options: { args?: string[]; env?: NodeJS.ProcessEnv; htmlReport?: string } = {}): Promise<CucumberRun> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'cucumber-run-'));
  const messages = path.join(directory, 'messages.ndjson');
  try {
    const html = options.htmlReport ? ['--format', `html:${options.htmlReport}`] : [];
    const child = spawn(process.execPath, [cucumberBin, feature, '--format', `message:${messages}`, ...html, ...(options.args ?? [])], {
      cwd: projectRoot,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const scenarios = parseMessages(readFileSync(messages, 'utf8'));
    removeKeptWorkspaces(scenarios);
    return {
      exitCode,
      output,
      scenarios,
      scenario(name) {
        const found = scenarios.find((s) => s.name === name);
        if (!found) throw new Error(`no scenario '${name}' in the report; there are: ${scenarios.map((s) => s.name).join(', ')}\n${output}`);
        return found;
      },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

interface Envelope {
  pickle?: { id: string; name: string; steps: Array<{ id: string; text: string }> };
  testCase?: { id: string; pickleId: string; testSteps: Array<{ id: string; pickleStepId?: string }> };
  testCaseStarted?: { id: string; testCaseId: string; workerId?: string };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: { status: string; message?: string; exception?: { type: string; message?: string } } };
  attachment?: { testCaseStartedId?: string; testStepId?: string; body: string; mediaType: string; fileName?: string };
}

function parseMessages(ndjson: string): ScenarioReport[] {
  const envelopes = ndjson.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Envelope);
  const pickles = new Map(envelopes.flatMap((e) => (e.pickle ? [[e.pickle.id, e.pickle] as const] : [])));
  const testCases = new Map(envelopes.flatMap((e) => (e.testCase ? [[e.testCase.id, e.testCase] as const] : [])));
  const reports = new Map<string, ScenarioReport & { testCaseId: string }>();
  for (const { testCaseStarted: started } of envelopes) {
    if (!started) continue;
    const pickle = pickles.get(testCases.get(started.testCaseId)!.pickleId)!;
    reports.set(started.id, { name: pickle.name, workerId: started.workerId, steps: [], attachments: [], testCaseId: started.testCaseId });
  }
  /** The text of a test step, or undefined for a hook. */
  const stepText = (report: { testCaseId: string }, testStepId: string | undefined): string | undefined => {
    const testCase = testCases.get(report.testCaseId)!;
    const pickleStepId = testCase.testSteps.find((s) => s.id === testStepId)?.pickleStepId;
    return pickleStepId && pickles.get(testCase.pickleId)!.steps.find((s) => s.id === pickleStepId)!.text;
  };
  for (const { testStepFinished: finished, attachment } of envelopes) {
    if (finished) {
      const report = reports.get(finished.testCaseStartedId)!;
      const text = stepText(report, finished.testStepId);
      if (text === undefined) continue; // a hook
      const { status, message, exception } = finished.testStepResult;
      report.steps.push({ text, status, message, ...(exception ? { exception: { type: exception.type, message: exception.message } } : {}) });
    }
    if (attachment?.testCaseStartedId) {
      const report = reports.get(attachment.testCaseStartedId)!;
      const step = stepText(report, attachment.testStepId);
      const { body, mediaType, fileName } = attachment;
      report.attachments.push({ body, mediaType, ...(fileName === undefined ? {} : { fileName }), ...(step === undefined ? {} : { step }) });
    }
  }
  return [...reports.values()].map(({ testCaseId: _, ...report }) => report);
}

/** Failed scenarios keep their workspace (and say so in the report); the test does not. */
function removeKeptWorkspaces(scenarios: ScenarioReport[]): void {
  for (const { attachments } of scenarios) {
    for (const { body } of attachments) {
      const kept = /^workspace kept: (.+)$/.exec(body)?.[1];
      const runDirectory = kept && path.dirname(kept);
      if (runDirectory && path.dirname(runDirectory) === os.tmpdir() && /^daemon-steps-\d+\.\d+\.[0-9a-f]+$/.test(path.basename(runDirectory))) {
        rmSync(runDirectory, { recursive: true, force: true });
      }
    }
  }
}
