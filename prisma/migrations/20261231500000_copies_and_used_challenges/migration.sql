-- Copies (抄送, issue #16): who a decided stage's copies went to. The projection writes a row for each observer a
-- `copied` event the case's history holds names; the rows give read access to the case and list it under "抄送我".

-- CreateTable
CREATE TABLE "CaseObserver" (
    "caseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "copiedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseObserver_pkey" PRIMARY KEY ("caseId","userId")
);

-- CreateIndex
CREATE INDEX "CaseObserver_userId_caseId_idx" ON "CaseObserver"("userId", "caseId");

-- AddForeignKey
ALTER TABLE "CaseObserver" ADD CONSTRAINT "CaseObserver_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Public challenges answered already (issue #16): each is good for one objection on every API replica, so the
-- record is shared here; a row outlives its challenge only until the next answer clears expired rows.

-- CreateTable
CREATE TABLE "UsedChallenge" (
    "nonce" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedChallenge_pkey" PRIMARY KEY ("nonce")
);

-- CreateIndex
CREATE INDEX "UsedChallenge_expiresAt_idx" ON "UsedChallenge"("expiresAt");
