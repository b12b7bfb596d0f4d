import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every DAEMON_STEPS_* name in the compiled package (tests and the docs tool left out), so the
 * README can be checked to mention each one.
 */
export function variablesInCode(dist: string): string[] {
  const names = new Set<string>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (file !== path.join(dist, 'bin', 'docs')) visit(file);
      } else if (entry.name.endsWith('.js') && !entry.name.endsWith('.test.js') && file !== path.join(dist, 'bin', 'docs.js')) {
        for (const match of readFileSync(file, 'utf8').matchAll(/DAEMON_STEPS_[A-Z0-9_]*[A-Z0-9]/g)) names.add(match[0]);
      }
    }
  };
  visit(dist);
  return [...names].sort();
}
