-- The read model gets a shape of its own (domain/process/read-model.ts, versioned), which the projection writes
-- with every event instead of the engine's whole state. Rows projected before this migration keep that state
-- in "state" and get a read model with their case's next event; until then the API reads them through the
-- legacy adapter (domain/process/legacy-state.ts). The read model needs the engine's permission rules (who may
-- do what now), which SQL cannot restate, so there is no backfill here. New rows leave "state" empty.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "readModel" JSONB;
ALTER TABLE "Case" ALTER COLUMN "state" DROP NOT NULL;
