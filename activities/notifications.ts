import { Context } from '@temporalio/activity';
import { retryDelayMs } from '../domain/notifications';
import { dingTalkPayload, emailMessage, weComPayload, webhookPayload, type MessageFacts } from '../domain/notification-messages';
import type { NotificationSettings } from '../infra/config';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  createMailer,
  dingTalkSignedUrl,
  postJson,
  webhookSignature,
  type Mailer,
} from '../infra/notify-channels';
import type { ClaimedDelivery, outboxStore } from '../store/notifications';

export type NotificationChannel = 'email' | 'webhook';

export interface DispatchResult {
  sent: number;
  failed: number;
}

const BATCH = 20;
const WEBHOOK_TIMEOUT_MS = 10_000;
const STOPPING_CHECK_MS = 1000;

/**
 * The dispatcher's activities (workflows/notifications.ts): deliver what the outbox holds for one channel, for a
 * while, then return so the workflow's history stays short. Each delivery is claimed (its attempt recorded)
 * before it is sent and marked sent after; a failure is logged with its answer and tried again with exponential
 * backoff, then given up. Nothing here touches a case: a channel that fails only leaves its deliveries waiting.
 */
export function createNotificationActivities({
  outbox,
  settings,
  mailer = settings.smtpUrl ? createMailer(settings.smtpUrl) : undefined,
  stopping = () => false,
}: {
  outbox: ReturnType<typeof outboxStore>;
  settings: NotificationSettings;
  mailer?: Mailer;
  /**
   * True once the worker is shutting down. A window then ends at its next poll instead of running its full
   * length: the SDK cancels an activity only when the worker's shutdown grace has run out, so a window would
   * otherwise hold every stopping worker (a rolling deploy, SIGTERM) for up to its 30 s. The workflow's next
   * window runs on a worker still polling.
   */
  stopping?: () => boolean;
}) {
  async function send(d: ClaimedDelivery): Promise<{ status: number | null; detail: string }> {
    const facts: MessageFacts = {
      kind: d.kind,
      caseId: d.caseId,
      caseType: d.caseType,
      definitionVersion: d.definitionVersion,
      stage: d.stage,
      toStatus: d.toStatus,
      at: new Date(d.at).toISOString(),
      appUrl: settings.appUrl,
    };
    if (d.channel === 'email') {
      if (!mailer) throw new Error('no SMTP server configured (NOTIFY_SMTP_URL)');
      if (!d.recipient) throw new Error('the recipient has no email address');
      const { subject, text } = emailMessage(facts, d.subjectName, d.recipient.name);
      const { response } = await mailer.send({
        from: settings.from,
        to: { name: d.recipient.name, address: d.recipient.email },
        subject,
        text,
        messageId: `<${d.id.replace(/[^A-Za-z0-9.-]/g, '.')}@community-cases>`,
        idempotencyKey: d.id,
      });
      return { status: null, detail: response };
    }
    const target = d.target;
    if (!target) throw new Error('the webhook target is gone');
    const now = Date.now();
    let url = target.url;
    const headers: Record<string, string> = { [DELIVERY_HEADER]: d.id };
    let body: string;
    if (target.format === 'dingtalk') {
      body = JSON.stringify(dingTalkPayload(facts));
      if (target.secret) url = dingTalkSignedUrl(url, target.secret, now);
    } else {
      body = JSON.stringify(target.format === 'wecom' ? weComPayload(facts) : webhookPayload(facts, d.id));
      if (target.format === 'signed' && target.secret) {
        const timestamp = String(Math.floor(now / 1000));
        headers[TIMESTAMP_HEADER] = timestamp;
        headers[SIGNATURE_HEADER] = webhookSignature(target.secret, timestamp, body);
      }
    }
    const res = await postJson(url, body, headers, WEBHOOK_TIMEOUT_MS);
    if (res.status < 200 || res.status >= 300) throw Object.assign(new Error(`HTTP ${res.status}: ${res.body}`), { status: res.status });
    // The group robots answer 200 with their own error code in the body.
    if (target.format !== 'signed') {
      const errcode = (JSON.parse(res.body || '{}') as { errcode?: number; errmsg?: string }).errcode;
      if (errcode !== undefined && errcode !== 0) throw Object.assign(new Error(`robot refused: ${res.body}`), { status: res.status });
    }
    return { status: res.status, detail: res.body };
  }

  return {
    /** Delivers due deliveries of one channel for up to `windowMs`, polling the outbox; heartbeats as it goes. */
    async deliverNotifications({ channel, windowMs }: { channel: NotificationChannel; windowMs: number }): Promise<DispatchResult> {
      const until = Date.now() + windowMs;
      const result: DispatchResult = { sent: 0, failed: 0 };
      for (;;) {
        Context.current().heartbeat(result);
        const claimed = await outbox.claim(channel, BATCH, settings.leaseMs);
        for (const d of claimed) {
          const started = Date.now();
          try {
            const { status } = await send(d);
            await outbox.sent(d.id, d.attempts, { status, durationMs: Date.now() - started });
            result.sent += 1;
          } catch (err) {
            const status = (err as { status?: number }).status ?? null;
            const retryAt =
              d.attempts >= settings.maxAttempts
                ? null
                : new Date(Date.now() + retryDelayMs(d.attempts, settings.retryBaseMs, settings.retryCapMs));
            await outbox.failed(d.id, d.attempts, { status, error: (err as Error).message, durationMs: Date.now() - started }, retryAt);
            result.failed += 1;
          }
          Context.current().heartbeat(result);
        }
        if (Date.now() >= until || stopping()) return result;
        if (claimed.length < BATCH) {
          // In steps of at most a second, so a stopping worker is noticed soon whatever NOTIFY_POLL_MS is.
          const wakeAt = Math.min(Date.now() + settings.pollMs, until);
          while (Date.now() < wakeAt && !stopping()) await Context.current().sleep(Math.min(STOPPING_CHECK_MS, wakeAt - Date.now()));
          if (stopping()) return result;
        }
      }
    },
  };
}
