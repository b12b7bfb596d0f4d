import { constants } from 'node:os';
import { InvalidSignalError } from './errors.js';

const signalNames = Object.keys(constants.signals) as NodeJS.Signals[];

/** `SIGHUP`, `HUP` or `hup` → `SIGHUP`; anything else is an error listing the valid names. */
export function normalizeSignal(name: string): NodeJS.Signals {
  const trimmed = name.trim().toUpperCase();
  const full = (trimmed.startsWith('SIG') ? trimmed : `SIG${trimmed}`) as NodeJS.Signals;
  if (signalNames.includes(full)) return full;
  const closest = closestName(full);
  const valid = `${signalNames.map((s) => s.slice(3)).join(', ')} (with or without the SIG prefix)`;
  throw new InvalidSignalError(
    closest ? `unknown signal '${name}'; did you mean ${closest}? Valid signals: ${valid}` : `unknown signal '${name}'; valid signals: ${valid}`,
  );
}

function closestName(wanted: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of signalNames) {
    const distance = editDistance(wanted, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
