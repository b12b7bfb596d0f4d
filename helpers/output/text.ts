import { isUtf8 } from 'node:buffer';

/**
 * Bytes shown as text: valid UTF-8 as itself, every other byte as `\xNN`, so output that is not
 * UTF-8 can always be shown and never throws.
 */
export function showBytes(bytes: Uint8Array): string {
  return mapBytes(bytes, (text) => text);
}

/**
 * Bytes as a quoted TEXT argument, the inverse of `parseText`: what a failure shows can be pasted
 * back into a step. `"hi there\n"`, `"\xff"`.
 */
export function quoteBytes(bytes: Uint8Array): string {
  const escapes: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0', '"': '\\"', '\\': '\\\\' };
  return `"${mapBytes(bytes, (text) => text.replace(/[\n\t\r\0"\\]/g, (c) => escapes[c]!))}"`;
}

function mapBytes(bytes: Uint8Array, mapValid: (text: string) => string): string {
  // Most output is valid UTF-8: decode it natively instead of byte by byte.
  if (isUtf8(bytes)) return mapValid(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  let out = '';
  let valid = 0;
  let i = 0;
  const flushValid = () => {
    if (valid < i) out += mapValid(Buffer.from(bytes.subarray(valid, i)).toString('utf8'));
  };
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      flushValid();
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i += 1;
      valid = i;
    } else {
      i += length;
    }
  }
  flushValid();
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let length: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, min] = [2, 0x80];
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, min] = [3, 0x800];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (i + length > bytes.length) return 0;
  let codePoint = b0 & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return 0;
    codePoint = (codePoint << 6) | (b & 0x3f);
  }
  if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 0;
  return length;
}

/**
 * A quoted TEXT argument as bytes: `\n`, `\t`, `\r`, `\0`, `\"`, `\\` and `\xNN` (one raw byte, so
 * output that is not UTF-8 can be asserted too). Any other backslash is kept as it is.
 */
export function parseText(text: string): Buffer {
  const chunks: Buffer[] = [];
  let plain = '';
  const flush = () => {
    if (plain) chunks.push(Buffer.from(plain, 'utf8'));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      plain += c;
      continue;
    }
    const next = text[i + 1]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\' };
    if (next in simple) {
      plain += simple[next];
      i += 1;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      chunks.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
    } else {
      plain += c;
    }
  }
  flush();
  return Buffer.concat(chunks);
}

/** A docstring stands for its lines, each ending in a newline (what `echo` prints). */
export function docStringBytes(docString: string): Buffer {
  return Buffer.from(docString === '' ? '' : `${docString}\n`, 'utf8');
}

/** The last `maxLines` lines of a text (and at most `maxChars` characters), for messages. */
export function tailLines(text: string, maxLines = 10, maxChars = 2000): string {
  let tail = text.length > maxChars ? text.slice(-maxChars) : text;
  const lines = tail.split('\n');
  const trailingNewline = lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();
  if (lines.length > maxLines) tail = lines.slice(-maxLines).join('\n') + (trailingNewline ? '\n' : '');
  return tail;
}
