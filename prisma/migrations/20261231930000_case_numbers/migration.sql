-- Short case numbers (晋升-2026-0012): per case type and year of submission (China time), assigned once, when the
-- case's row is first written, gapless. The row is written by the projection of the case's first events,
-- whoever started the case (the API, a promotion round, the records check), so the number is assigned there, by
-- a trigger, in the same transaction: a rolled-back write takes its number back with it. The prefix of the
-- number is the type's short name (domain/case-numbers.ts); the database keeps type, year and sequence.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "numberYear" INTEGER,
ADD COLUMN "numberSeq" INTEGER;

-- CreateTable
CREATE TABLE "CaseNumberCounter" (
    "type" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lastNumber" INTEGER NOT NULL,

    CONSTRAINT "CaseNumberCounter_pkey" PRIMARY KEY ("type","year")
);

-- Existing cases in the order they were submitted (the id orders those submitted in the same millisecond).
WITH numbered AS (
  SELECT id, EXTRACT(YEAR FROM "submittedAt" + interval '8 hours')::int AS year,
    ROW_NUMBER() OVER (PARTITION BY type, EXTRACT(YEAR FROM "submittedAt" + interval '8 hours') ORDER BY "submittedAt", id)::int AS seq
  FROM "Case"
)
UPDATE "Case" c SET "numberYear" = n.year, "numberSeq" = n.seq FROM numbered n WHERE c.id = n.id;

INSERT INTO "CaseNumberCounter" (type, year, "lastNumber")
SELECT type, "numberYear", MAX("numberSeq") FROM "Case" GROUP BY type, "numberYear";

-- CreateIndex
CREATE UNIQUE INDEX "Case_type_numberYear_numberSeq_key" ON "Case"("type", "numberYear", "numberSeq");

-- The counter row of the type and year is locked by the upsert that advances it, so concurrent first writes of
-- two cases take numbers one after the other. Only on insert: a later write of the row (ON CONFLICT DO UPDATE)
-- leaves the number alone. A row written with a number (a restore) keeps it.
CREATE FUNCTION assign_case_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  y int := EXTRACT(YEAR FROM NEW."submittedAt" + interval '8 hours')::int;
  n int;
BEGIN
  IF NEW."numberSeq" IS NOT NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO "CaseNumberCounter" (type, year, "lastNumber") VALUES (NEW.type, y, 1)
  ON CONFLICT (type, year) DO UPDATE SET "lastNumber" = "CaseNumberCounter"."lastNumber" + 1
  RETURNING "lastNumber" INTO n;
  UPDATE "Case" SET "numberYear" = y, "numberSeq" = n WHERE id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Case_assign_number" AFTER INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION assign_case_number();
