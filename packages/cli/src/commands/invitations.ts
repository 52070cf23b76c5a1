import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { print } from "../output.js";
import type { Column } from "../output.js";
import { all } from "./lookup.js";

type Row = Record<string, unknown>;
type Role = "provider-admin" | "reseller-admin" | "customer-admin" | "customer-member";
type Status = "pending" | "accepted" | "revoked" | "expired";

const INVITATION_COLUMNS: Column<Row>[] = [
  { header: "id", value: (r) => r["id"] },
  { header: "email", value: (r) => r["email"] },
  { header: "role", value: (r) => r["role"] },
  { header: "account", value: (r) => r["account_id"] },
  { header: "status", value: (r) => r["status"] },
  { header: "expires", value: (r) => r["expires_at"] },
];

function flags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals<GlobalFlags>();
}

/** `layerboom invitations ...`: how admins add users; the invitee chooses the password from the mailed link. */
export function registerInvitationCommands(program: Command): void {
  const invitations = program
    .command("invitations")
    .description("Invite users to your account or one below it (they choose their own password)");
  invitations
    .command("send <email>")
    .description("Mail an invitation; the answer is the same whether or not the address has an account")
    .requiredOption("--role <role>", "reseller-admin, customer-admin or customer-member")
    .option("--account <id>", "the account to join (default: yours)")
    .option("--name <name>", "the invitee's name, which they may change when they join")
    .action(async (email: string, opts: { role: Role; account?: string; name?: string }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const row = unwrap(
        await api.POST("/invitations", {
          body: { email, role: opts.role, account_id: opts.account, name: opts.name },
        }),
      );
      print(flags(cmd).output, row as Row, INVITATION_COLUMNS);
    });
  invitations
    .command("list")
    .option("--account <id>")
    .option("--status <status>", "pending, accepted, revoked or expired")
    .action(async (opts: { account?: string; status?: Status }, cmd: Command) => {
      const api = await connect(flags(cmd));
      const rows = await all((cursor) =>
        api
          .GET("/invitations", {
            params: { query: { account_id: opts.account, status: opts.status, cursor, limit: 200 } },
          })
          .then(unwrap),
      );
      print(flags(cmd).output, rows as Row[], INVITATION_COLUMNS);
    });
  invitations
    .command("revoke <id>")
    .description("Withdraw a pending invitation: its link stops working")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const api = await connect(flags(cmd));
      const row = unwrap(await api.DELETE("/invitations/{id}", { params: { path: { id } } }));
      print(flags(cmd).output, row as Row, INVITATION_COLUMNS);
    });
}
