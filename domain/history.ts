import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The tamper-evident case history: every event carries the SHA-256 of the previous event of the same case,
 * over a canonical encoding, so editing, inserting or deleting any stored event breaks the chain from that
 * point on. Pure JavaScript hashing, so the workflow computes the chain and the database only stores it.
 */

export const GENESIS_HASH = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A JSON value as text, for a column or a key: a string as it is, other scalars as String() writes them, arrays
 * and objects as JSON rather than "[object Object]".
 */
export function jsonText(value: Json | undefined): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Canonical JSON (RFC 8785 for the values we store): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript JSON.stringify writes them; undefined members dropped.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in history');
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // Plain loops and one string, not entries/filter/map/join: every event of every chain goes through here
  // (the workflow when it appends, the audit when it verifies), so this is the hot part of hashing.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // A hole in a sparse array stays empty, as Array.prototype.join writes it.
      if (i in value) out += value[i] === undefined ? 'null' : canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as RFC 8785 asks.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** The fields of an event that the hash covers: everything stored except the hash itself. */
export interface ChainedEventBody {
  caseId: string;
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actorId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  stage: string | null;
  comment: string | null;
  data: Json;
  prevHash: string;
  /** SHA-256 of the case facts this event leaves (domain/process/facts.ts); absent on events of older cases. */
  caseDigest?: string;
}

export interface ChainedEvent extends ChainedEventBody {
  hash: string;
}

export function hashEvent(body: ChainedEventBody): string {
  return jsonDigest(body);
}

/** SHA-256 (hex) of a value's canonical JSON: the digest the chain and its checks compute. */
export function jsonDigest(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}

export interface ChainBreak {
  caseId: string;
  seq: number;
  /**
   * hash-mismatch: an event's content no longer matches its hash; prev-hash-mismatch: an event does not follow the
   * one before it; sequence-gap: an event is missing; missing-tail: the case row names a newer head than the events
   * hold; case-facts-mismatch: the case row's facts (payload, status, stage data, org path, ...) are not those its
   * newest event covers.
   */
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap' | 'missing-tail' | 'case-facts-mismatch';
}

export interface ChainVerification {
  ok: boolean;
  /** Number of events checked. */
  checked: number;
  firstBroken?: ChainBreak;
}

/**
 * Verifies one case's events (in seq order). `expected` comes from the case row: its head (lastSeq, lastHash), so
 * deleting the newest events is detected too, and the digest of the facts it shows (domain/process/facts.ts),
 * compared with what the newest event covers when that event carries one.
 */
export function verifyCaseChain(
  caseId: string,
  events: ChainedEvent[],
  expected?: { lastSeq: number; lastHash?: string; caseDigest?: string },
  /** The SHA-256 of an event body, hex; outside the workflow sandbox a native implementation may be passed. */
  hash: (body: ChainedEventBody) => string = hashEvent,
): ChainVerification {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const [index, event] of events.entries()) {
    checked += 1;
    const broken = (reason: ChainBreak['reason'], seq = event.seq): ChainVerification => ({
      ok: false,
      checked,
      firstBroken: { caseId, seq, reason },
    });
    // A gap is reported at the first missing sequence number.
    if (event.seq !== index + 1) return broken('sequence-gap', index + 1);
    if (event.prevHash !== prevHash) return broken('prev-hash-mismatch');
    const { hash: stored, ...body } = event;
    if (hash(body) !== stored) return broken('hash-mismatch');
    prevHash = stored;
  }
  if (expected && (events.length !== expected.lastSeq || (expected.lastHash !== undefined && expected.lastHash !== prevHash))) {
    return { ok: false, checked, firstBroken: { caseId, seq: Math.min(events.length + 1, expected.lastSeq), reason: 'missing-tail' } };
  }
  const newest = events[events.length - 1];
  if (newest?.caseDigest !== undefined && expected?.caseDigest !== undefined && newest.caseDigest !== expected.caseDigest) {
    return { ok: false, checked, firstBroken: { caseId, seq: newest.seq, reason: 'case-facts-mismatch' } };
  }
  return { ok: true, checked };
}
