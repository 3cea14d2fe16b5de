-- Every reveal of a full national ID number: who, when, which record and why (GB/T 35273 minimisation).

-- CreateTable
CREATE TABLE "NationalIdReveal" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NationalIdReveal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NationalIdReveal_at_id_idx" ON "NationalIdReveal"("at", "id");

-- CreateIndex
CREATE INDEX "NationalIdReveal_workerId_at_idx" ON "NationalIdReveal"("workerId", "at");

-- AddForeignKey
ALTER TABLE "NationalIdReveal" ADD CONSTRAINT "NationalIdReveal_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "CommunityWorker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
