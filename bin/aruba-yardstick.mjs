#!/usr/bin/env node
// A maintainer's tool, not shipped: runs the inner scenarios of Aruba's own command features (the
// feature file each outer scenario writes, with the executables it creates, in a project of its
// own) with cucumber-js and daemon-steps/aruba, says whether each ends as the outer scenario
// expects (pass or fail; the text of Ruby cucumber's report is not compared), and dry-runs each
// with daemon-steps' own steps loaded too. Build first (npm run build), then:
//   node bin/aruba-yardstick.mjs PATH/TO/ARUBA . [features/…/x.feature …]
// Scenarios whose executables are Ruby scripts, or that run irb, need a Ruby on PATH.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const [arubaArgument, projectArgument, ...only] = process.argv.slice(2);
if (!arubaArgument || !projectArgument) {
  console.error('usage: node bin/aruba-yardstick.mjs PATH/TO/ARUBA PATH/TO/DAEMON-STEPS [feature …]');
  process.exit(2);
}
const aruba = path.resolve(arubaArgument);
const project = path.resolve(projectArgument);
const require = createRequire(path.join(project, 'package.json'));
const { AstBuilder, GherkinClassicTokenMatcher, Parser } = require('@cucumber/gherkin');
const { IdGenerator } = require('@cucumber/messages');
const cucumber = path.join(project, 'node_modules/.bin/cucumber-js');

const DEFAULT_FEATURES = [
  ...readdirSync(path.join(aruba, 'features/03_testing_frameworks/cucumber/steps/command')).map((f) => `features/03_testing_frameworks/cucumber/steps/command/${f}`),
  'features/02_configure_aruba/exit_timeout.feature',
];
const OUT_OF_SCOPE = { 'run_command_in_process.feature': 'in-process launcher (Ruby main class)', 'debug_your_command_in_aruba.feature': 'debug launcher (irb/pry)' };

function parse(file) {
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  return parser.parse(readFileSync(file, 'utf8'));
}

const unescape = (t) => t.replaceAll('\\n', '\n').replaceAll('\\"', '"').replaceAll('\\e', '\x1b').replaceAll('\\033', '\x1b').replaceAll('\\t', '\t');

/** Aruba.configure { |config| config.x = v } → worldParameters.aruba */
function rubyConfig(text) {
  const settings = {};
  for (const m of text.matchAll(/config\.(\w+)\s*=\s*([^\n]+)/g)) {
    const value = m[2].trim();
    settings[m[1]] = /^[\d.]+$/.test(value) ? Number(value) : value.replace(/^['"]|['"]$/g, '');
  }
  return settings;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'aruba-yardstick-'));
const results = [];
const dryBad = [];
let dryTotal = 0;
let n = 0;
for (const relative of only.length ? only : DEFAULT_FEATURES) {
  const base = path.basename(relative);
  const doc = parse(path.join(aruba, relative));
  const background = doc.feature.children.find((c) => c.background)?.background.steps ?? [];
  for (const child of doc.feature.children) {
    if (!child.scenario) continue;
    const scenario = child.scenario;
    const name = `${base}: ${scenario.name}`;
    const dir = path.join(root, String(++n));
    mkdirSync(path.join(dir, 'features/support'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    symlinkSync(project, path.join(dir, 'node_modules/daemon-steps'));
    writeFileSync(path.join(dir, 'features/support/aruba.mjs'), "import 'daemon-steps/aruba';\n");
    let settings = {};
    let expected;
    let ran = false;
    let needsRuby = false;
    let needsRubyConfig = false;
    const notes = [];
    for (const step of [...background, ...scenario.steps]) {
      const text = step.text;
      const doc = step.docString?.content ?? '';
      let m;
      if ((m = /^(?:an|the) executable(?: named)? "([^"]*)" with:$/.exec(text))) {
        mkdirSync(path.dirname(path.join(dir, m[1])), { recursive: true });
        writeFileSync(path.join(dir, m[1]), unescape(doc));
        chmodSync(path.join(dir, m[1]), 0o755);
        if (/^#!.*ruby/.test(doc)) needsRuby = true;
      } else if ((m = /^(?:a|the) file(?: named)? "([^"]*)" with:$/.exec(text))) {
        if (m[1].endsWith('.rb')) settings = { ...settings, ...rubyConfig(doc) };
        else { mkdirSync(path.dirname(path.join(dir, m[1])), { recursive: true }); writeFileSync(path.join(dir, m[1]), doc); }
        if (m[1].endsWith('.rb') && /puts|def |require/.test(doc)) { notes.push(`Ruby code in ${m[1]}`); needsRubyConfig = true; }
      } else if (/^I use (?:a|the) fixture/.test(text)) {
        // the inner project is the directory itself
      } else if (/^I (?:successfully )?run `cucumber`/.test(text)) {
        ran = true;
        if (/successfully/.test(text)) expected = 'pass';
      } else if (ran && /features? should(?: all)? pass/.test(text)) expected = 'pass';
      else if (ran && /features? should (?:fail|not(?: all)? pass)/.test(text)) expected = 'fail';
      else if (ran && /exit status should be (\d+)/.test(text)) expected = /be 0$/.test(text) ? 'pass' : 'fail';
      else if (ran && /^the output should contain/.test(text)) notes.push('checks cucumber\'s own output text (not compared)');
      else notes.push(`outer step not applied: ${text}`);
    }
    writeFileSync(path.join(dir, 'cucumber.json'), JSON.stringify({
      default: { import: ['features/support/*.mjs'], format: ['summary'], worldParameters: { aruba: settings } },
      both: { import: ['features/support/*.mjs', 'both/*.mjs'], worldParameters: { aruba: settings } },
    }));
    mkdirSync(path.join(dir, 'both'));
    writeFileSync(path.join(dir, 'both/daemon-steps.mjs'), "import 'daemon-steps';\n");
    // A dry run with the dialect and daemon-steps' own steps loaded together: nothing undefined or ambiguous.
    const report = path.join(dir, 'dry.json');
    spawnSync(cucumber, ['--profile', 'both', '--dry-run', '--format', `json:${report}`], { cwd: dir, encoding: 'utf8' });
    let dry = [];
    try {
      for (const f of JSON.parse(readFileSync(report, 'utf8'))) for (const e of f.elements ?? []) for (const st of e.steps ?? []) {
        if (!st.hidden && st.name) dryTotal += 1;
        if (['undefined', 'ambiguous'].includes(st.result?.status)) dry.push(`${st.result.status}: ${st.name}`);
      }
    } catch { dry = ['dry run did not report']; }
    dryBad.push(...dry.map((d) => `${name}: ${d}`));
    if (OUT_OF_SCOPE[base]) { results.push({ name, verdict: 'out of scope', why: OUT_OF_SCOPE[base] }); continue; }
    if (!ran) { results.push({ name, verdict: 'skipped', why: 'no inner run' }); continue; }
    const run = spawnSync(cucumber, [], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    const summary = /(\d+) scenarios? \(([^)]*)\)/.exec(run.stdout);
    const outcome = !summary ? 'ran nothing' : run.status === 0 ? 'pass' : 'fail';
    const failure = (run.stdout + run.stderr).split('\n').filter((l) => /Error|expected|✖|failed/.test(l)).slice(0, 4).join(' | ');
    results.push({ name, expected, outcome, summary: summary?.[0], verdict: expected === undefined ? 'no expectation' : needsRubyConfig ? 'needs Ruby code' : outcome === expected ? 'as Aruba expects' : 'NOT as expected', needsRuby, notes, failure: outcome === 'fail' ? failure : '' , dir});
  }
}
for (const r of results) {
  console.log(`${r.verdict.padEnd(17)} ${r.name}${r.expected ? ` (expected ${r.expected}, got ${r.outcome})` : ''}${r.why ? ` — ${r.why}` : ''}${r.needsRuby ? ' [needs ruby]' : ''}${r.summary ? ` [${r.summary}]` : ''}`);
  if (r.verdict === 'NOT as expected') console.log(`    ${r.dir}\n    ${r.failure}\n    ${r.notes.join('; ')}`);
}
console.log(`dry run with daemon-steps and daemon-steps/aruba: ${dryTotal} inner steps, ${dryBad.length} undefined or ambiguous`);
for (const d of dryBad) console.log(`  ${d}`);
const count = (v) => results.filter((r) => r.verdict === v).length;
console.log(`\n${count('as Aruba expects')} as Aruba expects, ${count('NOT as expected')} not, ${count('needs Ruby code')} need Ruby code in their configuration, ${count('out of scope')} out of scope, ${count('no expectation') + count('skipped')} without an expectation; ${results.length} in all`);
if (count('NOT as expected') === 0 && dryBad.length === 0) rmSync(root, { recursive: true, force: true });
else console.log(`the inner projects are kept in ${root}`);
