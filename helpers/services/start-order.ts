/** What ordering needs of a service: its name and the names of the services it depends on. */
export interface Dependent {
  name: string;
  dependencies: string[];
}

/** Every service that starts before the named one (its dependencies, theirs, …). */
export function dependenciesOf(name: string, byName: ReadonlyMap<string, Dependent>): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of byName.get(current)?.dependencies ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(name);
  return seen;
}

/** The given order, moved only as far as dependencies demand; a circle is an error that shows it. */
export function startOrder<T extends Dependent>(services: readonly T[], fail: (problem: string) => never): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  const remaining = [...services];
  while (remaining.length > 0) {
    const index = remaining.findIndex((service) => service.dependencies.every((d) => placed.has(d)));
    if (index === -1) fail(`the dependencies go round in a circle: ${describeCircle(remaining)}; one of these services must be able to start first`);
    const [next] = remaining.splice(index, 1);
    ordered.push(next!);
    placed.add(next!.name);
  }
  return ordered;
}

function describeCircle(remaining: readonly Dependent[]): string {
  const byName = new Map(remaining.map((d) => [d.name, d]));
  const path: string[] = [];
  let current = remaining[0]!;
  while (!path.includes(current.name)) {
    path.push(current.name);
    current = byName.get(current.dependencies.find((d) => byName.has(d))!)!;
  }
  return [...path.slice(path.indexOf(current.name)), current.name].join(' → ');
}
