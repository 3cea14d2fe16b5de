-- The case read model's search columns, the records check's alerts, idempotency records and the audit-access log,
-- with the indexes the case search, inbox and audit trail use.
--
-- Stops 9 and 10 shipped these changes by editing the init migration in place, which a database migrated by
-- the first release refuses ("edited after it was applied"). The init migration is back as first released and
-- the changes live here. Every statement is written to be a no-op on a database created from the edited init
-- (infra/migrate.ts accepts that init's checksum), so both kinds of database end with the same schema
-- (test/migrations.test.ts compares them).

-- Trigram indexes make free-text search over case subjects fast.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable: denormalised from the subject and its org unit, and the head of the case's hash chain.
ALTER TABLE "Case" ADD COLUMN IF NOT EXISTS "subjectName" TEXT;
ALTER TABLE "Case" ADD COLUMN IF NOT EXISTS "orgPath" TEXT;
ALTER TABLE "Case" ADD COLUMN IF NOT EXISTS "lastHash" TEXT;

UPDATE "Case" c SET "subjectName" = w."name" FROM "CommunityWorker" w WHERE w."id" = c."subjectId" AND c."subjectName" IS NULL;
UPDATE "Case" c SET "orgPath" = u."path" FROM "OrgUnit" u WHERE u."id" = c."orgUnitId" AND c."orgPath" IS NULL;
UPDATE "Case" c SET "lastHash" = e."hash" FROM "CaseEvent" e WHERE e."caseId" = c."id" AND e."seq" = c."lastSeq" AND c."lastHash" IS NULL;
-- A case row without its events (none is written that way) chains from the genesis hash.
UPDATE "Case" SET "lastHash" = repeat('0', 64) WHERE "lastHash" IS NULL;

ALTER TABLE "Case" ALTER COLUMN "subjectName" SET NOT NULL;
ALTER TABLE "Case" ALTER COLUMN "orgPath" SET NOT NULL;
ALTER TABLE "Case" ALTER COLUMN "lastHash" SET NOT NULL;

-- CreateTable
CREATE TABLE IF NOT EXISTS "RecordAlert" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "caseId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "IdempotencyRecord" (
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("userId","key")
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "AuditAccess" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditAccess_pkey" PRIMARY KEY ("id")
);

-- DropIndex: replaced by the composite indexes below.
DROP INDEX IF EXISTS "CaseAssignee_userId_idx";
DROP INDEX IF EXISTS "CaseEvent_at_idx";
DROP INDEX IF EXISTS "CaseEvent_actorId_idx";

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Case_submittedAt_id_idx" ON "Case"("submittedAt", "id");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Case_decidedAt_idx" ON "Case"("decidedAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Case_dueAt_idx" ON "Case"("dueAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Case_orgPath_submittedAt_idx" ON "Case"("orgPath" text_pattern_ops, "submittedAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Case_subjectName_idx" ON "Case" USING GIN ("subjectName" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX IF NOT EXISTS "RecordAlert_workerId_kind_key_key" ON "RecordAlert"("workerId", "kind", "key");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "RecordAlert_createdAt_idx" ON "RecordAlert"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "AuditAccess_at_idx" ON "AuditAccess"("at");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "CaseAssignee_userId_caseId_idx" ON "CaseAssignee"("userId", "caseId");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "CaseEvent_at_caseId_seq_idx" ON "CaseEvent"("at", "caseId", "seq");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "CaseEvent_actorId_at_idx" ON "CaseEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "CaseEvent_action_at_idx" ON "CaseEvent"("action", "at");

-- AddForeignKey
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'RecordAlert_workerId_fkey') THEN
    ALTER TABLE "RecordAlert" ADD CONSTRAINT "RecordAlert_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  END IF;
END $$;
