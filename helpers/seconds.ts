import { InvalidArgumentError } from './errors.js';

/**
 * The longest wait a step or a setting may ask for: a day. Node's timers overflow above about 24.8
 * days and then fire at once, so an unbounded number would turn "wait this long" into "don't wait";
 * steps declare their own timeouts above this (the glue's timeouts.ts), so our error comes first.
 */
export const MAX_SECONDS = 86_400;

export const SECONDS_RANGE = `more than 0 and at most ${MAX_SECONDS} seconds`;

export function isInSecondsRange(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_SECONDS;
}

/** Parses N of `within N seconds`, `for N seconds` ("2", "0.5"), rejecting anything outside the range. */
export function parseSeconds(text: string, what: string): number {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) {
    throw new InvalidArgumentError(`${what}: '${text}' is not a number: write a number ${SECONDS_RANGE}, e.g. 5 or 0.5`);
  }
  const seconds = Number(text);
  if (!isInSecondsRange(seconds)) {
    throw new InvalidArgumentError(`${what}: '${text}' seconds is out of range: write a number ${SECONDS_RANGE}, e.g. 5 or 0.5`);
  }
  return seconds;
}
