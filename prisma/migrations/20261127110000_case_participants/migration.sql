-- Who recorded an event on a case keeps sight of it (api/case-queries.ts visibleCases), read from one index
-- instead of every event the caller ever recorded.

-- CreateTable
CREATE TABLE "CaseParticipant" (
    "caseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "orgPath" TEXT NOT NULL,

    CONSTRAINT "CaseParticipant_pkey" PRIMARY KEY ("caseId","userId")
);

-- CreateIndex
CREATE INDEX "CaseParticipant_userId_orgPath_caseId_idx" ON "CaseParticipant"("userId", "orgPath", "caseId");

-- AddForeignKey
ALTER TABLE "CaseParticipant" ADD CONSTRAINT "CaseParticipant_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill from the recorded events.
INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
SELECT DISTINCT e."caseId", e."actorId", c."orgPath"
FROM "CaseEvent" e JOIN "Case" c ON c."id" = e."caseId"
WHERE e."actorId" IS NOT NULL;
