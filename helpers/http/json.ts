import { InvalidArgumentError } from '../errors.js';
import { parseJsonPointing } from '../json-error.js';
import { JsonPathError } from './errors.js';

/**
 * The JSON a step writes (`3`, `"x"`, `true`, `null`, `{"id": 1}`); invalid JSON is an error that
 * quotes it and points at where it broke.
 */
export function parseJsonArgument(text: string, what: string): unknown {
  return parseJsonPointing(
    text,
    (explanation) =>
      new InvalidArgumentError(
        `invalid JSON in ${what}: ${explanation}\n` +
          'write a JSON value: a number (3), a string in double quotes ("x"), true, false, null, an array or an object ({"id": 1})',
      ),
  );
}

/**
 * The value at a dot path (`items.0.id`): object keys and array indexes, separated by dots; the
 * empty path is the whole value. A path that leads nowhere is an error saying how far it got.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  const keys = path.split('.');
  if (keys.some((key) => key === '')) {
    throw new InvalidArgumentError(`JSON path "${path}" has an empty part: write keys and indexes separated by single dots, e.g. items.0.id`);
  }
  let value = root;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const reached = i === 0 ? 'the body' : `"${keys.slice(0, i).join('.')}"`;
    const lost = (why: string) => new JsonPathError(`the response JSON has nothing at "${path}": ${reached} ${why}`);
    if (Array.isArray(value)) {
      if (!/^\d+$/.test(key)) throw lost(`is an array: write an index (${[...keys.slice(0, i), '0'].join('.')}), not "${key}"`);
      const index = Number(key);
      if (index >= value.length) {
        throw lost(value.length === 0 ? 'is an empty array' : `is an array of ${value.length} (indexes 0 to ${value.length - 1}), there is no ${key}`);
      }
      value = value[index];
    } else if (value !== null && typeof value === 'object') {
      if (!Object.hasOwn(value, key)) {
        const names = Object.keys(value);
        throw lost(`is an object without "${key}"; ${names.length === 0 ? 'it is empty' : `its keys: ${names.map((name) => `"${name}"`).join(', ')}`}`);
      }
      value = (value as Record<string, unknown>)[key];
    } else {
      throw lost(`is ${describeJson(value)}, which has no "${key}" inside`);
    }
  }
  return value;
}

/** `1 (a number)`, `"x" (a string)`, `null`: a scalar as messages show it. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `${JSON.stringify(value)} (${kind})`;
}
