import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";

type Link =
  { state: "connecting" } | { state: "open" } | { state: "closed"; reason: string; retryInS: number };

const MAX_BACKOFF_S = 15;

/**
 * Where a server's console is: `servers` for this installation's own, `remote-servers` for one at
 * a partner's site, which the controller relays from the partner (docs/federation.md).
 */
export type ConsoleResource = "servers" | "remote-servers";

/** The console's WebSocket, on this page's own origin so the session cookie and Origin check pass. */
function consoleUrl(resource: ConsoleResource, serverId: string): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api/v1/${resource}/${encodeURIComponent(serverId)}/console`;
}

/**
 * A live serial console: guest output into xterm.js, keystrokes back, as binary frames.
 * When the connection drops (the guest stopped, the controller restarted) it says so and
 * reconnects with a growing pause; the terminal and its scrollback stay.
 */
export default function SerialConsole({
  serverId,
  labelledBy,
  resource = "servers",
}: {
  serverId: string;
  labelledBy: string;
  resource?: ConsoleResource;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [link, setLink] = useState<Link>({ state: "connecting" });
  const reconnectNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      fontSize: 14,
      scrollback: 5_000,
      theme: { background: "#0f1720" },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(element);

    const encoder = new TextEncoder();
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let countdown: ReturnType<typeof setInterval> | undefined;
    let failures = 0;
    let disposed = false;

    function connect() {
      clearTimeout(timer);
      clearInterval(countdown);
      setLink({ state: "connecting" });
      const ws = new WebSocket(consoleUrl(resource, serverId));
      ws.binaryType = "arraybuffer";
      socket = ws;
      ws.onopen = () => setLink({ state: "open" });
      ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
        // Only output proves the console works: a stopped guest's socket opens, then closes at once.
        failures = 0;
        term.write(typeof event.data === "string" ? event.data : new Uint8Array(event.data));
      };
      ws.onclose = (event) => {
        if (disposed || socket !== ws) return;
        failures += 1;
        let wait = Math.min(MAX_BACKOFF_S, 2 ** (failures - 1));
        const reason =
          event.reason || (event.code === 1006 ? "the connection was lost" : `code ${event.code}`);
        setLink({ state: "closed", reason, retryInS: wait });
        countdown = setInterval(() => {
          wait -= 1;
          if (wait > 0) setLink({ state: "closed", reason, retryInS: wait });
        }, 1_000);
        timer = setTimeout(connect, wait * 1_000);
      };
    }

    const input = term.onData((data) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
    });
    reconnectNow.current = () => {
      if (socket?.readyState === WebSocket.OPEN) return;
      connect();
    };
    connect();

    return () => {
      disposed = true;
      clearTimeout(timer);
      clearInterval(countdown);
      socket?.close();
      input.dispose();
      resize.disconnect();
      term.dispose();
    };
  }, [resource, serverId]);

  return (
    <div className="console">
      <div className="console-status" role="status">
        {link.state === "connecting" && <span className="dot dot-wait">Connecting…</span>}
        {link.state === "open" && <span className="dot dot-ok">Connected</span>}
        {link.state === "closed" && (
          <>
            <span className="dot dot-bad">
              Disconnected: {link.reason}. Reconnecting in {link.retryInS} s…
            </span>
            <button type="button" className="link" onClick={() => reconnectNow.current()}>
              Reconnect now
            </button>
          </>
        )}
      </div>
      <div className="console-screen" role="group" aria-labelledby={labelledBy}>
        <div ref={host} className="console-grid" />
      </div>
    </div>
  );
}
