/** A TCP port one can listen on or connect to: an integer from 1 to 65535. */
export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The port a text such as `8080` writes (digits only: no sign, no spaces, no `0x`), or undefined. */
export function parsePortNumber(text: string): number | undefined {
  const port = Number(text);
  return /^\d+$/.test(text) && isPortNumber(port) ? port : undefined;
}
