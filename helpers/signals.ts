import { constants } from 'node:os';
import { InvalidSignalError } from './errors.js';

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

/**
 * The valid name a slip of the keyboard away: compared without the SIG prefix (which every name
 * shares), a swap of two neighbours counting as one slip, and at most one slip per three letters.
 */
function closestName(wanted: string): string | undefined {
  const short = wanted.slice(3);
  const allowed = Math.max(1, Math.floor(short.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of signalNames) {
    const distance = editDistance(short, candidate.slice(3));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
