import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, exitCodeForSignal } from './exit-codes.js';
import type { ControlMessage } from './run.js';
import { writeStdout } from './run.js';

/**
 * `daemon-steps run FILE --daemonize`: starts a control process in a session of its own (so the
 * terminal's Ctrl-C and hangup do not reach it), shows its progress, and once it says the services
 * are ready prints the lines for eval and returns — leaving the services in its care. When they do
 * not start, returns its exit code once it has stopped everything.
 */
export async function daemonize(file: string, quiet: boolean): Promise<number> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'daemon-steps.js');
  // The control process starts in this directory: the file's name works there as it does here.
  const args = [entry, 'run', file, '--control-process', ...(quiet ? ['--quiet'] : [])];
  const control = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  // Its progress comes as messages; anything else on its stderr (a crash) is shown as it is.
  control.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));

  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    control.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const message = new Promise<Exclude<ControlMessage, { kind: 'log' }> | undefined>((resolve) => {
    control.on('message', (received: ControlMessage) => {
      if (received.kind === 'log') process.stderr.write(received.text);
      else resolve(received);
    });
    control.once('exit', () => resolve(undefined));
  });
  // Interrupted while the services start: the control process stops what it started, then we go.
  let interruptedBy: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    control.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);

  const outcome = await message;
  if (outcome?.kind === 'ready' && !interruptedBy) {
    control.stderr!.destroy();
    control.disconnect();
    control.unref();
    await writeStdout(outcome.lines);
    return EXIT.ok;
  }
  const exit = await ended;
  if (interruptedBy) return exitCodeForSignal(interruptedBy);
  if (outcome?.kind === 'failed') return outcome.exitCode;
  process.stderr.write(
    `daemon-steps: the control process (pid ${control.pid}) ended ${exit.signal ? `by signal ${exit.signal}` : `with code ${exit.code}`} ` +
      'before the services were ready\n',
  );
  return EXIT.serviceFailed;
}
