import type { Command } from "commander";
import type { GlobalFlags } from "../api.js";
import type { Column } from "../output.js";

/** A row of an API list, as the table printer takes it. */
export type Row = Record<string, unknown>;

/** A column that prints one field of a row. */
export const col = <T extends Row>(header: string, key: keyof T & string): Column<T> => ({
  header,
  value: (r) => r[key],
});

/** The global flags (--url, --output, ...) as a subcommand sees them. */
export function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

/** Minor units as a price with its currency: 1234, CAD → "12.34 CAD". */
export function money(minor: unknown, currency: unknown): string {
  const n = Number(minor);
  return `${(n / 100).toFixed(2)} ${String(currency)}`;
}
