import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { pick, streetMeeting } from '../../bench/e2e';
import type { ApiClient, ApiResponse } from '../../bench/http';
import type { Subject } from '../../bench/subjects';
import { verifyCaseChain, type ChainedEvent } from '../../domain/history';
import { recordedState } from '../../domain/process/engine';
import { readModelOf } from '../../domain/process/read-model';
import { stateQuery } from '../../workflows/messages';

/**
 * The load the fault tests run while they kill processes: promotions submitted at a steady rate through the
 * one port, approved by the community and decided at the street committee's meeting, every request with an Idempotency-Key that its retries repeat (as
 * the web UI does). A 503 is retried after its Retry-After (at most 2 s, to keep the load going), a dropped
 * connection after half a second. Every attempt is recorded, so a test can count what clients saw during
 * the outage and how long it lasted; and every case is checked at the end.
 */

export interface Attempt {
  /** When the request was sent (ms since the epoch) and how long its answer took. */
  at: number;
  ms: number;
  what: string;
  /** The route as the API declares it (`POST /cases/:id/actions`): what an unexpected answer is grouped by. */
  route: string;
  /** The HTTP status, or 0 for a connection that failed. */
  status: number;
  retryAfter?: string;
  problemJson: boolean;
  detail?: string;
}

export interface LoadCase {
  subject: Subject;
  id?: string;
  /** Submitted and approved at both stages: in 公示, to complete by itself. */
  driven: boolean;
  failure?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startLoad(options: { api: ApiClient; subjects: Subject[]; casesPerSecond: number; giveUpMs?: number }) {
  const { api } = options;
  const attempts: Attempt[] = [];
  const cases: LoadCase[] = [];
  const inFlight = new Set<Promise<void>>();
  let running = true;
  const giveUpMs = options.giveUpMs ?? 240_000;

  /** One request, retried with the same key until it gets an answer that is not 503 (or a dropped connection). */
  async function call(what: string, route: string, path: string, user: string, body: unknown): Promise<ApiResponse> {
    const method = route.split(' ')[0] as string;
    const key = randomUUID();
    const started = Date.now();
    for (;;) {
      const at = Date.now();
      let res: ApiResponse | undefined;
      try {
        res = await api.request(method, path, user, body, { 'Idempotency-Key': key });
      } catch (err) {
        attempts.push({ at, ms: Date.now() - at, what, route, status: 0, problemJson: false, detail: (err as Error).message });
      }
      if (res) {
        const contentType = String(res.headers['content-type'] ?? '');
        const retryAfter = res.headers['retry-after'];
        attempts.push({
          at,
          ms: res.ms,
          what,
          route,
          status: res.status,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
          problemJson: contentType.startsWith('application/problem+json'),
          detail: typeof res.body === 'object' && res.body ? (res.body as { detail?: string }).detail : undefined,
        });
        if (res.status !== 503 && res.status !== 429) return res;
      }
      if (Date.now() - started > giveUpMs) throw new Error(`${what}: no answer but 503 for ${giveUpMs} ms`);
      const wait = res ? Math.min(Number(res.headers['retry-after'] ?? 1) * 1000, 2_000) : 500;
      await sleep(wait);
    }
  }

  async function drive(c: LoadCase) {
    const { subject } = c;
    try {
      const submitted = await call('submit', 'POST /cases', '/cases', `clerk-${subject.community}`, {
        type: 'promotion',
        subjectId: subject.id,
        payload: { kind: 'regular' },
      });
      if (submitted.status !== 201) throw new Error(`submit: HTTP ${submitted.status} ${JSON.stringify(submitted.body)}`);
      const id = (submitted.body as { id: string }).id;
      c.id = id;
      const first = pick((submitted.body as { assignees: string[] }).assignees, subject.community) as string;
      const a1 = await call('approve (community)', 'POST /cases/:id/actions', `/cases/${id}/actions`, first, {
        action: 'approve',
        comment: '同意推荐',
      });
      if (a1.status !== 200) throw new Error(`approve (community): HTTP ${a1.status} ${JSON.stringify(a1.body)}`);
      const second = pick((a1.body as { assignees: string[] }).assignees, subject.street) as string;
      const a2 = await call(
        'record-meeting (street)',
        'POST /cases/:id/actions',
        `/cases/${id}/actions`,
        second,
        streetMeeting((a1.body as { assignees: string[] }).assignees),
      );
      if (a2.status !== 200) throw new Error(`record-meeting (street): HTTP ${a2.status} ${JSON.stringify(a2.body)}`);
      c.driven = true;
    } catch (err) {
      c.failure = (err as Error).message;
    }
  }

  const ticker = (async () => {
    const interval = 1000 / options.casesPerSecond;
    let next = Date.now();
    while (running) {
      const subject = options.subjects.shift();
      if (!subject) throw new Error('the load ran out of eligible subjects');
      const c: LoadCase = { subject, driven: false };
      cases.push(c);
      const p: Promise<void> = drive(c).finally(() => inFlight.delete(p));
      inFlight.add(p);
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
  })();

  return {
    attempts,
    cases,
    /** Stops starting cases and waits for the ones under way to be driven into 公示 (or to fail). */
    async stop() {
      running = false;
      await ticker;
      await Promise.all([...inFlight]);
      return { attempts, cases };
    },
  };
}

export interface FaultFigures {
  fault: string;
  cases: number;
  requests: number;
  unavailable503: number;
  without503RetryAfter: number;
  notProblemJson503: number;
  serverErrors: number;
  connectionErrors: number;
  maxLatencyMs: number;
  /** From the fault until the last request that did not succeed. */
  recoverySeconds: number;
  /** What the 503s said, with their counts. */
  details: Record<string, number>;
  /** Answers slower than the API's deadline for a call into Temporal (whatever their status). */
  pastDeadline: number;
  /** Every answer that was not designed back-pressure (see unexpectedAnswers), in the order they were sent. */
  unexpected: UnexpectedAnswer[];
}

/**
 * An answer other than the service's designed back-pressure (a 503 problem with Retry-After, or a 429): any
 * other 5xx, a connection dropped without an answer, or an answer of any status that came later than the
 * deadline. A run with none of these had nothing happen but what the service was built to do under load.
 */
export interface UnexpectedAnswer {
  /** When the request was sent (ISO 8601). */
  at: string;
  route: string;
  /** The HTTP status, or 0 for a dropped connection. */
  status: number;
  ms: number;
  kind: 'server error' | 'dropped connection' | 'past the deadline';
  detail?: string;
}

export function unexpectedAnswers(attempts: Attempt[], deadlineMs: number): UnexpectedAnswer[] {
  return attempts.flatMap((a): UnexpectedAnswer[] => {
    const kind =
      a.status === 0
        ? 'dropped connection'
        : a.status >= 500 && a.status !== 503
          ? 'server error'
          : a.ms > deadlineMs
            ? 'past the deadline'
            : undefined;
    if (!kind) return [];
    return [
      {
        at: new Date(a.at).toISOString(),
        route: a.route,
        status: a.status,
        ms: Math.round(a.ms),
        kind,
        ...(a.detail ? { detail: a.detail } : {}),
      },
    ];
  });
}

/** The unexpected answers counted by kind, status and route ("past the deadline 200 POST /cases" → 3). */
export function unexpectedByRoute(unexpected: UnexpectedAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const u of unexpected) {
    const key = `${u.kind} ${u.status} ${u.route}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function figures(fault: string, attempts: Attempt[], cases: LoadCase[], faultAt: number, deadlineMs: number): FaultFigures {
  const failed = attempts.filter((a) => a.status === 0 || a.status >= 500);
  const lastFailure = failed.filter((a) => a.at + a.ms >= faultAt).reduce((m, a) => Math.max(m, a.at + a.ms), faultAt);
  const details: Record<string, number> = {};
  for (const a of attempts.filter((x) => x.status === 503)) {
    const d = (a.detail ?? '(no detail)').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>');
    details[d] = (details[d] ?? 0) + 1;
  }
  return {
    fault,
    cases: cases.length,
    requests: attempts.length,
    unavailable503: attempts.filter((a) => a.status === 503).length,
    without503RetryAfter: attempts.filter((a) => a.status === 503 && !(Number(a.retryAfter) > 0)).length,
    notProblemJson503: attempts.filter((a) => a.status === 503 && !a.problemJson).length,
    serverErrors: attempts.filter((a) => a.status >= 500 && a.status !== 503).length,
    connectionErrors: attempts.filter((a) => a.status === 0).length,
    maxLatencyMs: Math.round(attempts.reduce((m, a) => Math.max(m, a.ms), 0)),
    recoverySeconds: Math.round((lastFailure - faultAt) / 100) / 10,
    details,
    pastDeadline: attempts.filter((a) => a.ms > deadlineMs).length,
    unexpected: unexpectedAnswers(attempts, deadlineMs),
  };
}

export function printFigures(f: FaultFigures, log: (line: string) => void) {
  log(
    [
      `${f.fault}:`,
      `  cases ${f.cases}, requests ${f.requests}; 503s ${f.unavailable503} (without Retry-After ${f.without503RetryAfter}, not problem+json ${f.notProblemJson503}); other 5xx ${f.serverErrors}; dropped connections ${f.connectionErrors}`,
      `  max latency ${f.maxLatencyMs} ms, ${f.pastDeadline} answers past the deadline; recovery ${f.recoverySeconds} s after the fault (until the last request that failed)`,
      ...Object.entries(f.details).map(([d, n]) => `  503 × ${n}: ${d}`),
      ...Object.entries(unexpectedByRoute(f.unexpected)).map(([what, n]) => `  unexpected × ${n}: ${what}`),
    ].join('\n'),
  );
}

/** The cases' events as the chain hashed them, in order: what verifyCaseChain checks. */
export async function chainedEventsOf(pool: Pool, ids: string[]): Promise<ChainedEvent[]> {
  // The time as the chain hashed it (ISO 8601 UTC with milliseconds), whatever the test process's time zone.
  const { rows } = await pool.query<ChainedEvent & { caseDigest: string | null }>(
    `SELECT "caseId", seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, "actorId", action, "fromStatus"::text, "toStatus"::text,
            stage, comment, data, "prevHash", hash, "caseDigest"
       FROM "CaseEvent" WHERE "caseId" = ANY($1::text[]) ORDER BY "caseId", seq`,
    [ids],
  );
  // Events of cases started since the ledger carry the digest of the case facts; the others hash without the field.
  return rows.map(({ caseDigest, ...e }) => (caseDigest ? { ...e, caseDigest } : e));
}

/**
 * Every case the load drove, checked once it has had time to finish: it completed (started = finished); its
 * events run 1…lastSeq with one submission, two approvals and one completion (nothing missing, nothing twice);
 * its hash chain verifies; and the read model in PostgreSQL is what the workflow's own state (a Query to the
 * workflow) makes of it.
 */
export async function checkCases(options: { pool: Pool; client: Client; ids: string[]; timeoutMs?: number }) {
  const { pool, client, ids } = options;
  const until = Date.now() + (options.timeoutMs ?? 180_000);
  let open: string[] = ids;
  while (open.length) {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM "Case" WHERE id = ANY($1::text[]) AND status = 'completed'`, [open]);
    const done = new Set(rows.map((r) => r.id));
    open = open.filter((id) => !done.has(id));
    if (!open.length || Date.now() > until) break;
    await sleep(1_000);
  }
  const problems: string[] = open.map((id) => `${id}: not completed`);

  const events = await chainedEventsOf(pool, ids);
  const byCase = new Map<string, ChainedEvent[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const { rows: rowsOfCases } = await pool.query<{ id: string; status: string; lastSeq: number; lastHash: string; readModel: unknown }>(
    `SELECT id, status, "lastSeq", "lastHash", "readModel" FROM "Case" WHERE id = ANY($1::text[])`,
    [ids],
  );
  const caseRows = new Map(rowsOfCases.map((r) => [r.id, r]));
  let chainsVerified = 0;
  let readModelsCompared = 0;
  for (const id of ids) {
    const list = byCase.get(id) ?? [];
    const row = caseRows.get(id);
    if (!row) {
      problems.push(`${id}: no case row`);
      continue;
    }
    const seqs = list.map((e) => e.seq);
    if (seqs.some((s, i) => s !== i + 1) || seqs.length !== row.lastSeq)
      problems.push(`${id}: events ${seqs.join(',')} for lastSeq ${row.lastSeq}`);
    const count = (action: string) => list.filter((e) => e.action === action).length;
    // The load's two decisions: the community's approval, the street's committee meeting (promotion v3).
    if (
      count('submit') !== 1 ||
      count('approve') !== 1 ||
      count('record-meeting') !== 1 ||
      (row.status === 'completed' && count('complete') !== 1)
    )
      problems.push(`${id}: actions ${list.map((e) => e.action).join(',')}`);
    const chain = verifyCaseChain(id, list, { lastSeq: row.lastSeq, lastHash: row.lastHash });
    if (chain.ok) chainsVerified += 1;
    else problems.push(`${id}: chain broken at ${JSON.stringify(chain)}`);
    try {
      const state = await client.workflow.getHandle(id).query(stateQuery);
      // As stored: JSON (no undefined), compared by value (jsonb keeps its own key order).
      const expected: unknown = JSON.parse(JSON.stringify(readModelOf(recordedState(state))));
      if (!isDeepStrictEqual(expected, row.readModel) || state.seq !== row.lastSeq || state.lastHash !== row.lastHash)
        problems.push(`${id}: read model (seq ${row.lastSeq}) differs from the workflow's state (seq ${state.seq})`);
      else readModelsCompared += 1;
    } catch (err) {
      problems.push(`${id}: query failed: ${(err as Error).message}`);
    }
  }
  return { cases: ids.length, completed: ids.length - open.length, chainsVerified, readModelsCompared, problems };
}
