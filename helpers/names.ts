/**
 * A daemon's (service's, supervised process's) name: letters, digits, `_`, `.`, `-`. The one
 * pattern steps, placeholders, services files and the supervisor share; a comma is never part of a
 * name, so `as web, on a free port` reads as the name `web`.
 */
export const NAME_PATTERN = '[A-Za-z0-9_.-]+';

/** How the rule reads in a message. */
export const NAME_RULE = "letters, digits, '_', '.' and '-'";

const WHOLE_NAME = new RegExp(`^${NAME_PATTERN}$`);

export function isValidName(name: string): boolean {
  return WHOLE_NAME.test(name);
}
