import type { Pool } from 'pg';
import { describe, type ApiClient } from './http';
import { progress } from './progress';
import { summarize, type LatencySummary } from './stats';

/**
 * Read routes as the database grows: each route is called `samples` times one after another (after three
 * warm-up calls) and timed from the client, so the figures are latencies of single requests on an idle
 * service. Callers: the district auditor (sees every case) and a street committee member (dgw-nhl-1, sees
 * the cases of one street of thirteen, through the visibility filter) — the two shapes the queries take.
 */

export interface RouteResult {
  route: string;
  caller: string;
  /** Is this one of the routes the issue's 50 ms goal applies to (inbox, filtered case search)? */
  goal: boolean;
  latency: LatencySummary;
  /** `total` of the last answer (cases matching), or events returned. */
  rows: number | null;
  errors: number;
}

export interface ScaleStep {
  cases: number;
  events: number;
  routes: RouteResult[];
  verify: { seconds: number; cases: number; checked: number; ok: boolean; status: number };
  errors: number;
  errorSamples: string[];
}

interface Probe {
  route: string;
  caller: string;
  goal: boolean;
  path: () => string;
}

export async function measureScale(api: ApiClient, pool: Pool, samples: number, label: string): Promise<ScaleStep> {
  const { rows: counts } = await pool.query<{ cases: string; events: string }>(
    `SELECT (SELECT count(*) FROM "Case") AS cases, (SELECT count(*) FROM "CaseEvent") AS events`,
  );
  const { rows: pickRows } = await pool.query<{ id: string }>(`SELECT id FROM "Case" ORDER BY md5(id) LIMIT 500`);
  const caseIds = pickRows.map((r) => r.id);
  // A subject with a three-character name and one with a two-character name (pg_trgm finds no trigram in a
  // two-character pattern, so that search cannot use the trigram index).
  const subjectWithName = async (length: number) =>
    (
      await pool.query<{ subjectId: string; subjectName: string }>(
        `SELECT "subjectId", "subjectName" FROM "Case" WHERE "orgUnitId" = 'jsl' AND "subjectId" LIKE 'hist-%' AND char_length("subjectName") = $1 ORDER BY "subjectId" LIMIT 1`,
        [length],
      )
    ).rows[0];
  const subject = (await subjectWithName(3)) ?? { subjectId: 'w-jsl-03', subjectName: '王建国' };
  const shortName = (await subjectWithName(2))?.subjectName ?? '王伟';
  const oneYearAgo = new Date(Date.now() - 365 * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const window = `${day(new Date(oneYearAgo.getTime() - 30 * 86_400_000))}`;
  const windowEnd = day(oneYearAgo);
  let k = 0;
  const nextCase = () => caseIds[k++ % Math.max(1, caseIds.length)] as string;
  const errorSamples: string[] = [];
  let errors = 0;

  const filters: [string, string][] = [
    ['', '(no filter)'],
    ['type=commendation', 'type'],
    ['status=in_review', 'status'],
    [`subjectId=${encodeURIComponent(subject.subjectId)}`, 'subjectId'],
    ['orgUnitId=jsl', 'orgUnitId (subtree)'],
    ['stage=street-decision', 'stage'],
    ['overdue=true', 'overdue'],
    [`submittedFrom=${window}&submittedTo=${windowEnd}`, 'submitted in a 30-day window'],
    [`decidedFrom=${window}&decidedTo=${windowEnd}`, 'decided in a 30-day window'],
    [`q=${encodeURIComponent(subject.subjectName)}`, 'q = subject name (3 characters)'],
    [`q=${encodeURIComponent(shortName)}`, 'q = subject name (2 characters)'],
    [`q=${encodeURIComponent((caseIds[0] ?? 'abcdef12').slice(0, 8))}`, 'q = case id prefix'],
    ['sort=dueAt', 'sort=dueAt'],
    ['sort=submittedAt', 'sort=submittedAt (oldest first)'],
  ];
  const probes: Probe[] = [
    { route: 'GET /inbox', caller: 'dgw-nhl-1', goal: true, path: () => '/inbox' },
    { route: 'GET /inbox', caller: 'dep-jsl', goal: true, path: () => '/inbox' },
  ];
  for (const caller of ['auditor-1', 'dgw-nhl-1']) {
    for (const [query, name] of filters) {
      probes.push({ route: `GET /cases ${name}`, caller, goal: query !== '', path: () => `/cases${query ? `?${query}` : ''}` });
    }
  }
  // The second page of the default listing (keyset cursor).
  const cursors = new Map<string, string>();
  for (const caller of ['auditor-1', 'dgw-nhl-1']) {
    const first = await api.request('GET', '/cases', caller);
    if (first.body?.nextCursor) cursors.set(caller, first.body.nextCursor);
    probes.push({
      route: 'GET /cases page 2 (cursor)',
      caller,
      goal: true,
      path: () => `/cases?cursor=${encodeURIComponent(cursors.get(caller) ?? '')}`,
    });
  }
  probes.push({ route: 'GET /cases/:id', caller: 'auditor-1', goal: false, path: () => `/cases/${nextCase()}` });
  probes.push({ route: 'GET /cases/:id/events', caller: 'auditor-1', goal: false, path: () => `/cases/${nextCase()}/events` });

  const routes: RouteResult[] = [];
  progress.start(label, probes.length);
  for (const [i, probe] of probes.entries()) {
    progress.update(i, `${probe.route} as ${probe.caller}`);
    const times: number[] = [];
    let rows: number | null = null;
    let probeErrors = 0;
    for (let n = 0; n < samples + 3; n += 1) {
      const path = probe.path();
      const res = await api.request('GET', path, probe.caller);
      if (res.status !== 200) {
        probeErrors += 1;
        if (errorSamples.length < 8) errorSamples.push(describe(`${path} as ${probe.caller}`, res));
        continue;
      }
      if (n >= 3) times.push(res.ms);
      rows = typeof res.body?.total === 'number' ? res.body.total : Array.isArray(res.body?.items) ? res.body.items.length : null;
    }
    errors += probeErrors;
    routes.push({ route: probe.route, caller: probe.caller, goal: probe.goal, latency: summarize(times), rows, errors: probeErrors });
  }
  progress.stop();

  progress.start(`${label}: GET /audit/verify`, 1, `${Number(counts[0]?.events ?? 0).toLocaleString('en')} events`);
  const res = await api.request('GET', '/audit/verify', 'auditor-1');
  progress.stop(`${(res.ms / 1000).toFixed(1)} s`);
  if (res.status !== 200 || res.body?.ok !== true) {
    errors += 1;
    errorSamples.push(describe('GET /audit/verify', res) + (res.body?.firstBroken ? ` ${JSON.stringify(res.body.firstBroken)}` : ''));
  }
  return {
    cases: Number(counts[0]?.cases ?? 0),
    events: Number(counts[0]?.events ?? 0),
    routes,
    verify: {
      seconds: Math.round(res.ms / 100) / 10,
      cases: res.body?.cases ?? 0,
      checked: res.body?.checked ?? 0,
      ok: res.body?.ok === true,
      status: res.status,
    },
    errors,
    errorSamples,
  };
}
