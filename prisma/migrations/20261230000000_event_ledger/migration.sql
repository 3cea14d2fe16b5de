-- The event ledger (docs/ledger.md): every confirmed case event, across all cases, in one append-only hash chain,
-- the way a Certificate Transparency log orders its entries. An entry names the event (case, seq, the event's
-- own hash) and carries the hash of the entry before it, so editing, deleting or reordering any entry changes
-- every later entry hash and the signed checkpoints (LedgerCheckpoint) stop matching.
--
-- Who writes it: the database itself, in the transaction that moves "Case"."confirmedSeq" (the projection's
-- confirmation, store/projection.ts, or a later fenced write that proves a task completed). Confirmed events
-- are never moved (case_event_append_only), confirmedSeq only grows, and (caseId, seq) is unique here, so each
-- event enters exactly once however often the projection or the confirmation is retried, and never one that a
-- lost attempt of a workflow task wrote.

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "ledgerSeq" BIGINT NOT NULL,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "eventHash" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "appendedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("ledgerSeq")
);

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_caseId_seq_key" ON "LedgerEntry"("caseId", "seq");

-- A signed tree head: the ledger's first "size" entries end in "headHash", signed at "at" with the Ed25519 key
-- "keyId" (its public key's SHA-256). Also appended to a file outside the database (services/ledger.ts).
-- CreateTable
CREATE TABLE "LedgerCheckpoint" (
    "size" BIGINT NOT NULL,
    "headHash" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "LedgerCheckpoint_pkey" PRIMARY KEY ("size")
);

-- The entry hash, as domain/ledger.ts computes it: SHA-256 over the fields joined by newlines.
CREATE FUNCTION "ledger_entry_hash"(p_ledger_seq BIGINT, p_case TEXT, p_seq INTEGER, p_event_hash TEXT, p_prev_hash TEXT) RETURNS TEXT AS $$
  SELECT encode(sha256(convert_to(p_ledger_seq::TEXT || E'\n' || p_case || E'\n' || p_seq::TEXT || E'\n' || p_event_hash || E'\n' || p_prev_hash,
    'UTF8')), 'hex');
$$ LANGUAGE sql IMMUTABLE STRICT;

-- Appends the case's events from p_from (exclusive) to p_to (inclusive) that are not in the ledger yet, under
-- one global lock so that the ledger stays one chain with no gaps.
CREATE FUNCTION "ledger_append"(p_case TEXT, p_from INTEGER, p_to INTEGER) RETURNS VOID AS $$
DECLARE
  v_next BIGINT;
  v_prev TEXT;
  v_hash TEXT;
  e RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('event-ledger', 0));
  SELECT "ledgerSeq", hash INTO v_next, v_prev FROM "LedgerEntry" ORDER BY "ledgerSeq" DESC LIMIT 1;
  v_next := coalesce(v_next, 0);
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR e IN
    SELECT c.seq, c.hash FROM "CaseEvent" c
    WHERE c."caseId" = p_case AND c.seq > p_from AND c.seq <= p_to
      AND NOT EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."caseId" = p_case AND l.seq = c.seq)
    ORDER BY c.seq
  LOOP
    v_next := v_next + 1;
    v_hash := ledger_entry_hash(v_next, p_case, e.seq, e.hash, v_prev);
    INSERT INTO "LedgerEntry" ("ledgerSeq", "caseId", seq, "eventHash", "prevHash", hash) VALUES (v_next, p_case, e.seq, e.hash, v_prev, v_hash);
    v_prev := v_hash;
  END LOOP;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION "ledger_append_confirmed"() RETURNS trigger AS $$
DECLARE
  v_from INTEGER := CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE OLD."confirmedSeq" END;
BEGIN
  IF NEW."confirmedSeq" > v_from THEN
    PERFORM ledger_append(NEW.id, v_from, NEW."confirmedSeq");
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "case_confirmed_to_ledger" AFTER INSERT OR UPDATE OF "confirmedSeq" ON "Case"
  FOR EACH ROW EXECUTE FUNCTION "ledger_append_confirmed"();

-- Neither the ledger nor its checkpoints change once written. A superuser can still disable these triggers:
-- that is what the signed checkpoints and the offline verifier are for.
CREATE FUNCTION "ledger_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "LedgerEntry" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "ledger_entry_no_truncate" BEFORE TRUNCATE ON "LedgerEntry" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "ledger_checkpoint_append_only" BEFORE UPDATE OR DELETE ON "LedgerCheckpoint" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();
CREATE TRIGGER "ledger_checkpoint_no_truncate" BEFORE TRUNCATE ON "LedgerCheckpoint" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();

-- No role but the tables' owner may change or empty them (a deployment that runs the service under its own
-- role keeps INSERT and SELECT only; see docs/ledger.md).
REVOKE UPDATE, DELETE, TRUNCATE ON "LedgerEntry", "LedgerCheckpoint" FROM PUBLIC;

-- Events confirmed before this migration enter the ledger in the order they happened.
DO $$
DECLARE
  c RECORD;
BEGIN
  FOR c IN
    SELECT "caseId", max(at) AS last FROM "CaseEvent" e
    WHERE seq <= (SELECT "confirmedSeq" FROM "Case" WHERE id = e."caseId")
    GROUP BY "caseId" ORDER BY last, "caseId"
  LOOP
    PERFORM ledger_append(c."caseId", 0, (SELECT "confirmedSeq" FROM "Case" WHERE id = c."caseId"));
  END LOOP;
END;
$$;
