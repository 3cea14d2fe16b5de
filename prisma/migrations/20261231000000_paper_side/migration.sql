-- The paper side (issue #16): attachments with their bytes in PostgreSQL (or an S3-compatible store), document
-- numbers (文号) gapless per issuing body and year, public notices' opaque ids and residents' objections.

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL,
    "caseId" TEXT,
    "uploaderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "kind" TEXT,
    "stage" TEXT,
    "storage" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttachmentContent" (
    "attachmentId" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "AttachmentContent_pkey" PRIMARY KEY ("attachmentId")
);

-- CreateTable
CREATE TABLE "DocumentNumberCounter" (
    "issuer" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lastNumber" INTEGER NOT NULL,

    CONSTRAINT "DocumentNumberCounter_pkey" PRIMARY KEY ("issuer","year")
);

-- CreateTable
CREATE TABLE "CaseDocumentNumber" (
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseDocumentNumber_pkey" PRIMARY KEY ("caseId","kind")
);

-- CreateTable
CREATE TABLE "PublicNotice" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PublicNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublicObjection" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "telephone" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedAt" TIMESTAMP(3),
    "objectionId" TEXT,

    CONSTRAINT "PublicObjection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Attachment_caseId_idx" ON "Attachment"("caseId");

-- CreateIndex
CREATE INDEX "Attachment_uploaderId_state_idx" ON "Attachment"("uploaderId", "state");

-- CreateIndex
CREATE INDEX "Attachment_state_createdAt_idx" ON "Attachment"("state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CaseDocumentNumber_issuer_year_number_key" ON "CaseDocumentNumber"("issuer", "year", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PublicNotice_caseId_startedAt_key" ON "PublicNotice"("caseId", "startedAt");

-- CreateIndex
CREATE INDEX "PublicObjection_caseId_idx" ON "PublicObjection"("caseId");

-- AddForeignKey
ALTER TABLE "AttachmentContent" ADD CONSTRAINT "AttachmentContent_attachmentId_fkey" FOREIGN KEY ("attachmentId") REFERENCES "Attachment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
