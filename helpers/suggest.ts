import leven from 'leven';

/**
 * The candidate a slip of the keyboard away from `wanted`, for "did you mean …?" hints, compared
 * without regard to case: at most `maxEdits` insertions, deletions or substitutions (by default
 * one per three letters), a swap of two neighbours counting as one. Never a candidate that shares
 * nothing with `wanted`, so `x` suggests no `db`.
 */
export function closestWord(wanted: string, candidates: readonly string[], maxEdits = Math.max(1, Math.floor(wanted.length / 3))): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = slips(wanted.toLowerCase(), candidate.toLowerCase(), maxEdits);
    if (distance < bestDistance && distance < Math.max(wanted.length, candidate.length)) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return bestDistance <= maxEdits ? best : undefined;
}

/** "; did you mean 'web'?" when one of the known names is within two edits of the requested one, else nothing. */
export function didYouMean(requested: string, known: readonly string[]): string {
  const closest = closestWord(requested, known, 2);
  return closest === undefined ? '' : `; did you mean '${closest}'?`;
}

/** Levenshtein distance counts a swap of neighbours as two edits; a person makes it as one slip. */
function slips(a: string, b: string, maxEdits: number): number {
  return isOneSwapApart(a, b) ? 1 : leven(a, b, { maxDistance: maxEdits + 1 });
}

function isOneSwapApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  const [i, j] = differ as [number, number];
  return differ.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}
