/** Below this a haystack is searched plainly: choosing a byte would cost more than it saves. */
const MIN_HAYSTACK = 4096;
/** How much of a haystack is counted to find which of the needle's bytes is rarest in it. */
const SAMPLE_BYTES = 4096;
/** A byte seen more often than this in the sample is too common to be worth jumping between. */
const MAX_SAMPLED_OCCURRENCES = 2;

/**
 * Whether `needle` occurs in `haystack`. `Buffer#includes` walks log text at about 2 GB/s; when
 * one of the needle's bytes is rare in the haystack (an upper-case letter in lower-case logs, a
 * `{` in plain text), jumping from one occurrence of that byte to the next (memchr) and comparing
 * the needle there is several times faster. Where candidates turn out to be common, it hands the
 * rest of the haystack to `includes`, so it is never much slower.
 */
export function includesNeedle(haystack: Buffer, needle: Buffer): boolean {
  if (needle.length < 2 || haystack.length < MIN_HAYSTACK) return haystack.includes(needle);
  const { anchor, occurrences } = rarestByte(haystack, needle);
  if (occurrences > MAX_SAMPLED_OCCURRENCES) return haystack.includes(needle);
  const anchorByte = needle[anchor]!;
  let candidatesLeft = 16 + (haystack.length >> 11);
  for (let at = haystack.indexOf(anchorByte, anchor); at !== -1; at = haystack.indexOf(anchorByte, at + 1)) {
    const start = at - anchor;
    if (start + needle.length > haystack.length) return false;
    if (haystack.compare(needle, 0, needle.length, start, start + needle.length) === 0) return true;
    // Every match starting before `start` would have shown as an earlier candidate.
    if (--candidatesLeft === 0) return haystack.includes(needle, start + 1);
  }
  return false;
}

/** Which of `needle`'s bytes occurs least often in the start of `haystack` (its index), and how often. */
function rarestByte(haystack: Buffer, needle: Buffer): { anchor: number; occurrences: number } {
  const counts = new Uint32Array(256);
  const sampleEnd = Math.min(haystack.length, SAMPLE_BYTES);
  for (let i = 0; i < sampleEnd; i++) counts[haystack[i]!]! += 1;
  let rarest = 0;
  for (let i = 1; i < needle.length; i++) if (counts[needle[i]!]! < counts[needle[rarest]!]!) rarest = i;
  return { anchor: rarest, occurrences: counts[needle[rarest]!]! };
}
