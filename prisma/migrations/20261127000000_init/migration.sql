-- CreateEnum
CREATE TYPE "OrgLevel" AS ENUM ('province', 'city', 'county', 'street', 'community');

-- CreateEnum
CREATE TYPE "OrgUnitKind" AS ENUM ('area', 'department');

-- CreateEnum
CREATE TYPE "WorkerStatus" AS ENUM ('active', 'exited', 'recruited');

-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('in_review', 'returned', 'public_notice', 'objection_review', 'follow_up', 'completed', 'rejected', 'withdrawn');

-- CreateTable
CREATE TABLE "OrgUnit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "OrgLevel" NOT NULL,
    "kind" "OrgUnitKind" NOT NULL,
    "departmentType" TEXT,
    "parentId" TEXT,
    "path" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrgUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "externalSub" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityWorker" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "userId" TEXT,
    "status" "WorkerStatus" NOT NULL DEFAULT 'active',
    "grade" INTEGER NOT NULL,
    "gradeSince" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityWorker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GradeChange" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "fromGrade" INTEGER NOT NULL,
    "toGrade" INTEGER NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "caseId" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GradeChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "CaseStatus" NOT NULL,
    "outcome" TEXT,
    "subjectId" TEXT NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "applicantId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "definitionVersion" INTEGER NOT NULL,
    "ruleSetId" TEXT NOT NULL,
    "ruleSetVersion" INTEGER NOT NULL,
    "currentStage" TEXT,
    "dueAt" TIMESTAMP(3),
    "state" JSONB NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseAssignee" (
    "caseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "CaseAssignee_pkey" PRIMARY KEY ("caseId","userId")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "fromStatus" "CaseStatus",
    "toStatus" "CaseStatus" NOT NULL,
    "stage" TEXT,
    "comment" TEXT,
    "data" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("caseId","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrgUnit_path_key" ON "OrgUnit"("path");

-- CreateIndex
CREATE INDEX "OrgUnit_parentId_idx" ON "OrgUnit"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "User_externalSub_key" ON "User"("externalSub");

-- CreateIndex
CREATE INDEX "RoleAssignment_orgUnitId_role_idx" ON "RoleAssignment"("orgUnitId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "RoleAssignment_userId_role_orgUnitId_key" ON "RoleAssignment"("userId", "role", "orgUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityWorker_userId_key" ON "CommunityWorker"("userId");

-- CreateIndex
CREATE INDEX "CommunityWorker_orgUnitId_idx" ON "CommunityWorker"("orgUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "GradeChange_caseId_key" ON "GradeChange"("caseId");

-- CreateIndex
CREATE INDEX "GradeChange_workerId_idx" ON "GradeChange"("workerId");

-- CreateIndex
CREATE INDEX "Case_status_type_idx" ON "Case"("status", "type");

-- CreateIndex
CREATE INDEX "Case_subjectId_idx" ON "Case"("subjectId");

-- CreateIndex
CREATE INDEX "Case_orgUnitId_idx" ON "Case"("orgUnitId");

-- CreateIndex
CREATE INDEX "Case_applicantId_idx" ON "Case"("applicantId");

-- CreateIndex
CREATE INDEX "CaseAssignee_userId_idx" ON "CaseAssignee"("userId");

-- CreateIndex
CREATE INDEX "CaseEvent_at_idx" ON "CaseEvent"("at");

-- CreateIndex
CREATE INDEX "CaseEvent_actorId_idx" ON "CaseEvent"("actorId");

-- AddForeignKey
ALTER TABLE "OrgUnit" ADD CONSTRAINT "OrgUnit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "OrgUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityWorker" ADD CONSTRAINT "CommunityWorker_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradeChange" ADD CONSTRAINT "GradeChange_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_orgUnitId_fkey" FOREIGN KEY ("orgUnitId") REFERENCES "OrgUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseAssignee" ADD CONSTRAINT "CaseAssignee_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The history is append-only: the application may insert events, never change or remove them.
-- (A database superuser can still bypass this; the hash chain is what makes such edits detectable.)
CREATE FUNCTION "case_event_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'CaseEvent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "CaseEvent_append_only"
  BEFORE UPDATE OR DELETE ON "CaseEvent"
  FOR EACH ROW EXECUTE FUNCTION "case_event_append_only"();
