import type { Server } from "./api";

/** How often lists and pages ask for fresh state while servers change under them. */
export const POLL_MS = 2_000;

/** `host:port` where the server's SSH answers, if it has an address yet. */
export function sshAddress(server: Pick<Server, "addresses">): string | undefined {
  const a = server.addresses.find((x) => x.kind === "ssh-forward") ?? server.addresses[0];
  if (!a) return undefined;
  return a.port ? `${a.address}:${a.port}` : a.address;
}

/** The command that logs in to the server with one of the account's SSH keys. */
export function sshCommand(server: Pick<Server, "addresses">): string | undefined {
  const a = server.addresses.find((x) => x.kind === "ssh-forward") ?? server.addresses[0];
  if (!a) return undefined;
  return a.port && a.port !== 22 ? `ssh -p ${a.port} root@${a.address}` : `ssh root@${a.address}`;
}

/**
 * Copies text to the clipboard. The Clipboard API needs a secure context (HTTPS or localhost);
 * elsewhere the text of `select` is selected and copied the old way. False when neither worked,
 * and the text is left selected for the user to copy.
 */
export async function copyText(text: string, select?: HTMLElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, or the page lost focus): fall back to selecting the text.
  }
  if (!select) return false;
  const range = document.createRange();
  range.selectNodeContents(select);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
