import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import { all } from "./lookup.js";
import { print } from "../output.js";
import type { Column } from "../output.js";

import { col, flags } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const IMAGE_COLUMNS: Column<Row>[] = [
  col("id", "id"),
  col("name", "name"),
  col("visibility", "visibility"),
  col("os", "os"),
  col("format", "format"),
  col("status", "status"),
];

/** Image records (imports and exports are image-jobs.ts). */
export function registerImageCommands(program: Command): void {
  const images = program.command("images").description("Images servers boot from");
  images
    .command("list")
    .option("--name <name>")
    .action(async (opts: { name?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api.GET("/images", { params: { query: { name: opts.name, cursor, limit: 200 } } }).then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], IMAGE_COLUMNS);
    });
  images.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/images/{id}", { params: { path: { id } } })) as Row,
      IMAGE_COLUMNS,
    );
  });
}
