-- The rules, right (issue 15).
--
-- Disciplinary measures (处分) in three families, each kind the law knows: 政务处分 for managers of the
-- self-governing organisation (警告, 记过, 记大过 only: 政务处分法 第二十二条), 党纪处分 for party members, and the
-- employer's measures under the labour contract for hired staff. The first release's kinds mixed them, with a
-- civil-servant 降级 and an obsolete enterprise 留用察看. Each existing record becomes the nearest lawful kind of
-- its worker's family (an elected 两委 member: 政务处分; hired staff: the labour contract): 警告 and 记过 as they
-- were; 记大过, 降级 and 留用察看 the heaviest kind of the family short of ending the post (政务记大过, or 降低岗位等级
-- under the contract). The kind and end date as first recorded stay in "legacy" for review. "endDate" was the end
-- of the measure's effect; the rules now derive the effect from the kind (discipline.effects), and the column
-- becomes "termEnd", the end of a measure's own term (留党察看), which no migrated kind has.
CREATE TYPE "DisciplineKind_v2" AS ENUM (
  'government_warning', 'government_demerit', 'government_major_demerit',
  'party_warning', 'party_serious_warning', 'party_post_removal', 'party_probation', 'party_expulsion',
  'contract_warning', 'contract_demerit', 'contract_grade_lowered'
);
ALTER TABLE "DisciplinaryRecord" ADD COLUMN "legacy" JSONB;
ALTER TABLE "DisciplinaryRecord" ADD COLUMN "kind_v2" "DisciplineKind_v2";
UPDATE "DisciplinaryRecord" d
SET "legacy" = jsonb_build_object('kind', d."kind"::text, 'endDate', d."endDate"),
    "kind_v2" = (CASE
      WHEN w."employmentType" = 'elected' THEN
        CASE d."kind" WHEN 'warning' THEN 'government_warning' WHEN 'demerit' THEN 'government_demerit' ELSE 'government_major_demerit' END
      ELSE
        CASE d."kind" WHEN 'warning' THEN 'contract_warning' WHEN 'demerit' THEN 'contract_demerit' ELSE 'contract_grade_lowered' END
    END)::"DisciplineKind_v2"
FROM "CommunityWorker" w
WHERE w."id" = d."workerId";
ALTER TABLE "DisciplinaryRecord" DROP COLUMN "kind";
ALTER TABLE "DisciplinaryRecord" RENAME COLUMN "kind_v2" TO "kind";
ALTER TABLE "DisciplinaryRecord" ALTER COLUMN "kind" SET NOT NULL;
DROP TYPE "DisciplineKind";
ALTER TYPE "DisciplineKind_v2" RENAME TO "DisciplineKind";
ALTER TABLE "DisciplinaryRecord" RENAME COLUMN "endDate" TO "termEnd";
UPDATE "DisciplinaryRecord" SET "termEnd" = NULL;

-- Elected posts (两委): a party post ends by removal (免职), a seat on the residents' committee by recall (罢免).
-- Unknown for existing workers: an elected worker's exit asks for them to be recorded first.
CREATE TYPE "PartyPost" AS ENUM ('secretary', 'deputy_secretary', 'member');
CREATE TYPE "ResidentsCommitteePost" AS ENUM ('director', 'deputy_director', 'member');
ALTER TABLE "CommunityWorker" ADD COLUMN "partyPost" "PartyPost";
ALTER TABLE "CommunityWorker" ADD COLUMN "residentsCommitteePost" "ResidentsCommitteePost";
ALTER TABLE "CommunityWorker" ADD COLUMN "secretaryFullTerms" INTEGER NOT NULL DEFAULT 0;

-- The date of eligibility for the social-work exam is a recorded fact with what it rests on and its evidence.
-- Dates recorded before are kept, marked "migrated" with no evidence.
CREATE TYPE "QualificationEligibilityBasis" AS ENUM (
  'social_work_bachelor', 'social_work_college_2y', 'other_bachelor_2y', 'other_college_4y', 'secondary_4y', 'migrated'
);
ALTER TABLE "CommunityWorker" ADD COLUMN "qualificationEligibilityBasis" "QualificationEligibilityBasis";
ALTER TABLE "CommunityWorker" ADD COLUMN "qualificationEligibilityEvidence" TEXT;
UPDATE "CommunityWorker" SET "qualificationEligibilityBasis" = 'migrated', "qualificationEligibilityEvidence" = ''
WHERE "qualificationEligibleSince" IS NOT NULL;
ALTER TABLE "CommunityWorker" ADD CONSTRAINT "CommunityWorker_qualification_eligibility_check" CHECK (
  ("qualificationEligibleSince" IS NULL) = ("qualificationEligibilityBasis" IS NULL)
  AND ("qualificationEligibleSince" IS NULL) = ("qualificationEligibilityEvidence" IS NULL)
);

-- 部分容错 was no ruling of the rules: a partial tolerance is a lighter or reduced treatment (从轻或减轻处理). The
-- procedure's findings, the written reply and the 报备 are kept with the ruling.
UPDATE "ErrorToleranceRuling" SET "ruling" = 'mitigated' WHERE "ruling" = 'partially-tolerated';
ALTER TABLE "ErrorToleranceRuling" ADD COLUMN "findings" JSONB;
ALTER TABLE "ErrorToleranceRuling" ADD COLUMN "repliedOn" DATE;
ALTER TABLE "ErrorToleranceRuling" ADD COLUMN "filedWith" TEXT;
ALTER TABLE "ErrorToleranceRuling" ADD COLUMN "filedOn" DATE;

-- A clearance records who verified the complaint, 失实 or 诬告, the scope, a referral and its archiving.
ALTER TABLE "NameClearance" ADD COLUMN "verifiedBy" TEXT;
ALTER TABLE "NameClearance" ADD COLUMN "finding" TEXT;
ALTER TABLE "NameClearance" ADD COLUMN "scope" TEXT;
ALTER TABLE "NameClearance" ADD COLUMN "referral" JSONB;
ALTER TABLE "NameClearance" ADD COLUMN "archivedOn" DATE;
ALTER TABLE "NameClearance" ADD COLUMN "archiveRef" TEXT;
