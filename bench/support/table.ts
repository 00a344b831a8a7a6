export interface Row {
  benchmark: string;
  measure: string;
  service: string;
  baseline: string;
  ratio: string;
  target: string;
}

const HEADINGS: Row = {
  benchmark: "benchmark",
  measure: "measure",
  service: "service",
  baseline: "baseline",
  ratio: "ratio",
  target: "target",
};

/** A Markdown table, padded so that it reads as well in a terminal as in a document. */
export function markdownTable(rows: Row[]): string {
  const columns = Object.keys(HEADINGS) as (keyof Row)[];
  const all = [HEADINGS, ...rows];
  const widths = columns.map((column) => Math.max(...all.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;

  return [
    line(columns.map((column, index) => HEADINGS[column].padEnd(widths[index]!))),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map((row) => line(columns.map((column, index) => row[column].padEnd(widths[index]!)))),
  ].join("\n");
}

export function fixed(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export const megabytes = (bytes: number) => fixed(bytes / 1024 / 1024);
export const kilobytes = (bytes: number) => fixed(bytes / 1024, 1);

/** "≥ 0.8 ✓" or "≥ 0.8 ✗": the target and whether this run met it. */
export function target(text: string, met: boolean): string {
  return `${text} ${met ? "✓" : "✗"}`;
}
