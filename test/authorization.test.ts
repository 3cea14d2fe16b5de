import request from 'supertest';
import { RECORDS_WATCH_USER } from '../activities/records-watch';
import { apiOperations, createServices } from '../api/app';
import { createMetrics } from '../api/metrics';
import { ledgerSigner } from '../infra/ledger-key';
import { createStore } from '../store';
import { bearer } from './helpers/api';
import { CASE_READERS, only, ROLES, ROUTES, sees, type Fixture, type RoleName, type Route, type Side } from './helpers/api-routes';
import { TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY } from './helpers/database';
import { useApiStack } from './helpers/stack';

/** The authorization matrix: every route × every role × a resource inside or outside the caller's subtree. */

describe('authorization matrix', () => {
  const stack = useApiStack('authz');
  let fixture: Fixture;

  beforeAll(async () => {
    const inside = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const outside = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
    fixture = {
      cases: { inside: inside.id, outside: outside.id },
      workers: { inside: 'w-jsl-03', outside: 'w-mtj-04' },
      communities: { inside: 'jsl', outside: 'mtj' },
    };
  });

  test('the matrix covers every route of the API', () => {
    const services = createServices({
      store: createStore(stack.db.prisma),
      temporal: { client: stack.temporal.client, taskQueue: 'x', rpcTimeoutMs: 1 },
      verifyToken: async () => ({ sub: 'x', issuedBy: 'service' }),
      ruleSet: {} as never,
      logger: {} as never,
      ledgerSigner: ledgerSigner(TEST_LEDGER_KEY),
      publicChallengeSecret: TEST_CHALLENGE_SECRET,
    });
    const declared = apiOperations(services, createMetrics(services.store)).map((op) => op.operationId);
    expect(ROUTES.map((r) => r.operationId).sort()).toEqual([...declared].sort());
  });

  let n = 0;
  const cells = ROUTES.flatMap((route) =>
    (Object.keys(ROLES) as RoleName[]).flatMap((role) =>
      (['inside', 'outside'] as Side[]).map((side) => [route.operationId, role, side] as const),
    ),
  );

  test.each(cells)('%s as %s, %s the subtree', async (operationId, role, side) => {
    const route = ROUTES.find((r) => r.operationId === operationId) as Route;
    n += 1;
    const res = await route.call(stack.app, await bearer(ROLES[role]), side, fixture, n);
    let expected = route.expect(role, side);
    if (operationId === 'verifyChains') expected = n % 2 ? sees(CASE_READERS, ['auditor'])(role, side) : only(['auditor'], 200)(role);
    expect({ status: res.status, body: res.status === expected ? undefined : res.body }).toEqual({ status: expected, body: undefined });
  });

  test('without a token every non-public route answers 401', async () => {
    for (const route of ROUTES.filter(
      (r) =>
        ![
          'getAuthConfig',
          'listDemoUsers',
          'demoLogin',
          'getLedgerPublicKey',
          'listPublicNotices',
          'getPublicChallenge',
          'objectToPublicNotice',
        ].includes(r.operationId),
    )) {
      const res = await route.call(stack.app, '', 'inside', fixture, 999);
      expect({ route: route.operationId, status: res.status }).toEqual({ route: route.operationId, status: 401 });
    }
  });

  test("the demo sign-in offers people with a role, never the records check's system account", async () => {
    const listed = (await request(stack.app).get('/api/v1/auth/demo-users')).body.items.map((u: { id: string }) => u.id);
    expect(listed).toContain('clerk-jsl');
    expect(listed).not.toContain(RECORDS_WATCH_USER);
    expect((await request(stack.app).post('/api/v1/auth/demo-login').send({ userId: RECORDS_WATCH_USER })).status).toBe(404);
    expect((await request(stack.app).post('/api/v1/auth/demo-login').send({ userId: 'clerk-jsl' })).status).toBe(200);
  });

  test('lists show only what the caller may see', async () => {
    const ids = async (user: string) =>
      (
        await request(stack.app)
          .get('/api/v1/cases')
          .set('Authorization', await bearer(user))
      ).body.items.map((c: { id: string }) => c.id);
    expect(await ids('clerk-jsl')).toContain(fixture.cases.inside);
    expect(await ids('clerk-jsl')).not.toContain(fixture.cases.outside);
    expect(await ids('auditor-1')).toEqual(expect.arrayContaining([fixture.cases.inside, fixture.cases.outside]));
    expect(await ids('admin-1')).toEqual([]);
    const units = (
      await request(stack.app)
        .get('/api/v1/workers?limit=200')
        .set('Authorization', await bearer('dgw-nhl-1'))
    ).body.items.map((w: { orgUnitId: string }) => w.orgUnitId);
    expect(new Set(units)).toEqual(new Set(['jsl', 'jyj']));
  });

  test('national ID numbers are masked for everyone; those who maintain the record may reveal one', async () => {
    const read = async (user: string) =>
      (
        await request(stack.app)
          .get('/api/v1/workers/w-jsl-03')
          .set('Authorization', await bearer(user))
      ).body as { nationalId: string; nationalIdRevealable: boolean };
    for (const user of ['clerk-jsl', 'dgw-nhl-1', 'auditor-1', 'hr-nhl', 'admin-1']) {
      const w = await read(user);
      expect(w.nationalId).toMatch(/^320106\*{8}[0-9X]{4}$/);
      expect(w.nationalIdRevealable).toBe(['hr-nhl', 'admin-1'].includes(user));
    }
    const list = (
      await request(stack.app)
        .get('/api/v1/workers')
        .set('Authorization', await bearer('clerk-jsl'))
    ).text;
    expect(list).not.toMatch(/320106\d{11}[0-9X]/);
    const dossier = (
      await request(stack.app)
        .get(`/api/v1/cases/${fixture.cases.inside}/dossier`)
        .set('Authorization', await bearer('dgw-nhl-1'))
    ).text;
    expect(dossier).not.toMatch(/320106\d{11}[0-9X]/);
  });
});
