-- Archival of closed cases (docs/ledger.md, "Archival"): a closed case old enough is written to the archive as a
-- self-verifying bundle; once the bundle was read back and verified, its rows leave the database through one
-- function, archive_case_rows, which first records the archival in "ArchivedCase" (append-only). The ledger keeps
-- every entry of the case: it stays whole, so ledger:verify still passes and the bundle can be checked against it.

-- CreateTable
CREATE TABLE "ArchivedCase" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "subjectId" TEXT NOT NULL,
    "subjectName" TEXT NOT NULL,
    "orgUnitId" TEXT NOT NULL,
    "orgPath" TEXT NOT NULL,
    "applicantId" TEXT NOT NULL,
    "viewers" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "lastSeq" INTEGER NOT NULL,
    "lastHash" TEXT NOT NULL,
    "bundleLocation" TEXT NOT NULL,
    "bundleSha256" TEXT NOT NULL,
    "bundleSize" INTEGER NOT NULL,
    "checkpointSize" BIGINT,
    "archivedBy" TEXT NOT NULL,
    "archivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArchivedCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArchivedCase_orgPath_idx" ON "ArchivedCase"("orgPath" text_pattern_ops);

-- CreateIndex
CREATE INDEX "ArchivedCase_archivedAt_idx" ON "ArchivedCase"("archivedAt");

-- The record of what was archived is kept like the ledger: never changed, never removed.
CREATE TRIGGER "archived_case_append_only" BEFORE UPDATE OR DELETE ON "ArchivedCase" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "archived_case_no_truncate" BEFORE TRUNCATE ON "ArchivedCase" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();
REVOKE UPDATE, DELETE, TRUNCATE ON "ArchivedCase" FROM PUBLIC;

-- CaseEvent stays append-only. Two narrow exceptions: the projection may move an unconfirmed event of a lost attempt
-- (fenced_projection), and archive_case_rows may remove the events of the one case it is archiving, which
-- "ArchivedCase" already records (in the same transaction) with the bundle that holds them.
CREATE OR REPLACE FUNCTION "case_event_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('cases.discarding', true) = 'on'
     AND OLD.seq > (SELECT "confirmedSeq" FROM "Case" WHERE id = OLD."caseId") THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'DELETE' AND current_setting('cases.archiving', true) = OLD."caseId"
     AND EXISTS (SELECT 1 FROM "ArchivedCase" a WHERE a.id = OLD."caseId" AND a."lastSeq" >= OLD.seq) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'CaseEvent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

-- Removes a closed case's rows after its bundle was written and verified (services/archive.ts): the one database
-- path that deletes a case. p_archive holds the "ArchivedCase" fields; lastSeq and lastHash must still be the
-- case's head (nothing was added after the bundle was made), every event confirmed and in the ledger, no appeal
-- of it open, no delivery of its notifications pending and its projection not behind. Raises (and removes
-- nothing) otherwise. Logged by the caller; recorded in "ArchivedCase".
CREATE FUNCTION "archive_case_rows"(p_case TEXT, p_archive JSONB) RETURNS VOID AS $$
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
    "bundleSize", "checkpointSize", "archivedBy")
  SELECT c.id, c.type, c.status::TEXT, c.outcome, c."subjectId", c."subjectName", c."orgUnitId", c."orgPath",
    c."applicantId",
    ARRAY(SELECT "userId" FROM "CaseParticipant" WHERE "caseId" = p_case UNION SELECT "userId" FROM "CaseAssignee" WHERE "caseId" = p_case ORDER BY 1),
    c."submittedAt", c."decidedAt", c."lastSeq", c."lastHash", p_archive->>'bundleLocation', p_archive->>'bundleSha256',
    (p_archive->>'bundleSize')::INTEGER, (p_archive->>'checkpointSize')::BIGINT, p_archive->>'archivedBy';

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
