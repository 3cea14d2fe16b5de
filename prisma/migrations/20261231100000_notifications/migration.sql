-- Notifications and copies (issue #16 part 4): what a case's events tell people (domain/notifications.ts), kept
-- in the read model as in-app notifications, and an outbox of deliveries by email and webhook that the
-- dispatcher workflows send. Notifications and deliveries are written in the projection's transaction, only for
-- events that were written (store/projection.ts); an event that a lost attempt wrote and a later attempt moved
-- out of the chain takes its notifications and their undelivered deliveries with it (ON DELETE CASCADE).

ALTER TABLE "User" ADD COLUMN "email" TEXT;

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "stage" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Notification_event_fkey" FOREIGN KEY ("caseId", "seq") REFERENCES "CaseEvent"("caseId", "seq") ON DELETE CASCADE
);
CREATE INDEX "Notification_recipientId_at_id_idx" ON "Notification"("recipientId", "at" DESC, "id" DESC);
CREATE INDEX "Notification_unread_idx" ON "Notification"("recipientId") WHERE "readAt" IS NULL;
CREATE INDEX "Notification_caseId_seq_idx" ON "Notification"("caseId", "seq");

-- A user's channels: in-app and email, each on or off, and kinds they do not want by email.
CREATE TABLE "NotificationPreference" (
    "userId" TEXT NOT NULL,
    "inApp" BOOLEAN NOT NULL DEFAULT true,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "mutedKinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId"),
    CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE
);

-- A webhook: a system of the county's (signed JSON) or a DingTalk / WeCom group robot, for the cases of one subtree.
CREATE TABLE "WebhookTarget" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "orgPath" TEXT NOT NULL,
    "kinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookTarget_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "WebhookTarget_format_check" CHECK ("format" IN ('signed', 'dingtalk', 'wecom'))
);

-- The outbox: one row per (notification, channel) — its id is the idempotency key — or per (event, kind,
-- webhook target). pending → sending (claimed under a lease, attempt counted before the send) → sent, or failed
-- after the last attempt; a lease that ran out (the process died mid-send) is claimed again.
CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "notificationId" TEXT,
    "targetId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "NotificationDelivery_channel_check" CHECK ("channel" IN ('email', 'webhook')),
    CONSTRAINT "NotificationDelivery_status_check" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed')),
    CONSTRAINT "NotificationDelivery_event_fkey" FOREIGN KEY ("caseId", "seq") REFERENCES "CaseEvent"("caseId", "seq") ON DELETE CASCADE,
    CONSTRAINT "NotificationDelivery_notification_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE,
    CONSTRAINT "NotificationDelivery_target_fkey" FOREIGN KEY ("targetId") REFERENCES "WebhookTarget"("id") ON DELETE CASCADE
);
CREATE INDEX "NotificationDelivery_due_idx" ON "NotificationDelivery"("channel", "nextAttemptAt") WHERE "status" IN ('pending', 'sending');

-- The delivery log: every attempt, with what the other side answered.
CREATE TABLE "NotificationAttempt" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "NotificationAttempt_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "NotificationAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "NotificationDelivery"("id") ON DELETE CASCADE
);
CREATE INDEX "NotificationAttempt_deliveryId_idx" ON "NotificationAttempt"("deliveryId");
