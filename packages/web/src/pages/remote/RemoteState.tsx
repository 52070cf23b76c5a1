import type { RemoteServer } from "../../api";
import { StatusBadge } from "../../components/Badge";
import { ago } from "../../format";

/**
 * A remote server's state as this installation knows it: the partner's word, or `unknown` while
 * the partner has been silent two minutes or the last call to it failed (docs/federation.md,
 * "A's mirror"), then with when it was last heard from.
 */
export function RemoteState({ server: s }: { server: Pick<RemoteServer, "state" | "last_seen_at"> }) {
  return (
    <span className="remote-state">
      <StatusBadge state={s.state} />
      {s.state === "unknown" && (
        <span className="muted">
          {" "}
          {s.last_seen_at ? (
            <>
              last seen{" "}
              <time dateTime={s.last_seen_at} title={new Date(s.last_seen_at).toLocaleString()}>
                {ago(s.last_seen_at)}
              </time>
            </>
          ) : (
            "not heard from yet"
          )}
        </span>
      )}
    </span>
  );
}

/** The partner's first public IPv4 address for the server (else its first), once it has given one. */
export function remoteAddress(s: Pick<RemoteServer, "addresses">): string | undefined {
  return (s.addresses.find((x) => x.kind === "ipv4") ?? s.addresses[0])?.address;
}

/** `ssh root@…` at that address. */
export function remoteSshCommand(s: Pick<RemoteServer, "addresses">): string | undefined {
  const address = remoteAddress(s);
  return address ? `ssh root@${address}` : undefined;
}
