import * as cucumber from '@cucumber/cucumber';
import { inStepWording } from './step-wording.js';

/**
 * Cucumber's registration functions, each wrapping the step or hook it registers so that the engine
 * speaks in the steps' words while it runs (and only then: an engine call from elsewhere, a user's
 * own step included, keeps the engine's words). The steps and hooks import these, not cucumber's.
 */
export const Given = registering(cucumber.Given);
export const When = registering(cucumber.When);
export const Then = registering(cucumber.Then);
export const Before = registering(cucumber.Before);
export const After = registering(cucumber.After);
export const BeforeAll = registering(cucumber.BeforeAll);
export const AfterAll = registering(cucumber.AfterAll);
export const AfterStep = registering(cucumber.AfterStep);

type Code = (this: unknown, ...args: unknown[]) => unknown;

function registering<F extends (...args: never[]) => void>(register: F): F {
  return ((...args: unknown[]) => {
    const code = args.at(-1);
    if (typeof code === 'function') args[args.length - 1] = inWording(code as Code);
    withoutThisFrame(() => (register as unknown as (...args: unknown[]) => void)(...args));
  }) as unknown as F;
}

function inWording(code: Code): Code {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return inStepWording(() => code.apply(this, args));
  };
  // It stands in for the step: cucumber checks the arity against the expression (one more means a
  // callback), and its usage report (the docs' parameter names) shows the source.
  Object.defineProperty(wrapped, 'length', { value: code.length });
  Object.defineProperty(wrapped, 'toString', { value: () => code.toString() });
  return wrapped;
}

/**
 * Cucumber records where a step is defined as the first frame outside itself: that would be this
 * file, for every step. For the one synchronous call, the stack it reads leaves this file's frames
 * out, so the location (in reports and the generated docs) is the step's own line.
 */
function withoutThisFrame(register: () => void): void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) =>
    [String(error), ...frames.filter((frame) => frame.getFileName() !== import.meta.url).map((frame) => `    at ${frame}`)].join('\n');
  try {
    register();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
