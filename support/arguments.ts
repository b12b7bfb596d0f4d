import { parseSeconds } from '../helpers/seconds.js';

/**
 * The deadline of a step that ends in an optional `, within N seconds`, in milliseconds. Cucumber
 * passes an optional group that did not match as null.
 */
export function withinOr(within: string | null | undefined, fallbackMs: number): number {
  return within == null ? fallbackMs : parseSeconds(within, 'within') * 1000;
}
