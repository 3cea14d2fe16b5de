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

/** What an auditor receives (GET /api/v1/ledger/export): entries in order, checkpoints oldest first. */
export interface LedgerExport {
  format: 'community-worker-cases/ledger/v1';
  exportedAt: string;
  entries: LedgerEntry[];
  checkpoints: LedgerCheckpoint[];
}

export const LEDGER_EXPORT_FORMAT = 'community-worker-cases/ledger/v1';

export function ledgerEntryHash(e: Pick<LedgerEntry, 'ledgerSeq' | 'caseId' | 'seq' | 'eventHash' | 'prevHash'>): string {
  return bytesToHex(sha256(utf8ToBytes(`${e.ledgerSeq}\n${e.caseId}\n${e.seq}\n${e.eventHash}\n${e.prevHash}`)));
}

/** The bytes a checkpoint's signature covers: a fixed label (so no other signed text can pass for one) and its fields. */
export function checkpointMessage(c: Pick<LedgerCheckpoint, 'size' | 'headHash' | 'at'>): Uint8Array {
  return utf8ToBytes(`community-worker-cases ledger checkpoint v1\n${c.size}\n${c.headHash}\n${c.at}`);
}

/** Checks an Ed25519 signature over a message (the caller holds the public key; node:crypto in the verifier). */
export type SignatureCheck = (message: Uint8Array, signatureBase64: string, keyId: string) => boolean;

export type EntryProblem = 'missing-entry' | 'prev-hash-mismatch' | 'hash-mismatch' | 'duplicate-event';
export type CheckpointProblem = 'bad-signature' | 'beyond-ledger' | 'head-mismatch';

export interface LedgerVerification {
  ok: boolean;
  /** How many entries chain correctly from the start (the first bad entry, if any, is the next one). */
  verifiedEntries: number;
  /** The first entry that breaks the chain: its expected ledgerSeq and what is wrong. */
  firstBadEntry: { ledgerSeq: number; problem: EntryProblem } | null;
  /** Every checkpoint that failed, and why. */
  badCheckpoints: { size: number; at: string; problem: CheckpointProblem }[];
  /**
   * Since when the verifier is sure: the earliest checkpoint whose signature and head both hold. The entries up
   * to the latest such checkpoint are as the key holder signed them; null when none holds (nothing is proven).
   */
  sureSince: { at: string; size: number } | null;
  /** The latest checkpoint that holds: how much of the ledger the signatures cover. */
  coveredUpTo: { at: string; size: number } | null;
}

/**
 * Verifies an export: every entry's link and hash from the start (gaps in ledgerSeq, edited fields and deleted
 * rows all break it at the first affected entry), then every checkpoint against the recomputed chain and its
 * signature. A checkpoint beyond the first bad entry cannot hold, since its head is no longer reachable.
 */
export function verifyLedger(ledger: Pick<LedgerExport, 'entries' | 'checkpoints'>, checkSignature: SignatureCheck): LedgerVerification {
  const heads: string[] = [GENESIS_HASH]; // heads[n]: the recomputed hash after n entries
  const seen = new Set<string>();
  let firstBadEntry: LedgerVerification['firstBadEntry'] = null;
  const entries = [...ledger.entries].sort((a, b) => a.ledgerSeq - b.ledgerSeq);
  for (const entry of entries) {
    const expected = heads.length;
    const problem: EntryProblem | null =
      entry.ledgerSeq !== expected
        ? 'missing-entry'
        : entry.prevHash !== heads[expected - 1]
          ? 'prev-hash-mismatch'
          : entry.hash !== ledgerEntryHash(entry)
            ? 'hash-mismatch'
            : seen.has(`${entry.caseId}\n${entry.seq}`)
              ? 'duplicate-event'
              : null;
    if (problem) {
      firstBadEntry = { ledgerSeq: expected, problem };
      break;
    }
    seen.add(`${entry.caseId}\n${entry.seq}`);
    heads.push(entry.hash);
  }
  const verifiedEntries = heads.length - 1;

  const badCheckpoints: LedgerVerification['badCheckpoints'] = [];
  const good: LedgerCheckpoint[] = [];
  for (const c of [...ledger.checkpoints].sort((a, b) => a.size - b.size || a.at.localeCompare(b.at))) {
    const problem: CheckpointProblem | null = !checkSignature(checkpointMessage(c), c.signature, c.keyId)
      ? 'bad-signature'
      : c.size > verifiedEntries
        ? 'beyond-ledger'
        : heads[c.size] !== c.headHash
          ? 'head-mismatch'
          : null;
    if (problem) badCheckpoints.push({ size: c.size, at: c.at, problem });
    else good.push(c);
  }
  const first = good[0];
  const last = good[good.length - 1];
  return {
    ok: firstBadEntry === null && badCheckpoints.length === 0,
    verifiedEntries,
    firstBadEntry,
    badCheckpoints,
    sureSince: first ? { at: first.at, size: first.size } : null,
    coveredUpTo: last ? { at: last.at, size: last.size } : null,
  };
}
