-- Indexes the benchmark's searches over 100,000 cases asked for (bench/, README "Benchmarks").

-- CreateIndex
CREATE INDEX "Case_currentStage_idx" ON "Case"("currentStage");

-- CreateIndex
-- Case-id prefix search (q): LIKE 'prefix%' needs pattern ops under a non-C collation.
CREATE INDEX "Case_id_idx" ON "Case"("id" text_pattern_ops);

-- CreateIndex
-- The characters of the subject's name, for one- and two-character name searches, from which pg_trgm gets no
-- trigram (api/case-queries.ts). An expression index: schema.prisma cannot declare it (see the note there).
CREATE INDEX "Case_subjectName_chars_idx" ON "Case" USING GIN (string_to_array("subjectName", NULL));
