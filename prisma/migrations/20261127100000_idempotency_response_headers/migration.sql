-- A replayed response carries the headers of the first one (the Location of a submitted case).

-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN "headers" JSONB NOT NULL DEFAULT '{}';
