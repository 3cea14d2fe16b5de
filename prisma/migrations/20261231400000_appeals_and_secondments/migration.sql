-- Appeals and secondments (issue #17 parts 1 and 2): secondments on the records, with the dates a worker is away
-- from post, and appeal decisions as entries of their own beside the decisions they review.

-- CreateTable
CREATE TABLE "Secondment" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "caseId" TEXT,
    "borrowingBody" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "fromDate" DATE NOT NULL,
    "toDate" DATE NOT NULL,
    "extensionOf" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Secondment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Secondment_dates_check" CHECK ("fromDate" <= "toDate")
);

-- CreateTable
CREATE TABLE "AppealDecision" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "appealOf" TEXT NOT NULL,
    "ground" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "reasoning" TEXT NOT NULL,
    "decidedOn" DATE NOT NULL,
    "reversal" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppealDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Secondment_caseId_key" ON "Secondment"("caseId");

-- CreateIndex
CREATE INDEX "Secondment_workerId_fromDate_idx" ON "Secondment"("workerId", "fromDate");

-- CreateIndex
CREATE INDEX "Secondment_fromDate_toDate_idx" ON "Secondment"("fromDate", "toDate");

-- CreateIndex
CREATE UNIQUE INDEX "AppealDecision_caseId_key" ON "AppealDecision"("caseId");

-- CreateIndex
CREATE INDEX "AppealDecision_workerId_idx" ON "AppealDecision"("workerId");

-- CreateIndex
CREATE INDEX "AppealDecision_appealOf_idx" ON "AppealDecision"("appealOf");

-- AddForeignKey
ALTER TABLE "Secondment" ADD CONSTRAINT "Secondment_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppealDecision" ADD CONSTRAINT "AppealDecision_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
