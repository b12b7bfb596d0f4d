/** One line of the benchmark table: a measure, ours beside what we compare it with. */
export interface BenchRow {
  /** What is measured, e.g. "readiness latency, median". */
  measure: string;
  /** Our figure, in `unit`. */
  ours: number;
  /** What we compare against, e.g. "wait-on 9 (defaults)", and its figure; omitted when there is none. */
  against?: { name: string; value: number };
  unit: 'ms' | 'MiB' | '%';
  /** The goal the issue sets, as text, e.g. "< 2 ms". */
  goal?: string;
  met?: boolean;
}

export interface BenchSection {
  title: string;
  run(): Promise<BenchRow[]>;
}

function format(value: number, unit: BenchRow['unit']): string {
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Prints rows as one aligned table, with the ratio "theirs / ours" where there is a comparison. */
export function printTable(sections: Array<{ title: string; rows: BenchRow[] }>): void {
  const header = ['measure', 'daemon-steps', 'compared with', 'their figure', 'ratio', 'goal'];
  const lines: string[][] = [header];
  for (const section of sections) {
    lines.push([`— ${section.title}`, '', '', '', '', '']);
    for (const row of section.rows) {
      lines.push([
        `  ${row.measure}`,
        format(row.ours, row.unit),
        row.against?.name ?? '',
        row.against ? format(row.against.value, row.unit) : '',
        row.against && row.ours > 0 ? `${(row.against.value / row.ours).toFixed(1)}×` : '',
        row.goal ? `${row.goal} ${row.met === undefined ? '' : row.met ? '(met)' : '(NOT met)'}`.trim() : '',
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  for (const line of lines) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
