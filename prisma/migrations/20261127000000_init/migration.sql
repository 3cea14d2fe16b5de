-- CreateEnum
CREATE TYPE "OrgLevel" AS ENUM ('province', 'city', 'county', 'street', 'community');

-- CreateEnum
CREATE TYPE "OrgUnitKind" AS ENUM ('area', 'department');

-- CreateEnum
CREATE TYPE "WorkerStatus" AS ENUM ('active', 'exited', 'recruited');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('male', 'female');

-- CreateEnum
CREATE TYPE "Education" AS ENUM ('high_school', 'secondary_vocational', 'junior_college', 'bachelor', 'master', 'doctorate');

-- CreateEnum
CREATE TYPE "PostType" AS ENUM ('head', 'deputy', 'general');

-- CreateEnum
CREATE TYPE "EmploymentType" AS ENUM ('elected', 'contract');

-- CreateEnum
CREATE TYPE "QualificationLevel" AS ENUM ('none', 'assistant', 'intermediate', 'senior');

-- CreateEnum
CREATE TYPE "AssessmentResult" AS ENUM ('excellent', 'competent', 'basically_competent', 'incompetent');

-- CreateEnum
CREATE TYPE "DisciplineKind" AS ENUM ('warning', 'demerit', 'major_demerit', 'demotion', 'dismissal_probation');

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
    "gender" "Gender" NOT NULL,
    "birthDate" DATE NOT NULL,
    "nationalId" TEXT NOT NULL,
    "education" "Education" NOT NULL,
    "postType" "PostType" NOT NULL,
    "employmentType" "EmploymentType" NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "userId" TEXT,
    "status" "WorkerStatus" NOT NULL DEFAULT 'active',
    "grade" INTEGER NOT NULL,
    "gradeSince" DATE NOT NULL,
    "hireDate" DATE NOT NULL,
    "postSince" DATE NOT NULL,
    "qualificationLevel" "QualificationLevel" NOT NULL DEFAULT 'none',
    "qualificationObtainedOn" DATE,
    "qualificationEligibleSince" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityWorker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnualAssessment" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "result" "AssessmentResult" NOT NULL,
    "recordedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnnualAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplinaryRecord" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "kind" "DisciplineKind" NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE,
    "reason" TEXT NOT NULL,
    "recordedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisciplinaryRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Award" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "awardedOn" DATE NOT NULL,
    "caseId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Award_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErrorToleranceRuling" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "ruling" TEXT NOT NULL,
    "incidentDate" DATE NOT NULL,
    "summary" TEXT NOT NULL,
    "correctionRequired" BOOLEAN NOT NULL,
    "correctionVerifiedOn" DATE,
    "decidedOn" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErrorToleranceRuling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NameClearance" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "accusationRef" TEXT NOT NULL,
    "findingSummary" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "clearedOn" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NameClearance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnVisit" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "clearanceId" TEXT,
    "caseId" TEXT,
    "visitedOn" DATE NOT NULL,
    "officerId" TEXT NOT NULL,
    "notes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusChange" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "fromStatus" "WorkerStatus" NOT NULL,
    "toStatus" "WorkerStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "caseId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "provisional" BOOLEAN NOT NULL,
    "loadedBy" TEXT,
    "loadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" DATE NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("date")
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
CREATE UNIQUE INDEX "CommunityWorker_nationalId_key" ON "CommunityWorker"("nationalId");

-- CreateIndex
CREATE INDEX "CommunityWorker_orgUnitId_idx" ON "CommunityWorker"("orgUnitId");

-- CreateIndex
CREATE INDEX "CommunityWorker_name_idx" ON "CommunityWorker"("name");

-- CreateIndex
CREATE UNIQUE INDEX "AnnualAssessment_workerId_year_key" ON "AnnualAssessment"("workerId", "year");

-- CreateIndex
CREATE INDEX "DisciplinaryRecord_workerId_idx" ON "DisciplinaryRecord"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "Award_caseId_key" ON "Award"("caseId");

-- CreateIndex
CREATE INDEX "Award_workerId_idx" ON "Award"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "ErrorToleranceRuling_caseId_key" ON "ErrorToleranceRuling"("caseId");

-- CreateIndex
CREATE INDEX "ErrorToleranceRuling_workerId_idx" ON "ErrorToleranceRuling"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "NameClearance_caseId_key" ON "NameClearance"("caseId");

-- CreateIndex
CREATE INDEX "NameClearance_workerId_idx" ON "NameClearance"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnVisit_caseId_key" ON "ReturnVisit"("caseId");

-- CreateIndex
CREATE INDEX "ReturnVisit_workerId_idx" ON "ReturnVisit"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "StatusChange_caseId_key" ON "StatusChange"("caseId");

-- CreateIndex
CREATE INDEX "StatusChange_workerId_idx" ON "StatusChange"("workerId");

-- CreateIndex
CREATE INDEX "CalendarDay_year_idx" ON "CalendarDay"("year");

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
ALTER TABLE "AnnualAssessment" ADD CONSTRAINT "AnnualAssessment_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisciplinaryRecord" ADD CONSTRAINT "DisciplinaryRecord_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Award" ADD CONSTRAINT "Award_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErrorToleranceRuling" ADD CONSTRAINT "ErrorToleranceRuling_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NameClearance" ADD CONSTRAINT "NameClearance_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnVisit" ADD CONSTRAINT "ReturnVisit_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReturnVisit" ADD CONSTRAINT "ReturnVisit_clearanceId_fkey" FOREIGN KEY ("clearanceId") REFERENCES "NameClearance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarDay" ADD CONSTRAINT "CalendarDay_year_fkey" FOREIGN KEY ("year") REFERENCES "CalendarYear"("year") ON DELETE CASCADE ON UPDATE CASCADE;

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
