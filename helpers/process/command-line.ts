import { InvalidArgumentError } from '../errors.js';

/**
 * Splits a COMMAND into argv the way a shell splits words, without running a shell: whitespace
 * separates words; '…' keeps everything literally; "…" keeps everything but `\"`, `\\`, `\$` and
 * `` \` ``; outside quotes a backslash escapes the next character. Because COMMAND is itself quoted
 * in the step, `\"` stands for `"` inside single quotes too. Pipes, `&&` and redirections are
 * ordinary characters here: write `sh -c '…'` for those.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const next = command[i + 1];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else if (c === '\\' && next === '"') {
        word += '"';
        i += 1;
      } else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && next !== undefined && '"\\$`'.includes(next)) {
        word += next;
        i += 1;
      } else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && next !== undefined) {
      word += next;
      inWord = true;
      i += 1;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) {
    throw new InvalidArgumentError(`command ${JSON.stringify(command)} has an unterminated ${quote === "'" ? 'single' : 'double'} quote; close it or escape it with a backslash`);
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new InvalidArgumentError('the command is empty; write the program to run and its arguments, e.g. "sleep 30"');
  return words;
}
