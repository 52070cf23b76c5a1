import { ReadStream } from "node:tty";
import type { Command } from "commander";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { resolveConnection } from "../config.js";
import { CliError } from "../errors.js";
import { isRemoteServerId } from "./remote-servers.js";

/** Ctrl-] ends the session, as in telnet and virsh console. */
const ESCAPE = 0x1d;

/**
 * `layerboom servers console <id>`: the serial console through the controller (a partner's, for
 * a server at a partner's site). The terminal
 * goes raw, so keys reach the guest as typed; Ctrl-] leaves. Without a TTY it relays standard
 * input and output, which scripts can use.
 */
export function registerConsoleCommand(servers: Command): void {
  servers
    .command("console <id>")
    .description("Attach to a server's serial console (Ctrl-] to leave)")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const io = cliIo();
      const { url, token } = await resolveConnection(cmd.optsWithGlobals<GlobalFlags>(), io.env);
      if (!url || !token)
        throw new CliError("Not logged in.", "Run `layerboom login <url> --email <you> --password-stdin`.");
      // A server at a partner's site (`rsv_…`): the controller relays the partner's console.
      const resource = isRemoteServerId(id) ? "remote-servers" : "servers";
      const target = new URL(`/api/v1/${resource}/${encodeURIComponent(id)}/console`, url);
      target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
      const { default: WebSocket } = await import("ws");
      const socket = new WebSocket(target, { headers: { authorization: `Bearer ${token}` } });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("unexpected-response", (_req, res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            let message = `The controller answered HTTP ${res.statusCode}.`;
            try {
              message = (JSON.parse(Buffer.concat(chunks).toString()) as { error: { message: string } }).error
                .message;
            } catch {
              // Not our error shape; keep the status.
            }
            reject(
              new CliError(
                message,
                res.statusCode === 404 ? "Check the id with `layerboom servers list`." : undefined,
              ),
            );
          });
        });
        socket.once("error", (err) => reject(new CliError(`Cannot open the console: ${err.message}`)));
      });
      const stdin = io.stdin;
      // Raw mode is a terminal's; any other input is relayed as it comes.
      const tty = stdin instanceof ReadStream;
      if (tty) {
        stdin.setRawMode(true);
        io.stderr.write(`Connected to ${id}. Press Ctrl-] to leave.\r\n`);
      }
      const done = new Promise<string>((resolve) => {
        socket.on("close", (_code, reason) => resolve(reason.toString()));
        stdin.on("data", (data: Buffer) => {
          const escape = tty ? data.indexOf(ESCAPE) : -1;
          if (escape >= 0) {
            if (escape > 0) socket.send(data.subarray(0, escape));
            socket.close(1000, "left");
            return;
          }
          socket.send(data);
        });
        if (!tty) stdin.on("end", () => setTimeout(() => socket.close(1000, "input ended"), 500));
      });
      socket.on("message", (data: Buffer) => io.stdout.write(data));
      const reason = await done;
      if (tty) stdin.setRawMode(false);
      stdin.pause();
      if (tty) io.stderr.write(`\r\nDisconnected${reason ? `: ${reason}` : ""}.\n`);
    });
}
