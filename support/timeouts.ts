import { MAX_SECONDS } from '../helpers/seconds.js';

/**
 * Every wait in the engine has its own deadline (at most MAX_SECONDS, plus a stop's grace), so a
 * step's own timeout sits above all of them: our error, which says what was awaited, always comes
 * before cucumber's generic "function timed out".
 */
export const STEP_TIMEOUT_MS = (2 * MAX_SECONDS + 60) * 1000;
