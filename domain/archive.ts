import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson, verifyCaseChain, type ChainedEvent, type Json } from './history';
import { checkpointMessage, ledgerEntryHash, type LedgerCheckpoint, type LedgerEntry, type SignatureCheck } from './ledger';

/**
 * An archive bundle (docs/ledger.md, "Archival"): everything a closed case held in the service's database, as one
 * self-verifying file, so the hot rows can be removed and an auditor can still check the case offline: its events
 * re-hash into the chain the case row named, its attachments' bytes into their recorded SHA-256, its ledger entries
 * into the ledger (whose chain stays whole in the database), and the latest signed checkpoint at archival.
 *
 * The file is a tar archive, written and read as a stream (infra/archive-bundle.ts), so memory does not grow with a
 * case's files: first `bundle.json`, the manifest below (canonical JSON: the same case always gives the same bytes),
 * then each document's PDF and each attachment's bytes as an entry of its own, named in the manifest. The reader
 * measures each entry's size and SHA-256 as it passes and hands them to verifyBundle with the manifest.
 */

export const ARCHIVE_BUNDLE_FORMAT = 'community-worker-cases/archive-bundle/v2';

/** The manifest's entry name, first in the archive. */
export const BUNDLE_MANIFEST = 'bundle.json';

export interface ArchivedAttachment {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  kind: string | null;
  stage: string | null;
  uploaderId: string;
  state: string;
  createdAt: string;
  removedAt: string | null;
  /** The entry holding the bytes (attachmentEntry); null for a file whose bytes were not stored (removed before archival, or never uploaded). */
  file: string | null;
}

export interface ArchivedDocument {
  kind: string;
  title: string;
  /** The 文号's issuer, year and number when the document is numbered. */
  number: { issuer: string; year: number; number: number } | null;
  /** The entry holding the PDF as rendered at archival (documentEntry). */
  file: string;
  size: number;
  sha256: string;
}

export interface ArchiveBundle {
  format: typeof ARCHIVE_BUNDLE_FORMAT;
  archivedAt: string;
  /** The case row as the read model held it (dates as ISO strings). */
  case: { id: string; lastSeq: number; lastHash: string; status: string; [key: string]: Json };
  events: ChainedEvent[];
  attachments: ArchivedAttachment[];
  documents: ArchivedDocument[];
  /** The case's entries of the event ledger, one per event, ledgerSeq order. */
  ledgerEntries: LedgerEntry[];
  /** The newest signed checkpoint when the bundle was made (null before the first one). */
  checkpoint: LedgerCheckpoint | null;
  /** Other rows about the case that leave the database with it: notifications, public-notice objections, ... */
  related: Record<string, Json[]>;
}

/** Entry names: ids and kinds are the service's own (no "/" or ".."), so each names one entry. */
export const attachmentEntry = (id: string) => `attachments/${id}`;
export const documentEntry = (kind: string) => `documents/${kind}.pdf`;

/**
 * Format v1, written until format v2 replaced it: one canonical-JSON document `<caseId>.json` holding each
 * attachment's bytes and each document's PDF in base64. Archives are permanent records, so v1 bundles are still
 * read (infra/archive-bundle.ts, through fromV1), never written.
 */
export const ARCHIVE_BUNDLE_FORMAT_V1 = 'community-worker-cases/archive-bundle/v1';

export interface ArchiveBundleV1 extends Omit<ArchiveBundle, 'format' | 'attachments' | 'documents'> {
  format: typeof ARCHIVE_BUNDLE_FORMAT_V1;
  /** The bytes, base64; null for a file whose bytes were not stored. */
  attachments: (Omit<ArchivedAttachment, 'file'> & { bytes: string | null })[];
  /** The PDF as rendered at archival, base64. */
  documents: (Omit<ArchivedDocument, 'file' | 'size'> & { pdf: string })[];
}

/** Base64 to bytes with the web platform's atob (the domain imports nothing from Node); null when it is not base64. */
function fromBase64(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A v1 document as the v2 manifest and its entries' bytes, under the names v2 gives them (documents first, as v2
 * writes them), so a v1 bundle is verified, served and restored the way a v2 one is: each file's bytes are measured
 * against the size and SHA-256 the document recorded for them, as a v2 entry's are. A document's size is its PDF's
 * (v1 recorded only its SHA-256). A string naming the problem when it is not a v1 document.
 */
export function fromV1(doc: unknown): { manifest: ArchiveBundle; files: { name: string; bytes: Uint8Array }[] } | string {
  const v1 = doc as Partial<ArchiveBundleV1> | null;
  if (typeof v1 !== 'object' || v1 === null || v1.format !== ARCHIVE_BUNDLE_FORMAT_V1)
    return `a JSON document, not a ${ARCHIVE_BUNDLE_FORMAT_V1} bundle`;
  if (!Array.isArray(v1.attachments) || !Array.isArray(v1.documents) || !Array.isArray(v1.events) || !Array.isArray(v1.ledgerEntries))
    return `a ${ARCHIVE_BUNDLE_FORMAT_V1} bundle without its attachments, documents, events or ledger entries`;
  const files: { name: string; bytes: Uint8Array }[] = [];
  const documents: ArchivedDocument[] = [];
  for (const { pdf, ...d } of v1.documents) {
    const bytes = typeof pdf === 'string' ? fromBase64(pdf) : null;
    if (!bytes) return `the v1 document ${JSON.stringify(d.kind)}'s PDF is not base64`;
    documents.push({ ...d, file: documentEntry(d.kind), size: bytes.length });
    files.push({ name: documentEntry(d.kind), bytes });
  }
  const attachments: ArchivedAttachment[] = [];
  for (const { bytes: base64, ...a } of v1.attachments) {
    const bytes = typeof base64 === 'string' ? fromBase64(base64) : null;
    if (base64 !== null && !bytes) return `the v1 attachment ${JSON.stringify(a.id)}'s bytes are not base64`;
    attachments.push({ ...a, file: bytes ? attachmentEntry(a.id) : null });
    if (bytes) files.push({ name: attachmentEntry(a.id), bytes });
  }
  return { manifest: { ...(v1 as ArchiveBundleV1), format: ARCHIVE_BUNDLE_FORMAT, attachments, documents }, files };
}

/** The manifest's bytes: canonical JSON, so the same bundle always has the same SHA-256. */
export function manifestBytes(bundle: ArchiveBundle): Uint8Array {
  return utf8ToBytes(canonicalJson(bundle));
}

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** What the reader measured of each entry after the manifest, by name. */
export type BundleEntries = ReadonlyMap<string, { size: number; sha256: string }>;

export type BundleProblem =
  | { problem: 'format'; detail: string }
  | { problem: 'chain'; seq: number; reason: string }
  | { problem: 'attachment'; id: string; reason: 'bytes-missing' | 'sha256-mismatch' | 'size-mismatch' }
  | { problem: 'document'; kind: string; reason: 'missing' | 'sha256-mismatch' | 'size-mismatch' }
  | { problem: 'entry'; name: string; reason: 'not-in-manifest' }
  | { problem: 'ledger'; seq: number; reason: 'entry-missing' | 'entry-hash-mismatch' | 'event-hash-mismatch' | 'other-case' }
  | { problem: 'checkpoint'; reason: 'bad-signature' };

/**
 * Checks a bundle by itself: its manifest, and the entries the reader measured (an empty list: it holds). The
 * checkpoint's signature is checked when `checkSignature` is given (the auditor's public keys); whether the ledger
 * entries are those of the ledger itself is checked against a ledger export (entriesNotInLedger).
 */
export function verifyBundle(bundle: ArchiveBundle, entries: BundleEntries, checkSignature?: SignatureCheck): BundleProblem[] {
  // A file that is not a bundle at all (read from disk by `npm run archive -- verify`) is named as such.
  if ((bundle as { format?: unknown } | null)?.format !== ARCHIVE_BUNDLE_FORMAT)
    return [{ problem: 'format', detail: 'not a ' + ARCHIVE_BUNDLE_FORMAT + ' manifest' }];
  const problems: BundleProblem[] = [];
  const { id, lastSeq, lastHash } = bundle.case;
  const chain = verifyCaseChain(id, bundle.events, { lastSeq, lastHash });
  if (!chain.ok && chain.firstBroken) problems.push({ problem: 'chain', seq: chain.firstBroken.seq, reason: chain.firstBroken.reason });
  const listed = new Set<string>();
  for (const a of bundle.attachments) {
    const entry = a.file === null ? undefined : entries.get(a.file);
    if (a.file !== null) listed.add(a.file);
    if (a.file === null || !entry || a.file !== attachmentEntry(a.id)) {
      if (a.state === 'stored' || a.file !== null) problems.push({ problem: 'attachment', id: a.id, reason: 'bytes-missing' });
    } else if (entry.size !== a.size) problems.push({ problem: 'attachment', id: a.id, reason: 'size-mismatch' });
    else if (entry.sha256 !== a.sha256) problems.push({ problem: 'attachment', id: a.id, reason: 'sha256-mismatch' });
  }
  for (const d of bundle.documents) {
    listed.add(d.file);
    const entry = entries.get(d.file);
    if (!entry || d.file !== documentEntry(d.kind)) problems.push({ problem: 'document', kind: d.kind, reason: 'missing' });
    else if (entry.size !== d.size) problems.push({ problem: 'document', kind: d.kind, reason: 'size-mismatch' });
    else if (entry.sha256 !== d.sha256) problems.push({ problem: 'document', kind: d.kind, reason: 'sha256-mismatch' });
  }
  for (const name of entries.keys()) if (!listed.has(name)) problems.push({ problem: 'entry', name, reason: 'not-in-manifest' });
  const bySeq = new Map(bundle.ledgerEntries.map((e) => [e.seq, e]));
  for (const event of bundle.events) {
    const entry = bySeq.get(event.seq);
    if (!entry) problems.push({ problem: 'ledger', seq: event.seq, reason: 'entry-missing' });
    else if (entry.caseId !== id) problems.push({ problem: 'ledger', seq: event.seq, reason: 'other-case' });
    else if (ledgerEntryHash(entry) !== entry.hash) problems.push({ problem: 'ledger', seq: event.seq, reason: 'entry-hash-mismatch' });
    else if (entry.eventHash !== event.hash) problems.push({ problem: 'ledger', seq: event.seq, reason: 'event-hash-mismatch' });
  }
  const c = bundle.checkpoint;
  if (c && checkSignature && !checkSignature(checkpointMessage(c), c.signature, c.keyId)) {
    problems.push({ problem: 'checkpoint', reason: 'bad-signature' });
  }
  return problems;
}

/**
 * The bundle's ledger entries that a ledger export does not hold as they are (by ledgerSeq and hash): an empty list
 * when the archived case is part of the ledger the auditor verified (npm run ledger:verify).
 */
export function entriesNotInLedger(bundle: Pick<ArchiveBundle, 'ledgerEntries'>, ledger: LedgerEntry[]): number[] {
  const hashes = new Map(ledger.map((e) => [e.ledgerSeq, e.hash]));
  return bundle.ledgerEntries.filter((e) => hashes.get(e.ledgerSeq) !== e.hash).map((e) => e.ledgerSeq);
}
