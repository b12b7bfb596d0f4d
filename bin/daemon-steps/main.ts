import { parseArgs } from 'node:util';
import { closestWord } from '../../helpers/suggest.js';
import { cleanLeftovers } from './clean.js';
import { daemonize } from './daemonize.js';
import { EXIT } from './exit-codes.js';
import { runServices, writeStdout } from './run.js';
import { stopServices } from './stop.js';
import { HELP, version } from './usage.js';

const OPTIONS = {
  daemonize: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  // How `run --daemonize` starts its control process; not for people.
  'control-process': { type: 'boolean' },
} as const;

const COMMANDS = ['run', 'stop', 'clean', 'help'];

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  // After `--` come the command and its arguments, as given: none of them is ours to parse.
  const dashes = argv.indexOf('--');
  const commandLine = dashes < 0 ? undefined : argv.slice(dashes + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: dashes < 0 ? argv : argv.slice(0, dashes), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(describeParseError(error as Error));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') {
    await writeStdout(HELP);
    return EXIT.ok;
  }
  if (values.version) {
    await writeStdout(`${version()}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) return usageError('a command is missing: run FILE, clean, or stop');
  if (commandLine !== undefined && command !== 'run') return usageError(`only run takes a command after --: daemon-steps run FILE -- COMMAND [ARGUMENTS…]`);
  if (command === 'run') {
    if (rest.length !== 1) return usageError(rest.length === 0 ? 'run needs the services file: daemon-steps run FILE' : `run takes one services file, got ${rest.length}: ${rest.join(' ')}`);
    if (commandLine !== undefined) {
      if (commandLine.length === 0) return usageError(`nothing to run after --: daemon-steps run ${rest[0]} -- COMMAND [ARGUMENTS…]`);
      if (values.daemonize) return usageError('--daemonize returns at once, -- COMMAND waits for the command: choose one');
    }
    if (values.daemonize && !values['control-process']) return daemonize(rest[0]!, values.quiet ?? false);
    return runServices(rest[0]!, { quiet: values.quiet ?? false, control: values['control-process'] ?? false, command: commandLine });
  }
  if (command === 'clean') {
    if (rest.length > 0) return usageError(`clean takes no arguments, got: ${rest.join(' ')}`);
    if (values.daemonize) return usageError('--daemonize goes with run, not clean');
    return cleanLeftovers(values.quiet ?? false);
  }
  if (command === 'stop') {
    if (rest.length > 0) return usageError(`stop takes no arguments (it stops what the environment names), got: ${rest.join(' ')}`);
    if (values.daemonize) return usageError('--daemonize goes with run, not stop');
    return stopServices(process.env, values.quiet ?? false);
  }
  const closest = closestWord(command, COMMANDS);
  return usageError(`unknown command '${command}'${closest ? ` (did you mean ${closest}?)` : ''}; the commands are run, stop and clean`);
}

function usageError(problem: string): number {
  process.stderr.write(`daemon-steps: ${problem}\nSee daemon-steps --help\n`);
  return EXIT.usage;
}

/** parseArgs says "Unknown option '--deamonize'…"; we add what was probably meant. */
function describeParseError(error: Error): string {
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(error.message);
  if (unknown) {
    const closest = closestWord(unknown[2]!, Object.keys(OPTIONS).filter((o) => o !== 'control-process'));
    return `unknown option '${unknown[1]}${unknown[2]}'${closest ? `; did you mean --${closest}?` : ''}`;
  }
  return error.message.split('\n')[0]!;
}
