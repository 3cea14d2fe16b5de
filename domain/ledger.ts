import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { GENESIS_HASH } from './history';

/**
 * The event ledger (docs/ledger.md): every confirmed case event, across all cases, in one hash chain, with
 * checkpoints signed by a key the database never holds, as Certificate Transparency logs publish signed tree
 * heads. This module is what an auditor's verifier runs offline; the database computes the same entry hash
 * (migration 20261230000000_event_ledger, ledger_entry_hash) when it appends.
 */

export interface LedgerEntry {
  /** 1, 2, 3, … with no gaps. */
  ledgerSeq: number;
  caseId: string;
  /** The event's sequence number within its case. */
  seq: number;
  /** The event's own chain hash (domain/history.ts). */
  eventHash: string;
  prevHash: string;
  hash: string;
}

/** A signed statement that the ledger's first `size` entries end in `headHash`. */
export interface LedgerCheckpoint {
  size: number;
  headHash: string;
  /** ISO 8601, when it was signed. */
  at: string;
  /** SHA-256 (hex) of the signing key's public key (SPKI DER). */
  keyId: string;
  /** Ed25519 signature of checkpointMessage(), base64. */
  signature: string;
}

/**
 * One page of the export (GET /api/v1/ledger/export?after=&limit=): the entries after `afterSeq`, in order, with
 * what a reader needs to check the page on its own terms: the hash the chain had before it (`prevHash`, the hash of
 * entry `afterSeq`), the signed checkpoints whose size falls inside it (on the last page, every checkpoint beyond
 * it too, so entries cut from the end still show), and `coveredBy`, the earliest checkpoint that covers its last
 * entry (null while none is signed yet). The cursor of the next page is `nextAfter` (null on the last page).
 */
export interface LedgerPage {
  format: typeof LEDGER_PAGE_FORMAT;
  exportedAt: string;
  afterSeq: number;
  prevHash: string;
  entries: LedgerEntry[];
  checkpoints: LedgerCheckpoint[];
  coveredBy: LedgerCheckpoint | null;
  nextAfter: number | null;
}

export const LEDGER_PAGE_FORMAT = 'community-worker-cases/ledger-page/v1';
/** Entries per page when the caller asks for none, and the most a page holds. */
export const LEDGER_PAGE_DEFAULT = 5000;
export const LEDGER_PAGE_MAX = 20_000;

export function ledgerEntryHash(e: Pick<LedgerEntry, 'ledgerSeq' | 'caseId' | 'seq' | 'eventHash' | 'prevHash'>): string {
  return bytesToHex(sha256(utf8ToBytes(`${e.ledgerSeq}\n${e.caseId}\n${e.seq}\n${e.eventHash}\n${e.prevHash}`)));
}

/** The bytes a checkpoint's signature covers: a fixed label (so no other signed text can pass for one) and its fields. */
export function checkpointMessage(c: Pick<LedgerCheckpoint, 'size' | 'headHash' | 'at'>): Uint8Array {
  return utf8ToBytes(`community-worker-cases ledger checkpoint v1\n${c.size}\n${c.headHash}\n${c.at}`);
}

/** Checks an Ed25519 signature over a message (the caller holds the public key; node:crypto in the verifier). */
export type SignatureCheck = (message: Uint8Array, signatureBase64: string, keyId: string) => boolean;

/**
 * What is wrong where the chain first breaks. `page-gap`: a page starts after a later entry than the pages before
 * it end with (a page is missing, or the pages are out of order); `page-overlap`: it starts before (a page repeated
 * or out of order); `pages-end-early`: the last page read says more follow.
 */
export type EntryProblem =
  'missing-entry' | 'prev-hash-mismatch' | 'hash-mismatch' | 'duplicate-event' | 'page-gap' | 'page-overlap' | 'pages-end-early';
/** `outside-page`: a page lists a checkpoint whose size does not fall in it (or a `coveredBy` that does not cover it). */
export type CheckpointProblem = 'bad-signature' | 'beyond-ledger' | 'head-mismatch' | 'outside-page';

export interface LedgerVerification {
  ok: boolean;
  /** Pages read. */
  pages: number;
  /** How many entries chain correctly from the start (the first bad entry, if any, is the next one). */
  verifiedEntries: number;
  /** The first entry that breaks the chain: its expected ledgerSeq, what is wrong, and the page it was read from. */
  firstBadEntry: { ledgerSeq: number; problem: EntryProblem; page: string } | null;
  /** Every checkpoint that failed, and why, by size. */
  badCheckpoints: { size: number; at: string; problem: CheckpointProblem; page: string }[];
  /**
   * Since when the verifier is sure: the earliest checkpoint whose signature and head both hold. The entries up
   * to the latest such checkpoint are as the key holder signed them; null when none holds (nothing is proven).
   */
  sureSince: { at: string; size: number } | null;
  /** The latest checkpoint that holds: how much of the ledger the signatures cover. */
  coveredUpTo: { at: string; size: number } | null;
}

/**
 * Verifies an export page by page, in order, holding only the running head, the checkpoints not reached yet and
 * each case's latest sequence number (a case's events enter the ledger in sequence order, ledger_append, so an
 * event at or below its case's latest is a duplicate): memory grows with the number of cases, not of entries.
 * Every entry's link and hash are checked from the start (gaps in ledgerSeq, edited fields and deleted rows all
 * break it at the first affected entry), each page's `afterSeq` and `prevHash` against the chain so far (a page
 * missing, repeated or out of order breaks it at its first entry), and every checkpoint against the recomputed
 * head when the chain reaches its size. A checkpoint beyond the first bad entry cannot hold, since its head is no
 * longer reachable.
 */
export class LedgerVerifier {
  private size = 0;
  private head = GENESIS_HASH;
  private readonly latestSeq = new Map<string, number>();
  private firstBad: LedgerVerification['firstBadEntry'] = null;
  private readonly bad: LedgerVerification['badCheckpoints'] = [];
  /** Checkpoints whose signature holds, waiting for the chain to reach their size, by size. */
  private readonly pending = new Map<number, { checkpoint: LedgerCheckpoint; page: string }[]>();
  private first: LedgerCheckpoint | null = null;
  private last: LedgerCheckpoint | null = null;
  private pages = 0;
  private lastPage: { label: string; nextAfter: number | null } | null = null;

  constructor(private readonly checkSignature: SignatureCheck) {}

  /**
   * A checkpoint kept outside the database (LEDGER_CHECKPOINT_FILE), given before the first page: checked like the
   * pages' own when the chain reaches its size, so a checkpoint the database lost or never showed still counts.
   */
  checkpoint(label: string, c: LedgerCheckpoint): void {
    this.expect(c, label, this.pages === 0);
  }

  /** Reads the next page; `label` names it in the result (its file name, or its number). */
  page(label: string, page: Pick<LedgerPage, 'afterSeq' | 'prevHash' | 'entries' | 'checkpoints' | 'coveredBy' | 'nextAfter'>): void {
    this.pages += 1;
    this.lastPage = { label, nextAfter: page.nextAfter };
    if (!this.firstBad) {
      if (page.afterSeq !== this.size)
        this.firstBad = { ledgerSeq: this.size + 1, problem: page.afterSeq > this.size ? 'page-gap' : 'page-overlap', page: label };
      else if (page.prevHash !== this.head) this.firstBad = { ledgerSeq: this.size + 1, problem: 'prev-hash-mismatch', page: label };
    }
    const entries = [...page.entries].sort((a, b) => a.ledgerSeq - b.ledgerSeq);
    const lastSeq = entries.length ? entries[entries.length - 1]!.ledgerSeq : page.afterSeq;
    const inPage = (size: number) => size > page.afterSeq && (page.nextAfter === null || size <= lastSeq);
    if (page.coveredBy) this.expect(page.coveredBy, label, page.coveredBy.size >= lastSeq);
    for (const c of page.checkpoints) this.expect(c, label, inPage(c.size));
    for (const entry of entries) {
      if (this.firstBad) break;
      const expected = this.size + 1;
      const latest = this.latestSeq.get(entry.caseId);
      const problem: EntryProblem | null =
        entry.ledgerSeq !== expected
          ? 'missing-entry'
          : entry.prevHash !== this.head
            ? 'prev-hash-mismatch'
            : entry.hash !== ledgerEntryHash(entry)
              ? 'hash-mismatch'
              : latest !== undefined && entry.seq <= latest
                ? 'duplicate-event'
                : null;
      if (problem) {
        this.firstBad = { ledgerSeq: expected, problem, page: label };
        break;
      }
      this.latestSeq.set(entry.caseId, entry.seq);
      this.size = expected;
      this.head = entry.hash;
      this.settle();
    }
  }

  result(): LedgerVerification {
    const firstBadEntry =
      this.firstBad ??
      (this.lastPage && this.lastPage.nextAfter !== null
        ? { ledgerSeq: this.size + 1, problem: 'pages-end-early' as const, page: this.lastPage.label }
        : null);
    const badCheckpoints = [
      ...this.bad,
      ...[...this.pending.values()]
        .flat()
        .map(({ checkpoint: c, page }) => ({ size: c.size, at: c.at, problem: 'beyond-ledger' as const, page })),
    ].sort((a, b) => a.size - b.size || a.at.localeCompare(b.at));
    return {
      ok: firstBadEntry === null && badCheckpoints.length === 0,
      pages: this.pages,
      verifiedEntries: this.size,
      firstBadEntry,
      badCheckpoints,
      sureSince: this.first ? { at: this.first.at, size: this.first.size } : null,
      coveredUpTo: this.last ? { at: this.last.at, size: this.last.size } : null,
    };
  }

  private expect(c: LedgerCheckpoint, page: string, inPage: boolean) {
    const waiting = this.pending.get(c.size) ?? [];
    const same = waiting.find((w) => w.checkpoint.at === c.at && w.checkpoint.signature === c.signature);
    if (same) {
      // An earlier page's coveredBy, now listed by the page its size falls in: named by that page.
      if (inPage) same.page = page;
      return;
    }
    const problem: CheckpointProblem | null = !this.checkSignature(checkpointMessage(c), c.signature, c.keyId)
      ? 'bad-signature'
      : !inPage || c.size <= this.size
        ? 'outside-page'
        : null;
    if (problem) this.bad.push({ size: c.size, at: c.at, problem, page });
    else this.pending.set(c.size, [...waiting, { checkpoint: c, page }]);
  }

  /** Checks the checkpoints of the size the chain just reached against its head. */
  private settle() {
    const reached = this.pending.get(this.size);
    if (!reached) return;
    this.pending.delete(this.size);
    for (const { checkpoint: c, page } of reached) {
      if (c.headHash !== this.head) {
        this.bad.push({ size: c.size, at: c.at, problem: 'head-mismatch', page });
        continue;
      }
      if (!this.first || c.size < this.first.size) this.first = c;
      if (!this.last || c.size >= this.last.size) this.last = c;
    }
  }
}

/** Verifies pages already in memory, in the order given (labels: page 1, page 2, …). */
export function verifyLedgerPages(
  pages: Iterable<Parameters<LedgerVerifier['page']>[1]>,
  checkSignature: SignatureCheck,
): LedgerVerification {
  const verifier = new LedgerVerifier(checkSignature);
  let n = 0;
  for (const page of pages) verifier.page(`page ${(n += 1)}`, page);
  return verifier.result();
}
