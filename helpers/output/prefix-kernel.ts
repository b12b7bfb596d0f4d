/**
 * The combined log's inner loop in WebAssembly (SIMD): copies lines, writing a prefix after every
 * newline. A gigabyte of short log lines is some thirteen million lines; in JavaScript each costs a
 * call that moves it, here sixteen bytes are looked at and copied per step, and a line costs one
 * extra store. The module is assembled below from its text, instruction by instruction:
 *
 * ```wat
 * (func (export "expand") (param $src i32) (param $len i32) (param $dst i32) (param $prefix i32) (param $plen i32) (result i32)
 *   ;; every byte of src[0, len) to dst, and prefix[0, plen) after each newline; returns where dst ends.
 *   ;; Stores run up to 16 bytes past what is kept: dst needs that much room beyond the result.
 *   $end = $src + $len; $o = $dst; $nl = i8x16.splat(10); $pv = v128.load($prefix)
 *   while ($src + 16 <= $end) {
 *     $v = v128.load($src); v128.store($o, $v)
 *     $m = i8x16.bitmask(i8x16.eq($v, $nl))
 *     if ($m == 0) { $src += 16; $o += 16; continue }
 *     $m = ctz($m) + 1; $src += $m; $o += $m          ;; up to and with the first newline
 *     (plen <= 16 ? v128.store($o, $pv) : memory.copy($o, $prefix, $plen)); $o += $plen
 *   }
 *   while ($src < $end) { $b = load8($src); store8($o, $b); $src++; $o++; if ($b == 10) { prefix as above } }
 *   return $o)
 * ```
 */

const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY = 0x40;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load8: [0x2d, 0, 0],
  store8: [0x3a, 0, 0],
  const: 0x41,
  eqz: 0x45,
  eq: 0x46,
  gtU: 0x4b,
  leU: 0x4d,
  geU: 0x4f,
  ctz: 0x68,
  add: 0x6a,
  memoryCopy: [0xfc, 0x0a, 0, 0],
  v128Load: [0xfd, 0x00, 0, 0],
  v128Store: [0xfd, 0x0b, 0, 0],
  splat: [0xfd, 0x0f],
  byteEq: [0xfd, 0x23],
  bitmask: [0xfd, 0x64],
} as const;

// Locals: the five parameters, then $end $o $m $b (i32) and $v $nl $pv (v128).
const [src, len, dst, prefix, plen, end, o, m, b, v, nl, pv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

const add = (local: number, amount: number[]) => [op.get, local, ...amount, op.add, op.set, local];
const addConst = (local: number, n: number) => add(local, [op.const, n]);
const writePrefix = [
  op.get, plen, op.const, 16, op.leU,
  op.if, EMPTY,
  op.get, o, op.get, pv, ...op.v128Store,
  op.else,
  op.get, o, op.get, prefix, op.get, plen, ...op.memoryCopy,
  op.end,
  ...add(o, [op.get, plen]),
];

const body = [
  op.get, src, op.get, len, op.add, op.set, end,
  op.get, dst, op.set, o,
  op.const, 10, ...op.splat, op.set, nl,
  op.get, prefix, ...op.v128Load, op.set, pv,
  op.block, EMPTY,
  op.loop, EMPTY,
  op.get, src, op.const, 16, op.add, op.get, end, op.gtU, op.brIf, 1,
  op.get, o, op.get, src, ...op.v128Load, op.tee, v, ...op.v128Store,
  op.get, v, op.get, nl, ...op.byteEq, ...op.bitmask, op.tee, m,
  op.eqz,
  op.if, EMPTY,
  ...addConst(src, 16),
  ...addConst(o, 16),
  op.br, 1,
  op.end,
  op.get, m, op.ctz, op.const, 1, op.add, op.set, m,
  ...add(src, [op.get, m]),
  ...add(o, [op.get, m]),
  ...writePrefix,
  op.br, 0,
  op.end,
  op.end,
  op.block, EMPTY,
  op.loop, EMPTY,
  op.get, src, op.get, end, op.geU, op.brIf, 1,
  op.get, o, op.get, src, ...op.load8, op.tee, b, ...op.store8,
  ...addConst(src, 1),
  ...addConst(o, 1),
  op.get, b, op.const, 10, op.eq,
  op.if, EMPTY,
  ...writePrefix,
  op.end,
  op.br, 0,
  op.end,
  op.end,
  op.get, o,
  op.end,
];

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function leb(n: number): number[] {
  const bytes: number[] = [];
  do {
    const byte = n & 0x7f;
    n >>>= 7;
    bytes.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
  return bytes;
}

const name = (text: string) => [text.length, ...Buffer.from(text)];
const functionBody = [2, 4, I32, 3, V128, ...body];

const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 1, I32]),
  ...section(2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 1]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('expand'), 0x00, 0]),
  ...section(10, [1, ...leb(functionBody.length), ...functionBody]),
]);

const PAGE = 64 * 1024;
/** Input is expanded this much at a time, so the module's memory stays small whatever a chunk holds. */
const SLICE = 64 * 1024;

type Expand = (src: number, len: number, dst: number, prefix: number, plen: number) => number;

/** What is used of WebAssembly (the project compiles without the DOM's types, which declare it). */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number }) => Memory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/**
 * Hands on `prefix + line` for every line of `lines` (which ends in a newline), in pieces: each
 * piece is lent for the call only (it lives in the module's memory). `create()` is undefined
 * where WebAssembly SIMD is not to be had; the caller does it itself then.
 */
export class PrefixKernel {
  private view: Uint8Array;

  private constructor(
    private readonly memory: Memory,
    private readonly expand: Expand,
  ) {
    this.view = new Uint8Array(memory.buffer);
  }

  static create(): PrefixKernel | undefined {
    if (!wasm) return undefined;
    try {
      const memory = new wasm.Memory({ initial: 1 });
      const instance = new wasm.Instance(new wasm.Module(MODULE), { m: { memory } });
      return new PrefixKernel(memory, instance.exports.expand as Expand);
    } catch {
      return undefined;
    }
  }

  prefixLines(prefix: Uint8Array, lines: Uint8Array, sink: (bytes: Uint8Array) => void): void {
    const srcAt = roundUp(prefix.length + 16);
    const dstAt = srcAt + roundUp(SLICE + 16);
    this.reserve(dstAt + SLICE * (prefix.length + 1) + prefix.length + 32);
    this.view.set(prefix, 0);
    sink(prefix);
    for (let from = 0; from < lines.length; from += SLICE) {
      const to = Math.min(lines.length, from + SLICE);
      this.view.set(lines.subarray(from, to), srcAt);
      let end = this.expand(srcAt, to - from, dstAt, 0, prefix.length);
      // The last newline is followed by a prefix too, but no line comes after it.
      if (to === lines.length) end -= prefix.length;
      sink(this.view.subarray(dstAt, end));
    }
  }

  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.view = new Uint8Array(this.memory.buffer);
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / 16) * 16;
}
