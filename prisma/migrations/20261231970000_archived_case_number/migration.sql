-- An archived case keeps its short case number (晋升-2026-0012): "ArchivedCase" records the number's year and
-- sequence from the case's row when archive_case_rows removes it, so the 410 an archived case answers and its
-- archived record still name it. The bundle holds the whole "Case" row, number included, and a restore puts it
-- back as it was (the numbering trigger leaves a row written with a number alone); the type's counter is never
-- lowered, so the number is not given to another case. Cases archived before this migration keep null: their
-- number is in their bundle, and "ArchivedCase" is append-only.

-- AlterTable
ALTER TABLE "ArchivedCase" ADD COLUMN "numberYear" INTEGER,
ADD COLUMN "numberSeq" INTEGER;

-- The function of migration 20261231800000_case_archive, recording the number as well.
CREATE OR REPLACE FUNCTION "archive_case_rows"(p_case TEXT, p_archive JSONB) RETURNS VOID AS $$
DECLARE
  c "Case"%ROWTYPE;
BEGIN
  SELECT * INTO c FROM "Case" WHERE id = p_case FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'archive: case % does not exist', p_case;
  END IF;
  IF c.status NOT IN ('completed', 'rejected', 'withdrawn') THEN
    RAISE EXCEPTION 'archive: case % is %, not closed', p_case, c.status;
  END IF;
  IF c."lastSeq" <> (p_archive->>'lastSeq')::INTEGER OR c."lastHash" <> p_archive->>'lastHash' THEN
    RAISE EXCEPTION 'archive: case % moved on since its bundle was made', p_case;
  END IF;
  IF c."confirmedSeq" <> c."lastSeq" THEN
    RAISE EXCEPTION 'archive: case % has unconfirmed events', p_case;
  END IF;
  IF (SELECT count(*) FROM "LedgerEntry" l JOIN "CaseEvent" e ON e."caseId" = l."caseId" AND e.seq = l.seq AND e.hash = l."eventHash"
      WHERE l."caseId" = p_case) <> c."lastSeq" THEN
    RAISE EXCEPTION 'archive: the ledger does not hold every event of case %', p_case;
  END IF;
  IF EXISTS (SELECT 1 FROM "CaseProjectionLag" WHERE "caseId" = p_case) THEN
    RAISE EXCEPTION 'archive: the projection of case % is behind', p_case;
  END IF;
  IF EXISTS (SELECT 1 FROM "Case" a WHERE a.type = 'appeal' AND a.payload->>'appealOf' = p_case
             AND a.status NOT IN ('completed', 'rejected', 'withdrawn')) THEN
    RAISE EXCEPTION 'archive: case % has an open appeal', p_case;
  END IF;
  IF EXISTS (SELECT 1 FROM "NotificationDelivery" WHERE "caseId" = p_case AND status = 'pending') THEN
    RAISE EXCEPTION 'archive: case % has notifications still being delivered', p_case;
  END IF;

  INSERT INTO "ArchivedCase" ("id", "type", "status", "outcome", "subjectId", "subjectName", "orgUnitId", "orgPath",
    "applicantId", "viewers", "submittedAt", "decidedAt", "lastSeq", "lastHash", "bundleLocation", "bundleSha256",
    "bundleSize", "checkpointSize", "archivedBy", "numberYear", "numberSeq")
  SELECT c.id, c.type, c.status::TEXT, c.outcome, c."subjectId", c."subjectName", c."orgUnitId", c."orgPath",
    c."applicantId",
    ARRAY(SELECT "userId" FROM "CaseParticipant" WHERE "caseId" = p_case UNION SELECT "userId" FROM "CaseAssignee" WHERE "caseId" = p_case ORDER BY 1),
    c."submittedAt", c."decidedAt", c."lastSeq", c."lastHash", p_archive->>'bundleLocation', p_archive->>'bundleSha256',
    (p_archive->>'bundleSize')::INTEGER, (p_archive->>'checkpointSize')::BIGINT, p_archive->>'archivedBy',
    c."numberYear", c."numberSeq";

  PERFORM set_config('cases.archiving', p_case, true);
  DELETE FROM "CaseEvent" WHERE "caseId" = p_case; -- its notifications and deliveries go with it (ON DELETE CASCADE)
  DELETE FROM "Case" WHERE id = p_case; -- assignees and participants cascade
  DELETE FROM "Attachment" WHERE "caseId" = p_case; -- bytes kept in PostgreSQL cascade
  DELETE FROM "DiscardedCaseEvent" WHERE "caseId" = p_case;
  DELETE FROM "PublicObjection" WHERE "caseId" = p_case;
  DELETE FROM "PublicNotice" WHERE "caseId" = p_case;
  PERFORM set_config('cases.archiving', '', true);
END;
$$ LANGUAGE plpgsql;
