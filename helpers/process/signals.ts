import { constants } from 'node:os';
import { InvalidSignalError } from '../errors.js';
import { closestWord } from '../suggest.js';

const signalNames = Object.keys(constants.signals) as NodeJS.Signals[];

/** `SIGHUP`, `HUP` or `hup` → `SIGHUP`; anything else is an error listing the valid names. */
export function normalizeSignal(name: string): NodeJS.Signals {
  const trimmed = name.trim().toUpperCase();
  const full = (trimmed.startsWith('SIG') ? trimmed : `SIG${trimmed}`) as NodeJS.Signals;
  if (signalNames.includes(full)) return full;
  const closest = /^\d+$/.test(trimmed) ? signalNumbered(Number(trimmed)) : closestName(full);
  const valid = `${signalNames.map((s) => s.slice(3)).join(', ')} (with or without the SIG prefix)`;
  throw new InvalidSignalError(
    closest ? `unknown signal '${name}'; did you mean ${closest}? Valid signals: ${valid}` : `unknown signal '${name}'; valid signals: ${valid}`,
  );
}

/** "SIGKILL (9)" for 9: steps take names, which read the same on every platform. */
function signalNumbered(number: number): string | undefined {
  const name = signalNames.find((s) => constants.signals[s] === number);
  return name && `${name} (${number})`;
}

/** The valid name a slip of the keyboard away, compared without the SIG prefix every name shares. */
function closestName(wanted: string): string | undefined {
  const closest = closestWord(wanted.slice(3), signalNames.map((name) => name.slice(3)));
  return closest && `SIG${closest}`;
}
