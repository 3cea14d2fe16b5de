import type { CaseNotification, NotificationKind } from '../domain/notifications';
import type { Prisma, PrismaClient } from '../infra/prisma';

/**
 * Notifications (domain/notifications.ts) in PostgreSQL: the in-app rows, the outbox of email and webhook
 * deliveries the dispatcher sends (claimed under a lease, each attempt in the delivery log), users' channel
 * preferences, their email addresses and the webhook targets.
 */

/** Email sends the kinds a user has not muted; webhooks the kinds a target lists (none listed: every kind). */
export interface NotificationPreferences {
  inApp: boolean;
  email: boolean;
  mutedKinds: NotificationKind[];
}
export const DEFAULT_PREFERENCES: NotificationPreferences = { inApp: true, email: true, mutedKinds: [] };

export type WebhookFormat = 'signed' | 'dingtalk' | 'wecom';
export interface WebhookTarget {
  id: string;
  name: string;
  format: WebhookFormat;
  url: string;
  /** HMAC key (signed), or DingTalk's 加签 secret; never answered by the API. */
  secret: string | null;
  orgPath: string;
  kinds: NotificationKind[];
  active: boolean;
}

/** One claimed delivery with what its message needs. */
export interface ClaimedDelivery {
  id: string;
  channel: 'email' | 'webhook';
  kind: NotificationKind;
  attempts: number;
  caseId: string;
  seq: number;
  at: Date;
  stage: string | null;
  toStatus: string;
  caseType: string;
  definitionVersion: number;
  subjectName: string;
  /** Email only. */
  recipient: { id: string; name: string; email: string } | null;
  /** Webhook only. */
  target: Pick<WebhookTarget, 'id' | 'format' | 'url' | 'secret'> | null;
}

export interface NotificationRow {
  id: string;
  caseId: string;
  seq: number;
  kind: NotificationKind;
  stage: string | null;
  at: Date;
  readAt: Date | null;
  caseType: string;
  subjectName: string;
}

/**
 * The statements that put a batch's notifications and their deliveries into the outbox: run in the projection's
 * transaction after its write, they keep only notifications of events the stored history holds with the same
 * hash (a stale attempt's differing events were not written, and tell nobody).
 */
export function outboxStatements(prisma: PrismaClient | Prisma.TransactionClient, caseId: string, notifications: CaseNotification[]) {
  const rows = JSON.stringify(notifications.map((n) => ({ ...n })));
  const ids = notifications.map((n) => n.id);
  return [
    prisma.$executeRaw`
      INSERT INTO "Notification" (id, "caseId", seq, kind, "recipientId", stage, at)
      SELECT n.id, n."caseId", n.seq, n.kind, n."recipientId", n.stage, n.at::timestamp(3)
      FROM jsonb_to_recordset(${rows}::jsonb) AS n(id text, "caseId" text, seq int, kind text, "recipientId" text, stage text, at text, "eventHash" text)
      JOIN "CaseEvent" e ON e."caseId" = n."caseId" AND e.seq = n.seq AND e.hash = n."eventHash"
      ON CONFLICT (id) DO NOTHING`,
    prisma.$executeRaw`
      INSERT INTO "NotificationDelivery" (id, "caseId", seq, kind, channel, "notificationId")
      SELECT 'email:' || n.id, n."caseId", n.seq, n.kind, 'email', n.id
      FROM "Notification" n
      JOIN "User" u ON u.id = n."recipientId" AND u.email IS NOT NULL AND u.active
      LEFT JOIN "NotificationPreference" p ON p."userId" = n."recipientId"
      WHERE n."caseId" = ${caseId} AND n.id = ANY(${ids}::text[])
        AND coalesce(p.email, true) AND NOT (n.kind = ANY(coalesce(p."mutedKinds", ARRAY[]::text[])))
      ON CONFLICT (id) DO NOTHING`,
    prisma.$executeRaw`
      INSERT INTO "NotificationDelivery" (id, "caseId", seq, kind, channel, "targetId")
      SELECT DISTINCT 'webhook:' || t.id || ':' || n."caseId" || ':' || n.seq || ':' || n.kind, n."caseId", n.seq, n.kind, 'webhook', t.id
      FROM "Notification" n
      JOIN "Case" c ON c.id = n."caseId"
      JOIN "WebhookTarget" t ON t.active AND starts_with(c."orgPath", t."orgPath") AND (cardinality(t.kinds) = 0 OR n.kind = ANY(t.kinds))
      WHERE n."caseId" = ${caseId} AND n.id = ANY(${ids}::text[])
      ON CONFLICT (id) DO NOTHING`,
  ];
}

export function notificationStore(prisma: PrismaClient) {
  return {
    /** A user's notifications, newest first, from a keyset cursor (the last row's at and id). */
    async list(
      userId: string,
      { limit, after, unreadOnly = false }: { limit: number; after?: { at: Date; id: string }; unreadOnly?: boolean },
    ): Promise<NotificationRow[]> {
      const rows = await prisma.$queryRaw<NotificationRow[]>`
        SELECT n.id, n."caseId", n.seq, n.kind, n.stage, n.at, n."readAt", c.type AS "caseType", c."subjectName"
        FROM "Notification" n JOIN "Case" c ON c.id = n."caseId"
        WHERE n."recipientId" = ${userId} AND (NOT ${unreadOnly} OR n."readAt" IS NULL)
          AND (${after?.at ?? null}::timestamp(3) IS NULL OR (n.at, n.id) < (${after?.at ?? null}::timestamp(3), ${after?.id ?? ''}))
        ORDER BY n.at DESC, n.id DESC
        LIMIT ${limit}::int`;
      return rows;
    },

    async unreadCount(userId: string): Promise<number> {
      return prisma.notification.count({ where: { recipientId: userId, readAt: null } });
    },

    /** Marks some of the user's notifications read (others' ids are ignored); answers how many changed. */
    async markRead(userId: string, ids: string[] | 'all', at: Date): Promise<number> {
      const { count } = await prisma.notification.updateMany({
        where: { recipientId: userId, readAt: null, ...(ids === 'all' ? {} : { id: { in: ids } }) },
        data: { readAt: at },
      });
      return count;
    },

    async preferences(userId: string): Promise<NotificationPreferences> {
      const row = await prisma.notificationPreference.findUnique({ where: { userId } });
      return row ? { inApp: row.inApp, email: row.email, mutedKinds: row.mutedKinds as NotificationKind[] } : DEFAULT_PREFERENCES;
    },

    async setPreferences(userId: string, prefs: NotificationPreferences): Promise<NotificationPreferences> {
      const data = { ...prefs, updatedAt: new Date() };
      await prisma.notificationPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
      return prefs;
    },

    async email(userId: string): Promise<string | null | undefined> {
      const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
      return user ? user.email : undefined;
    },

    /** Sets a user's email address (null: none); false when there is no such user. */
    async setEmail(userId: string, email: string | null): Promise<boolean> {
      const { count } = await prisma.user.updateMany({ where: { id: userId }, data: { email } });
      return count === 1;
    },

    async webhookTargets(): Promise<WebhookTarget[]> {
      // Only the target's own fields: the API answers them as they are (its schema has no createdAt).
      const rows = await prisma.webhookTarget.findMany({
        orderBy: { createdAt: 'asc' },
        select: { id: true, name: true, format: true, url: true, secret: true, orgPath: true, kinds: true, active: true },
      });
      return rows.map((r) => ({ ...r, format: r.format as WebhookFormat, kinds: r.kinds as NotificationKind[] }));
    },

    async putWebhookTarget(target: WebhookTarget): Promise<void> {
      const { id, ...data } = target;
      await prisma.webhookTarget.upsert({ where: { id }, create: target, update: data });
    },

    async deleteWebhookTarget(id: string): Promise<boolean> {
      const { count } = await prisma.webhookTarget.deleteMany({ where: { id } });
      return count === 1;
    },

    /** The delivery log of one delivery, oldest attempt first. */
    async deliveries(filter: { caseId?: string; channel?: 'email' | 'webhook' }) {
      return prisma.notificationDelivery.findMany({
        where: filter,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { log: { orderBy: { attempt: 'asc' } } },
      });
    },
  };
}

/**
 * The dispatcher's side of the outbox. A claim marks deliveries `sending` and counts the attempt before anything
 * is sent, under a lease: a process that dies mid-send leaves them to be claimed again when the lease ends; a
 * delivery marked `sent` is never claimed again, so a retried activity does not send it twice.
 */
export function outboxStore(prisma: PrismaClient) {
  return {
    async claim(channel: 'email' | 'webhook', limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      return prisma.$queryRaw<ClaimedDelivery[]>`
        WITH claimed AS (
          UPDATE "NotificationDelivery" d SET status = 'sending', attempts = d.attempts + 1,
            "leaseUntil" = clock_timestamp() + make_interval(secs => ${leaseMs / 1000}::float8)
          WHERE d.id IN (
            SELECT id FROM "NotificationDelivery"
            WHERE channel = ${channel} AND ((status = 'pending' AND "nextAttemptAt" <= clock_timestamp())
              OR (status = 'sending' AND "leaseUntil" < clock_timestamp()))
            ORDER BY "nextAttemptAt", id
            LIMIT ${limit}::int
            FOR UPDATE SKIP LOCKED)
          RETURNING d.*
        )
        SELECT d.id, d.channel, d.kind, d.attempts, d."caseId", d.seq, e.at, e.stage, e."toStatus"::text AS "toStatus", c.type AS "caseType",
          c."definitionVersion", c."subjectName",
          CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('id', u.id, 'name', u.name, 'email', u.email) END AS recipient,
          CASE WHEN t.id IS NULL THEN NULL ELSE jsonb_build_object('id', t.id, 'format', t.format, 'url', t.url, 'secret', t.secret) END AS target
        FROM claimed d
        JOIN "CaseEvent" e ON e."caseId" = d."caseId" AND e.seq = d.seq
        JOIN "Case" c ON c.id = d."caseId"
        LEFT JOIN "Notification" n ON n.id = d."notificationId"
        LEFT JOIN "User" u ON u.id = n."recipientId"
        LEFT JOIN "WebhookTarget" t ON t.id = d."targetId"
        ORDER BY d."nextAttemptAt", d.id`;
    },

    /** Records a sent delivery and its attempt, once: a delivery already sent is left as it is. */
    async sent(id: string, attempt: number, log: { status: number | null; durationMs: number }): Promise<void> {
      await prisma.$transaction([
        prisma.notificationDelivery.updateMany({
          where: { id, status: { not: 'sent' } },
          data: { status: 'sent', sentAt: new Date(), leaseUntil: null, lastError: null },
        }),
        prisma.notificationAttempt.create({ data: { deliveryId: id, attempt, ok: true, status: log.status, durationMs: log.durationMs } }),
      ]);
    },

    /** Records a failed attempt: tried again at `retryAt`, or given up (failed) when null. */
    async failed(id: string, attempt: number, log: { status: number | null; error: string; durationMs: number }, retryAt: Date | null) {
      await prisma.$transaction([
        prisma.notificationDelivery.updateMany({
          where: { id, status: 'sending' },
          data: retryAt
            ? { status: 'pending', nextAttemptAt: retryAt, leaseUntil: null, lastError: log.error }
            : { status: 'failed', leaseUntil: null, lastError: log.error },
        }),
        prisma.notificationAttempt.create({
          data: { deliveryId: id, attempt, ok: false, status: log.status, error: log.error.slice(0, 2000), durationMs: log.durationMs },
        }),
      ]);
    },

    /** How many deliveries of a channel wait (pending or mid-send). */
    async waiting(channel: 'email' | 'webhook'): Promise<number> {
      return prisma.notificationDelivery.count({ where: { channel, status: { in: ['pending', 'sending'] } } });
    },
  };
}
