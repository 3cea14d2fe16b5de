-- 委托: whoever acted on someone's behalf (an event's data.delegate) took part in the case, as its actor did, so the
-- case is in their 已办 too. The projection writes them from now on (record_case_events below, as written by
-- 20261210000000_fenced_projection with only its participants changed; store/projection.ts for unfenced cases);
-- the INSERT adds them for events recorded before.
INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
SELECT DISTINCT e."caseId", e.data -> 'delegate' ->> 'userId', c."orgPath"
FROM "CaseEvent" e
JOIN "Case" c ON c.id = e."caseId"
WHERE e.data -> 'delegate' ->> 'userId' IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION "record_case_events"(p_case TEXT, p_events JSONB, p_row JSONB, p_assignees TEXT[], p_fence_length INTEGER,
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

  -- Whoever recorded an event, and whoever acted on their behalf (委托, data.delegate): both took part.
  INSERT INTO "CaseParticipant" ("caseId", "userId", "orgPath")
  SELECT DISTINCT p_case, p."userId", p_row ->> 'orgPath' FROM jsonb_to_recordset(p_events) AS e("actorId" TEXT, data JSONB)
  CROSS JOIN LATERAL (VALUES (e."actorId"), (e.data -> 'delegate' ->> 'userId')) AS p("userId")
  WHERE p."userId" IS NOT NULL
  ON CONFLICT DO NOTHING;
  DELETE FROM "CaseAssignee" WHERE "caseId" = p_case AND NOT ("userId" = ANY(p_assignees));
  INSERT INTO "CaseAssignee" ("caseId", "userId") SELECT p_case, u FROM unnest(p_assignees) AS u ON CONFLICT DO NOTHING;
  DELETE FROM "CaseProjectionLag" WHERE "caseId" = p_case;

  RETURN jsonb_build_object('seq', v_last_seq, 'hash', v_last_hash, 'written', true);
END;
$$ LANGUAGE plpgsql;
