/**
 * Aruba's text rules: the escapes a step's text may hold, the terminal colour codes stripped from
 * output before it is compared (unless a scenario is tagged @keep-ansi-escape-sequences), and the
 * final newline either side may have.
 */

/** `\n`, `\t`, `\"`, `\e` and `\033` (escape), `\016`, `\017` written in a step, as the characters. */
export function unescapeText(text: string): string {
  return text
    .replaceAll('\\n', '\n')
    .replaceAll('\\"', '"')
    .replaceAll('\\e', '\u001b')
    .replaceAll('\\033', '\u001b')
    .replaceAll('\\016', '\u000e')
    .replaceAll('\\017', '\u000f')
    .replaceAll('\\t', '\t');
}

/** Output without colour codes (`ESC[1;31m`), escaped brackets and the bell and shift characters. */
export function stripAnsi(text: string): string {
  return text
    .replace(/\u001b\[\d+(?:;\d+)*m/g, '')
    .replace(/\\\[|\\\]/g, '')
    .replace(/[\u0007\u000e\u000f]/g, '');
}

export interface TextRules {
  keepAnsi: boolean;
}

/** Text as Aruba compares it: escapes applied, colour codes gone, one final newline dropped. */
export function sanitizeText(text: string, rules: TextRules): string {
  const unescaped = unescapeText(text);
  return chomp(rules.keepAnsi ? unescaped : stripAnsi(unescaped));
}

/** One final line ending removed, as Ruby's `chomp` does. */
export function chomp(text: string): string {
  return text.replace(/\r?\n$|\r$/, '');
}
