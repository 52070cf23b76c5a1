import { cliIo } from "./cli-io.js";

export type OutputFormat = "table" | "json";

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.map(cell).join(",");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Plain aligned columns: readable by people, and by `awk` when they have to. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join("\n");
}

/** Prints a list or a single record in the chosen format. */
export function print<T>(format: OutputFormat, data: T | readonly T[], columns: readonly Column<T>[]): void {
  const { stdout } = cliIo();
  if (format === "json") {
    stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  if (Array.isArray(data)) {
    stdout.write(data.length === 0 ? "(none)\n" : `${renderTable(data as readonly T[], columns)}\n`);
    return;
  }
  const width = Math.max(...columns.map((c) => c.header.length));
  for (const c of columns) stdout.write(`${c.header.padEnd(width)}  ${cell(c.value(data as T))}\n`);
}
