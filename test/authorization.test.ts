import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { apiOperations } from '../api/app';
import { createMetrics } from '../api/metrics';
import { makeNationalId } from '../domain/national-id';
import { bearer, testApp } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { caseDriver } from './helpers/http-cases';
import { createTestWorker, devServer, uniqueTaskQueue } from './helpers/temporal';

/**
 * The authorization matrix: every route × every role × a resource inside or outside the caller's org
 * subtree. The callers are one user per role, all scoped to 宁海路街道 (nhl) or its community 江苏路社区
 * (jsl) except the district-wide auditor and administrator; "inside" resources belong to jsl, "outside" ones to
 * 马台街社区 (mtj) in the other street.
 */

const ROLES = {
  clerk: 'clerk-jsl',
  approver: 'dgw-nhl-1',
  personnel_officer: 'hr-nhl',
  auditor: 'auditor-1',
  admin: 'admin-1',
} as const;
type RoleName = keyof typeof ROLES;
type Side = 'inside' | 'outside';

interface Fixture {
  cases: Record<Side, string>;
  workers: Record<Side, string>;
  communities: Record<Side, string>;
}

interface Route {
  operationId: string;
  call(app: Express, auth: string, side: Side, f: Fixture, n: number): request.Test;
  expect(role: RoleName, side: Side): number;
}

/** Visibility of a case or record: 200 for those who may see it, 404 (as if absent) for the rest. */
const sees = (visibleInside: RoleName[], visibleOutside: RoleName[]) => (role: RoleName, side: Side) =>
  (side === 'inside' ? visibleInside : visibleOutside).includes(role) ? 200 : 404;
const everyone = () => 200;
const only = (roles: RoleName[], ok: number) => (role: RoleName) => (roles.includes(role) ? ok : 403);

const CASE_READERS: RoleName[] = ['clerk', 'approver', 'personnel_officer', 'auditor'];
const RECORD_READERS: RoleName[] = ['clerk', 'approver', 'personnel_officer', 'auditor', 'admin'];

const ROUTES: Route[] = [
  { operationId: 'listCaseTypes', call: (a, t) => request(a).get('/api/v1/case-types').set('Authorization', t), expect: everyone },
  {
    operationId: 'submitCase',
    call: (a, t, side) =>
      request(a).post('/api/v1/cases').set('Authorization', t).send({ type: 'promotion', subjectId: side === 'inside' ? 'w-jsl-02' : 'w-mtj-02', payload: { kind: 'regular' } }),
    // Only clerks submit, and only for workers in their subtree.
    expect: (role, side) => (role === 'clerk' && side === 'inside' ? 201 : 403),
  },
  { operationId: 'listCases', call: (a, t) => request(a).get('/api/v1/cases').set('Authorization', t), expect: everyone },
  { operationId: 'getInbox', call: (a, t) => request(a).get('/api/v1/inbox').set('Authorization', t), expect: everyone },
  { operationId: 'getCase', call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}`).set('Authorization', t), expect: sees(CASE_READERS, ['auditor']) },
  {
    operationId: 'actOnCase',
    call: (a, t, s, f) => request(a).post(`/api/v1/cases/${f.cases[s]}/actions`).set('Authorization', t).send({ action: 'comment', comment: '请尽快办理' }),
    // The clerk submitted the inside case, so is a participant; others who see it are not (403); auditors never act.
    expect: (role, side) => {
      if (role === 'auditor') return 403;
      if (side === 'outside' || role === 'admin') return 404;
      return role === 'clerk' ? 200 : 403;
    },
  },
  { operationId: 'getCaseEvents', call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/events`).set('Authorization', t), expect: sees(CASE_READERS, ['auditor']) },
  { operationId: 'getCaseDossier', call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/dossier`).set('Authorization', t), expect: sees(CASE_READERS, ['auditor']) },
  { operationId: 'listAuditEvents', call: (a, t) => request(a).get('/api/v1/audit/events?limit=5').set('Authorization', t), expect: only(['auditor'], 200) },
  {
    operationId: 'verifyChains',
    call: (a, t, s, f, n) => request(a).get(n % 2 ? `/api/v1/audit/verify?caseId=${f.cases[s]}` : '/api/v1/audit/verify').set('Authorization', t),
    // Odd calls verify one case (whoever sees it); even calls verify everything (auditors only).
    expect: () => -1,
  },
  { operationId: 'listWorkers', call: (a, t) => request(a).get('/api/v1/workers').set('Authorization', t), expect: everyone },
  {
    operationId: 'createWorker',
    call: (a, t, s, f, n) =>
      request(a)
        .post('/api/v1/workers')
        .set('Authorization', t)
        .send({
          id: `w-new-${n}`,
          name: '新同志',
          nationalId: makeNationalId('320106', '1995-05-05', 700 + n, 'female'),
          education: 'bachelor',
          postType: 'general',
          employmentType: 'contract',
          orgUnitId: f.communities[s],
          grade: 2,
          gradeSince: '2026-01-01',
          hireDate: '2025-09-01',
          postSince: '2025-09-01',
        }),
    expect: (role, side) => (role === 'admin' || (role === 'personnel_officer' && side === 'inside') ? 201 : 403),
  },
  { operationId: 'getWorker', call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}`).set('Authorization', t), expect: sees(RECORD_READERS, ['auditor', 'admin']) },
  {
    operationId: 'getWorkerEligibility',
    call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}/eligibility`).set('Authorization', t),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'checkEligibility',
    call: (a, t, s, f) => request(a).post('/api/v1/eligibility-checks').set('Authorization', t).send({ type: 'promotion', subjectId: f.workers[s], payload: { kind: 'regular' } }),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'addAssessment',
    call: (a, t, s, f) => request(a).post(`/api/v1/workers/${f.workers[s]}/assessments`).set('Authorization', t).send({ year: nextYear++, result: 'competent' }),
    expect: writes,
  },
  {
    operationId: 'addDisciplinaryRecord',
    call: (a, t, s, f) => request(a).post(`/api/v1/workers/${f.workers[s]}/disciplinary-records`).set('Authorization', t).send({ kind: 'warning', startDate: '2020-01-01', endDate: '2020-06-30', reason: '测试' }),
    expect: writes,
  },
  { operationId: 'listOrgUnits', call: (a, t) => request(a).get('/api/v1/org-units').set('Authorization', t), expect: everyone },
  { operationId: 'getRuleSet', call: (a, t) => request(a).get('/api/v1/rule-set').set('Authorization', t), expect: everyone },
  { operationId: 'getCalendarYear', call: (a, t) => request(a).get('/api/v1/calendar/2026').set('Authorization', t), expect: everyone },
  {
    operationId: 'putCalendarYear',
    call: (a, t) => request(a).put('/api/v1/calendar/2030').set('Authorization', t).send({ source: '测试', holidays: ['2030-01-01'], makeUpWorkdays: [] }),
    expect: only(['admin'], 200),
  },
  { operationId: 'getMe', call: (a, t) => request(a).get('/api/v1/me').set('Authorization', t), expect: everyone },
  { operationId: 'listUsers', call: (a, t) => request(a).get('/api/v1/users').set('Authorization', t), expect: everyone },
  { operationId: 'getAuthConfig', call: (a, t) => request(a).get('/api/v1/auth/config').set('Authorization', t), expect: everyone },
  { operationId: 'listDemoUsers', call: (a, t) => request(a).get('/api/v1/auth/demo-users').set('Authorization', t), expect: everyone },
  { operationId: 'demoLogin', call: (a, t) => request(a).post('/api/v1/auth/demo-login').set('Authorization', t).send({ userId: 'clerk-jsl' }), expect: everyone },
];

/** Distinct past years, so each permitted assessment is new. */
let nextYear = 1990;

/** Record maintenance: administrators anywhere, personnel officers in their subtree; others may not. */
function writes(role: RoleName, side: Side): number {
  if (role === 'admin' || (role === 'personnel_officer' && side === 'inside')) return 201;
  // Outside their subtree, the record is invisible to everyone but auditors and administrators.
  if (side === 'outside' && role !== 'auditor') return 404;
  return 403;
}

describe('authorization matrix', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let worker: Worker;
  let running: Promise<void>;
  let app: Express;
  let fixture: Fixture;

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    const taskQueue = uniqueTaskQueue('authz');
    worker = await createTestWorker(temporal.nativeConnection, taskQueue, db.prisma);
    running = worker.run();
    app = testApp({ prisma: db.prisma, client: temporal.client, taskQueue });
    const drive = caseDriver(app);
    const inside = await drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const outside = await drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
    fixture = { cases: { inside: inside.id, outside: outside.id }, workers: { inside: 'w-jsl-04', outside: 'w-mtj-04' }, communities: { inside: 'jsl', outside: 'mtj' } };
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await temporal.close();
    await db.drop();
  });

  test('the matrix covers every route of the API', () => {
    const declared = apiOperations(
      { prisma: db.prisma, temporal: { client: temporal.client, taskQueue: 'x', rpcTimeoutMs: 1 }, verifyToken: async () => ({ sub: 'x' }), ruleSet: {} as never, logger: {} as never },
      createMetrics(db.prisma),
    ).map((op) => op.operationId);
    expect(ROUTES.map((r) => r.operationId).sort()).toEqual([...declared].sort());
  });

  let n = 0;
  const cells = ROUTES.flatMap((route) =>
    (Object.keys(ROLES) as RoleName[]).flatMap((role) => (['inside', 'outside'] as Side[]).map((side) => [route.operationId, role, side] as const)),
  );

  test.each(cells)('%s as %s, %s the subtree', async (operationId, role, side) => {
    const route = ROUTES.find((r) => r.operationId === operationId) as Route;
    n += 1;
    const res = await route.call(app, await bearer(ROLES[role]), side, fixture, n);
    let expected = route.expect(role, side);
    if (operationId === 'verifyChains') expected = n % 2 ? sees(CASE_READERS, ['auditor'])(role, side) : only(['auditor'], 200)(role);
    expect({ status: res.status, body: res.status === expected ? undefined : res.body }).toEqual({ status: expected, body: undefined });
  });

  test('without a token every non-public route answers 401', async () => {
    for (const route of ROUTES.filter((r) => !['getAuthConfig', 'listDemoUsers', 'demoLogin'].includes(r.operationId))) {
      const res = await route.call(app, '', 'inside', fixture, 999);
      expect({ route: route.operationId, status: res.status }).toEqual({ route: route.operationId, status: 401 });
    }
  });

  test('lists show only what the caller may see', async () => {
    const ids = async (user: string) => (await request(app).get('/api/v1/cases').set('Authorization', await bearer(user))).body.items.map((c: { id: string }) => c.id);
    expect(await ids('clerk-jsl')).toContain(fixture.cases.inside);
    expect(await ids('clerk-jsl')).not.toContain(fixture.cases.outside);
    expect(await ids('auditor-1')).toEqual(expect.arrayContaining([fixture.cases.inside, fixture.cases.outside]));
    expect(await ids('admin-1')).toEqual([]);
    const units = (await request(app).get('/api/v1/workers?limit=200').set('Authorization', await bearer('dgw-nhl-1'))).body.items.map((w: { orgUnitId: string }) => w.orgUnitId);
    expect(new Set(units)).toEqual(new Set(['jsl', 'jyj']));
  });

  test('national ID numbers are masked except for those who maintain the record', async () => {
    const idOf = async (user: string) => (await request(app).get('/api/v1/workers/w-jsl-03').set('Authorization', await bearer(user))).body.nationalId as string;
    for (const user of ['clerk-jsl', 'dgw-nhl-1', 'auditor-1']) expect(await idOf(user)).toMatch(/^320106\*{8}[0-9X]{4}$/);
    for (const user of ['hr-nhl', 'admin-1']) expect(await idOf(user)).toMatch(/^320106\d{11}[0-9X]$/);
    const list = (await request(app).get('/api/v1/workers').set('Authorization', await bearer('clerk-jsl'))).text;
    expect(list).not.toMatch(/320106\d{11}[0-9X]/);
    const dossier = (await request(app).get(`/api/v1/cases/${fixture.cases.inside}/dossier`).set('Authorization', await bearer('dgw-nhl-1'))).text;
    expect(dossier).not.toMatch(/320106\d{11}[0-9X]/);
  });
});
