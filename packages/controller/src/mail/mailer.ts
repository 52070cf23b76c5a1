import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";

/** One plain-text message. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Overrides the configured From (a reseller's support address, for example). */
  from?: string;
  replyTo?: string;
}

/** Sends mail. The controller holds one; tests point it at a local SMTP sink. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Where mail goes: an SMTP server (`smtp://user:pass@host:port`, `smtps://...`) and the default From. */
export interface MailSettings {
  smtpUrl: string;
  from: string;
}

/** A Mailer over real SMTP (nodemailer), with short timeouts so a dead server fails fast. */
export function createSmtpMailer(settings: MailSettings): Mailer {
  const transport: Transporter = nodemailer.createTransport(settings.smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: message.from ?? settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/** A Mailer for a controller with no SMTP configured: every send fails with a clear message. */
export const NO_MAIL: Mailer = {
  send: async () => {
    throw new Error("no SMTP server is configured (set LAYERBOOM_SMTP_URL or AppOptions.mail)");
  },
  close: () => undefined,
};
