-- 常用语: each person's saved opinion phrases, in their order. No row: the person never changed them and sees
-- the defaults (domain/phrases.ts); the first change writes the defaults with it.

-- CreateTable
CREATE TABLE "OpinionPhrases" (
    "userId" TEXT NOT NULL,
    "phrases" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OpinionPhrases_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "OpinionPhrases" ADD CONSTRAINT "OpinionPhrases_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
