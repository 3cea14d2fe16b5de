-- Case groups (issue #17): a street's yearly promotion round and a community's annual assessment, each a parent
-- workflow with a case of its own per person.

-- CreateTable
CREATE TABLE "CaseGroup" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "decision" JSONB,
    "openedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseGroupMember" (
    "groupId" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,

    CONSTRAINT "CaseGroupMember_pkey" PRIMARY KEY ("groupId","workerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseGroup_kind_orgUnitId_year_key" ON "CaseGroup"("kind", "orgUnitId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "CaseGroupMember_caseId_key" ON "CaseGroupMember"("caseId");

-- CreateIndex
CREATE INDEX "CaseGroupMember_workerId_idx" ON "CaseGroupMember"("workerId");

-- AddForeignKey
ALTER TABLE "CaseGroupMember" ADD CONSTRAINT "CaseGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CaseGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
