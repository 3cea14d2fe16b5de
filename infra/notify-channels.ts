import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

/**
 * The two outside channels of notifications: an SMTP server (through nodemailer, which encodes Chinese subjects
 * and bodies as RFC 2047 words and UTF-8 MIME parts) and webhooks over HTTP(S), signed. Adapters only: what to
 * send is decided in domain/notification-messages.ts and activities/notifications.ts.
 */

export interface Mail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  /** Stable per delivery, so a mail sent again after a crash is recognisably the same (RFC 5322 Message-ID). */
  messageId: string;
  idempotencyKey: string;
}

export interface Mailer {
  send: (mail: Mail) => Promise<{ response: string }>;
  close: () => void;
}

export function createMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: mail.from,
        to: { name: mail.to.name, address: mail.to.address },
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: { 'X-Idempotency-Key': mail.idempotencyKey },
      });
      return { response: String(info.response) };
    },
    close: () => transport.close(),
  };
}

/** Headers of a signed webhook: HMAC-SHA256 over `<timestamp>.<body>` with the target's secret, hex. */
export const SIGNATURE_HEADER = 'X-Cases-Signature';
export const TIMESTAMP_HEADER = 'X-Cases-Timestamp';
export const DELIVERY_HEADER = 'X-Cases-Delivery';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * DingTalk's 加签 for a group robot with a secret: HMAC-SHA256 of `<ms timestamp>\n<secret>` keyed by the secret,
 * base64, passed as the `timestamp` and `sign` query parameters (DingTalk's documented scheme).
 */
export function dingTalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  u.searchParams.set('sign', sign);
  return u.toString();
}

export interface WebhookResponse {
  status: number;
  body: string;
}

/** POSTs JSON, with a deadline; answers the status and the start of the body (for the delivery log). */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<WebhookResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: (await res.text()).slice(0, 1000) };
}
