-- The projection converges on what the case workflow holds (README, "Replay-stable events and the fenced
-- projection"). A workflow task that wrote events and then never completed (its worker or the server died) is
-- retried, and the retry may hand over other events at the same sequence numbers. Every write now carries a
-- fence: the workflow's history length and the time its input arrived, which grow with every later task and
-- every later attempt of the same task. The newest fence wins: what an older attempt stored is moved to
-- "DiscardedCaseEvent" (kept for auditors, outside the chain); a write with an older fence changes nothing.
-- "confirmedSeq" is how far the case's events are known to be final (their workflow task completed): they are
-- never moved, and only they enter the ledger. Rows projected before this migration are taken as final.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "fenceLength" INTEGER;
ALTER TABLE "Case" ADD COLUMN "fenceAt" TIMESTAMP(3);
ALTER TABLE "Case" ADD COLUMN "confirmedSeq" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "handoverDigest" TEXT;
UPDATE "Case" SET "confirmedSeq" = "lastSeq";

-- AlterTable
ALTER TABLE "CaseEvent" ADD COLUMN "caseDigest" TEXT;

-- CreateTable
CREATE TABLE "DiscardedCaseEvent" (
    "id" BIGSERIAL NOT NULL,
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
    "caseDigest" TEXT,
    "reason" TEXT NOT NULL,
    "fenceLength" INTEGER NOT NULL,
    "fenceAt" TIMESTAMP(3) NOT NULL,
    "discardedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscardedCaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DiscardedCaseEvent_caseId_seq_idx" ON "DiscardedCaseEvent"("caseId", "seq");

-- A case whose projection gave up on a write (PostgreSQL refused its content, or stayed out of reach): the read
-- model is behind the workflow from "seq" on, until a later write of the case succeeds.
-- CreateTable
CREATE TABLE "CaseProjectionLag" (
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseProjectionLag_pkey" PRIMARY KEY ("caseId")
);

-- CaseEvent stays append-only, except that the projection may move an event of a lost attempt that is not
-- yet confirmed (see record_case_events below).
CREATE OR REPLACE FUNCTION "case_event_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('cases.discarding', true) = 'on'
     AND OLD.seq > (SELECT "confirmedSeq" FROM "Case" WHERE id = OLD."caseId") THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'CaseEvent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

-- One batch of a case's events with the read-model row after them, written under the batch's fence: one round
-- trip per batch. p_prior_seq/p_prior_hash are the workflow's head before the batch, which the stored history
-- must hold. Returns the stored head ({seq, hash}) and whether the batch was written or came from an attempt
-- that an attempt with a newer fence has already replaced ({written: false}).
CREATE FUNCTION "record_case_events"(p_case TEXT, p_events JSONB, p_row JSONB, p_assignees TEXT[], p_fence_length INTEGER,
  p_fence_at TIMESTAMP(3), p_prior_seq INTEGER, p_prior_hash TEXT) RETURNS JSONB AS $$
DECLARE
  v_row RECORD;
  v_found BOOLEAN;
  v_last_seq INTEGER := (p_events -> -1 ->> 'seq')::INTEGER;
  v_last_hash TEXT := p_events -> -1 ->> 'hash';
  v_from INTEGER;
  v_confirmed INTEGER;
BEGIN
  -- One writer per case at a time (also for its first batch, before its row exists).
  PERFORM pg_advisory_xact_lock(hashtextextended('case-events:' || p_case, 0));
  SELECT "lastSeq", "lastHash", "fenceLength", "fenceAt", "confirmedSeq" INTO v_row FROM "Case" WHERE id = p_case;
  v_found := FOUND;

  IF v_found AND v_row."fenceLength" IS NOT NULL AND ROW(v_row."fenceLength", v_row."fenceAt") > ROW(p_fence_length, p_fence_at) THEN
    -- An attempt the workflow has moved past: nothing changes; what differs is kept for auditors.
    INSERT INTO "DiscardedCaseEvent" ("caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash,
      "caseDigest", reason, "fenceLength", "fenceAt")
    SELECT e."caseId", e.seq, e.at::TIMESTAMP(3), e."actorId", e.action, e."fromStatus"::"CaseStatus", e."toStatus"::"CaseStatus", e.stage,
      e.comment, e.data, e."prevHash", e.hash, e."caseDigest", 'stale-attempt', p_fence_length, p_fence_at
    FROM jsonb_to_recordset(p_events) AS e("caseId" TEXT, seq INTEGER, at TEXT, "actorId" TEXT, action TEXT, "fromStatus" TEXT,
      "toStatus" TEXT, stage TEXT, comment TEXT, data JSONB, "prevHash" TEXT, hash TEXT, "caseDigest" TEXT)
    WHERE NOT EXISTS (SELECT 1 FROM "CaseEvent" c WHERE c."caseId" = p_case AND c.seq = e.seq AND c.hash = e.hash);
    RETURN jsonb_build_object('seq', v_row."lastSeq", 'hash', v_row."lastHash", 'written', false);
  END IF;

  IF p_prior_seq > 0 AND NOT EXISTS (SELECT 1 FROM "CaseEvent" WHERE "caseId" = p_case AND seq = p_prior_seq AND hash = p_prior_hash) THEN
    RAISE EXCEPTION 'the stored history of case % lacks the workflow''s event % (%)', p_case, p_prior_seq, p_prior_hash
      USING ERRCODE = 'CH001';
  END IF;

  -- The stored events from the first that differs from the batch, and any beyond it, came from a lost attempt.
  SELECT min(e.seq) INTO v_from
  FROM jsonb_to_recordset(p_events) AS e(seq INTEGER, hash TEXT)
  WHERE NOT EXISTS (SELECT 1 FROM "CaseEvent" c WHERE c."caseId" = p_case AND c.seq = e.seq AND c.hash = e.hash);
  v_from := coalesce(v_from, v_last_seq + 1);

  v_confirmed := CASE WHEN v_found THEN v_row."confirmedSeq" ELSE 0 END;
  IF EXISTS (SELECT 1 FROM "CaseEvent" WHERE "caseId" = p_case AND seq >= v_from AND seq <= v_confirmed) THEN
    RAISE EXCEPTION 'case %: the workflow''s event % differs from the confirmed history', p_case, v_from USING ERRCODE = 'CH002';
  END IF;
  PERFORM set_config('cases.discarding', 'on', true);
  WITH gone AS (DELETE FROM "CaseEvent" WHERE "caseId" = p_case AND seq >= v_from RETURNING *)
  INSERT INTO "DiscardedCaseEvent" ("caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash,
    "caseDigest", reason, "fenceLength", "fenceAt")
  SELECT "caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash, "caseDigest", 'lost-attempt',
    p_fence_length, p_fence_at
  FROM gone;
  PERFORM set_config('cases.discarding', 'off', true);

  -- A write of a later workflow task proves the task that wrote the head before it completed.
  IF v_found AND v_row."fenceLength" IS NOT NULL AND p_fence_length > v_row."fenceLength" THEN
    v_confirmed := greatest(v_confirmed, p_prior_seq);
  END IF;

  INSERT INTO "Case" SELECT * FROM jsonb_populate_record(NULL::"Case", p_row || jsonb_build_object('id', p_case, 'state', NULL,
    'fenceLength', p_fence_length, 'fenceAt', p_fence_at, 'confirmedSeq', v_confirmed))
  ON CONFLICT (id) DO UPDATE SET
    type = EXCLUDED.type, status = EXCLUDED.status, outcome = EXCLUDED.outcome, "subjectId" = EXCLUDED."subjectId",
    "subjectName" = EXCLUDED."subjectName", "orgUnitId" = EXCLUDED."orgUnitId", "orgPath" = EXCLUDED."orgPath",
    "applicantId" = EXCLUDED."applicantId", payload = EXCLUDED.payload, "definitionVersion" = EXCLUDED."definitionVersion",
    "ruleSetId" = EXCLUDED."ruleSetId", "ruleSetVersion" = EXCLUDED."ruleSetVersion", "currentStage" = EXCLUDED."currentStage",
    "dueAt" = EXCLUDED."dueAt", "readModel" = EXCLUDED."readModel", state = NULL, "lastSeq" = EXCLUDED."lastSeq",
    "lastHash" = EXCLUDED."lastHash", "submittedAt" = EXCLUDED."submittedAt", "decidedAt" = EXCLUDED."decidedAt",
    "updatedAt" = EXCLUDED."updatedAt", "fenceLength" = EXCLUDED."fenceLength", "fenceAt" = EXCLUDED."fenceAt",
    "confirmedSeq" = greatest("Case"."confirmedSeq", EXCLUDED."confirmedSeq"), "handoverDigest" = "Case"."handoverDigest";

  INSERT INTO "CaseEvent" ("caseId", seq, at, "actorId", action, "fromStatus", "toStatus", stage, comment, data, "prevHash", hash, "caseDigest")
  SELECT e."caseId", e.seq, e.at::TIMESTAMP(3), e."actorId", e.action, e."fromStatus"::"CaseStatus", e."toStatus"::"CaseStatus", e.stage,
    e.comment, e.data, e."prevHash", e.hash, e."caseDigest"
  FROM jsonb_to_recordset(p_events) AS e("caseId" TEXT, seq INTEGER, at TEXT, "actorId" TEXT, action TEXT, "fromStatus" TEXT, "toStatus" TEXT,
    stage TEXT, comment TEXT, data JSONB, "prevHash" TEXT, hash TEXT, "caseDigest" TEXT)
  WHERE e.seq >= v_from;

  INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
  SELECT DISTINCT p_case, e."actorId", p_row ->> 'orgPath' FROM jsonb_to_recordset(p_events) AS e("actorId" TEXT)
  WHERE e."actorId" IS NOT NULL
  ON CONFLICT DO NOTHING;
  DELETE FROM "CaseAssignee" WHERE "caseId" = p_case AND NOT ("userId" = ANY(p_assignees));
  INSERT INTO "CaseAssignee" ("caseId", "userId") SELECT p_case, u FROM unnest(p_assignees) AS u ON CONFLICT DO NOTHING;
  DELETE FROM "CaseProjectionLag" WHERE "caseId" = p_case;

  RETURN jsonb_build_object('seq', v_last_seq, 'hash', v_last_hash, 'written', true);
END;
$$ LANGUAGE plpgsql;
