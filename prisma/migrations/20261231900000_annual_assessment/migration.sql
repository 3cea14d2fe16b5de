-- An annual assessment's scores, proposal, notification and entries (domain/case-groups.ts AssessmentProgress); null on a round.
ALTER TABLE "CaseGroup" ADD COLUMN "progress" JSONB;
