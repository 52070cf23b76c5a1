import type { Server } from "./api";

/** How often lists and pages ask for fresh state while servers change under them. */
export const POLL_MS = 2_000;

/**
 * Where the server's SSH answers: its primary public IPv4 address when it has one (listed
 * first, docs/networking.md), otherwise the port forwarded to it.
 */
function sshEndpoint(server: Pick<Server, "addresses">): Server["addresses"][number] | undefined {
  return (
    server.addresses.find((x) => x.kind === "ipv4" && x.role === "primary") ??
    server.addresses.find((x) => x.kind === "ssh-forward") ??
    server.addresses[0]
  );
}

/** `host:port` where the server's SSH answers, if it has an address yet. */
export function sshAddress(server: Pick<Server, "addresses">): string | undefined {
  const a = sshEndpoint(server);
  if (!a) return undefined;
  return a.port ? `${a.address}:${a.port}` : a.address;
}

/** The command that logs in to the server with one of the account's SSH keys. */
export function sshCommand(server: Pick<Server, "addresses">): string | undefined {
  const a = sshEndpoint(server);
  if (!a) return undefined;
  return a.port && a.port !== 22 ? `ssh -p ${a.port} root@${a.address}` : `ssh root@${a.address}`;
}

/** Moved to components/clipboard; kept here for the pages that import it from this module. */
export { copyText } from "./components/clipboard";
