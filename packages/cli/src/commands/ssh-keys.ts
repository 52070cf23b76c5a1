import type { Command } from "commander";
import { connect, expectOk, unwrap } from "../api.js";
import { cliIo } from "../cli-io.js";
import { all } from "./lookup.js";
import { print } from "../output.js";
import { readStdinLine } from "../read-stdin.js";
import type { Column } from "../output.js";

import { col, flags } from "./command-helpers.js";
import type { Row } from "./command-helpers.js";

const KEY_COLUMNS: Column<Row>[] = [col("id", "id"), col("name", "name"), col("fingerprint", "fingerprint")];

/** SSH public keys for new servers. */
export function registerSshKeyCommands(program: Command): void {
  const keys = program.command("ssh-keys").description("SSH public keys for new servers");
  keys.command("list").action(async (_o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    const rows = await all((cursor) =>
      api.GET("/ssh-keys", { params: { query: { cursor, limit: 200 } } }).then(unwrap),
    );
    print(flags(cmd).output, rows as Row[], KEY_COLUMNS);
  });
  keys
    .command("add <name> <public-key-file>")
    .description("Add a public key from a file (e.g. ~/.ssh/id_ed25519.pub), or - for standard input")
    .action(async (name: string, file: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const { readFile } = await import("node:fs/promises");
      const publicKey = file === "-" ? await readStdinLine() : (await readFile(file, "utf8")).trim();
      print(
        flags(cmd).output,
        unwrap(await api.POST("/ssh-keys", { body: { name, public_key: publicKey } })) as Row,
        KEY_COLUMNS,
      );
    });
  keys.command("show <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    print(
      flags(cmd).output,
      unwrap(await api.GET("/ssh-keys/{id}", { params: { path: { id } } })) as Row,
      KEY_COLUMNS,
    );
  });
  keys.command("delete <id>").action(async (id: string, _o: unknown, cmd: Command) => {
    const api = await connect(flags(cmd));
    expectOk(await api.DELETE("/ssh-keys/{id}", { params: { path: { id } } }));
    cliIo().stdout.write(`deleted ${id}\n`);
  });
}
