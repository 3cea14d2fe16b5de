import { z } from 'zod';
import type { Caller } from '../domain/access';
import { policy } from '../domain/access';
import { NOTIFICATION_KINDS } from '../domain/notifications';
import type { Store } from '../store';
import type { CaseBrief } from '../store/cases';
import type { NotificationPreferences, WebhookTarget } from '../store/notifications';
import { forbidden, invalid, notFound } from './problem';
import { cursorId, cursorInstant, decodeCursor, encodeCursor } from './validation';

/**
 * What the notification routes do: a user's in-app notifications (paged, unread count, marking read), their
 * channel preferences, and for administrators the users' email addresses and the webhook targets.
 */

export const notificationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  unread: z.enum(['true', 'false']).optional(),
});

export const markReadBody = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export const preferencesBody = z
  .object({
    inApp: z.boolean(),
    email: z.boolean(),
    mutedKinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length).default([]),
  })
  .strict();

export const emailBody = z.object({ email: z.email().max(254).nullable() }).strict();

export const webhookTargetBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    format: z.enum(['signed', 'dingtalk', 'wecom']),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    secret: z.string().min(16).max(200).nullable().default(null),
    orgPath: z.string().regex(/^\/([a-z0-9-]+\/)+$/, 'an org path such as /js/nj/gl/'),
    kinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length).default([]),
    active: z.boolean().default(true),
  })
  .strict();

const cursorSchema = z.object({ at: cursorInstant, id: cursorId });

const briefOf = (brief: CaseBrief | undefined) => (brief ? { number: brief.number, type: brief.type, subject: brief.subject } : null);

export function createNotificationService({ store, webhookAllowHttp }: { store: Store; webhookAllowHttp: boolean }) {
  function assertAdmin(caller: Caller) {
    if (!policy.canManageNotifications(caller)) throw forbidden('email addresses and webhooks are managed by administrators');
  }

  return {
    async list(caller: Caller, query: z.infer<typeof notificationListQuery>) {
      const prefs = await store.notifications.preferences(caller.id);
      const after = query.cursor ? decodeCursor(query.cursor, cursorSchema) : undefined;
      // In-app notifications turned off: the bell stays empty (the rows stay, the record of what was told).
      const rows = prefs.inApp
        ? await store.notifications.list(caller.id, {
            limit: query.limit + 1,
            after: after && { at: new Date(after.at), id: after.id },
            unreadOnly: query.unread === 'true',
          })
        : [];
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((n) => ({
          id: n.id,
          caseId: n.caseId,
          seq: n.seq,
          kind: n.kind,
          stage: n.stage,
          caseType: n.caseType,
          subjectName: n.subjectName,
          at: n.at.toISOString(),
          readAt: n.readAt ? n.readAt.toISOString() : null,
        })),
        unread: prefs.inApp ? await store.notifications.unreadCount(caller.id) : 0,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
      };
    },

    async markRead(caller: Caller, body: z.infer<typeof markReadBody>) {
      const marked = await store.notifications.markRead(caller.id, 'all' in body ? 'all' : body.ids, new Date());
      return { marked, unread: await store.notifications.unreadCount(caller.id) };
    },

    preferences: (caller: Caller) => store.notifications.preferences(caller.id),

    setPreferences: (caller: Caller, prefs: NotificationPreferences) => store.notifications.setPreferences(caller.id, prefs),

    async setEmail(caller: Caller, userId: string, email: string | null) {
      assertAdmin(caller);
      if (!(await store.notifications.setEmail(userId, email))) throw notFound(`user ${userId}`);
      return { userId, email };
    },

    async webhookTargets(caller: Caller) {
      assertAdmin(caller);
      return (await store.notifications.webhookTargets()).map(withoutSecret);
    },

    async putWebhookTarget(caller: Caller, id: string, body: z.infer<typeof webhookTargetBody>) {
      assertAdmin(caller);
      if (!/^[a-z0-9-]{1,64}$/.test(id)) throw invalid('id: lowercase letters, digits and hyphens, at most 64');
      const url = new URL(body.url);
      if (url.protocol !== 'https:' && !webhookAllowHttp) throw invalid('url: must be https (NOTIFY_WEBHOOK_ALLOW_HTTP allows http)');
      if (url.username || url.password) throw invalid('url: must not carry credentials (use secret)');
      if (body.format === 'signed' && !body.secret) throw invalid('secret: a signed webhook needs a secret of at least 16 characters');
      const target: WebhookTarget = { id, ...body };
      await store.notifications.putWebhookTarget(target);
      return withoutSecret(target);
    },

    async deleteWebhookTarget(caller: Caller, id: string) {
      assertAdmin(caller);
      if (!(await store.notifications.deleteWebhookTarget(id))) throw notFound(`webhook target ${id}`);
    },

    /** The delivery log (administrators): each email and webhook delivery with its attempts. */
    async deliveries(caller: Caller, filter: { caseId?: string; channel?: 'email' | 'webhook' }) {
      assertAdmin(caller);
      const rows = await store.notifications.deliveries(filter);
      // The case by its short number and subject, as people name it; the id stays for tracing.
      const cases = await store.cases.briefs(rows.map((d) => d.caseId));
      return rows.map((d) => ({
        id: d.id,
        caseId: d.caseId,
        case: briefOf(cases.get(d.caseId)),
        seq: d.seq,
        kind: d.kind,
        channel: d.channel,
        targetId: d.targetId,
        status: d.status,
        attempts: d.attempts,
        sentAt: d.sentAt ? d.sentAt.toISOString() : null,
        lastError: d.lastError,
        log: d.log.map((a) => ({
          attempt: a.attempt,
          at: a.at.toISOString(),
          ok: a.ok,
          status: a.status,
          error: a.error,
          durationMs: a.durationMs,
        })),
      }));
    },
  };
}

const withoutSecret = ({ secret, ...target }: WebhookTarget) => ({ ...target, hasSecret: secret !== null });

export type NotificationService = ReturnType<typeof createNotificationService>;
