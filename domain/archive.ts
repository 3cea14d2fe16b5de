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
