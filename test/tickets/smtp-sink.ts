import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

/** One message as the sink received it. */
export interface SunkMail {
  to: string[];
  subject: string;
  raw: string;
}

/** A local SMTP server that keeps what it is sent, for tests of outgoing mail. */
export interface SmtpSink {
  url: string;
  mails: SunkMail[];
  /** Waits until `count` messages matching `match` arrived, or fails after `timeoutMs`. */
  waitFor(match: (m: SunkMail) => boolean, count?: number, timeoutMs?: number): Promise<SunkMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, " ") ?? "";
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(match, count = 1, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > until) {
          throw new Error(
            `expected ${count} matching mail(s) within ${timeoutMs} ms; got: ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
