import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createPrisma } from '../infra/prisma';
import { freePort } from '../infra/processes';
import { actUpdate } from '../workflows/messages';
import { bearer, testApp } from './helpers/api';
import { useApiStack } from './helpers/stack';
import { blackhole, uniqueTaskQueue } from './helpers/temporal';

/**
 * What the API answers while a dependency is down: 503 problem+json with Retry-After and a detail that names
 * what is down (PostgreSQL, Temporal, or the workers), never 500 and never a request held past its deadline;
 * /readyz says which check fails and why. And a retried action whose first answer was lost gets that answer.
 * The cluster's fault tests (npm run test:cluster) kill the real processes; these reproduce each outage
 * here with a server that refuses or never answers.
 */
describe('outages', () => {
  const stack = useApiStack('outages');

  const expectUnavailable = (res: request.Response, detail: RegExp) => {
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ type: '/problems/dependency-unavailable', status: 503 });
    expect(res.body.detail).toMatch(detail);
  };

  test('PostgreSQL down: 503 naming the database, and /readyz gives the reason', async () => {
    const prisma = createPrisma(`postgresql://postgres:postgres@127.0.0.1:${await freePort()}/nothing`, 2);
    try {
      const app = testApp({ prisma, client: stack.temporal.client, taskQueue: stack.taskQueue });
      const auth = await bearer('clerk-jsl');
      expectUnavailable(await request(app).get('/api/v1/cases').set('Authorization', auth), /^the database is unavailable \(.+\)$/);
      expectUnavailable(
        await request(app).post('/api/v1/cases').set('Authorization', auth).send({ type: 'promotion', subjectId: 'w-jsl-03', payload: {} }),
        /database/,
      );
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      // A reason code only: /readyz needs no token, so what went wrong goes to the log.
      expect(ready.body.checks).toEqual({ temporal: 'ok', worker: 'ok', database: 'unavailable', projection: 'unknown' });
    } finally {
      await prisma.$disconnect();
    }
  });

  test('no worker on the task queue: /readyz says so, and an action answers 503 naming the task queue', async () => {
    const taskQueue = uniqueTaskQueue('nobody-polls');
    const app = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue, rpcTimeoutMs: 2_000 });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({
      temporal: 'ok',
      database: 'ok',
      worker: 'no-worker',
      projection: 'ok',
    });
    const submitted = await request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } });
    expectUnavailable(submitted, new RegExp(`^no worker is polling the task queue ${taskQueue}$`));
    // The stack's own task queue has its worker.
    const served = await request(stack.app).get('/readyz');
    expect(served.body.checks.worker).toBe('ok');
  });

  test('Temporal hangs: 503 naming Temporal within the deadline, not a request held past it', async () => {
    const hole = await blackhole();
    const connection = Connection.lazy({ address: hole.address });
    try {
      const rpcTimeoutMs = 1_500;
      const app = testApp({ prisma: stack.db.prisma, client: new Client({ connection }), taskQueue: stack.taskQueue, rpcTimeoutMs });
      const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
      const started = Date.now();
      const res = await request(app)
        .post(`/api/v1/cases/${c.id}/actions`)
        .set('Authorization', await bearer('sec-jsl'))
        .send({ action: 'approve' });
      const held = Date.now() - started;
      expectUnavailable(res, /^Temporal did not answer within \d+ ms: it is overloaded or unreachable$/);
      // Not a latency claim: a request held this far past its deadline is the hang this test is about.
      expect(held).toBeLessThan(rpcTimeoutMs * 2);
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(['timeout', 'unavailable']).toContain(ready.body.checks.temporal);
      await stack.drive.act('sec-jsl', c.id, { action: 'withdraw', comment: 'test done' }, 409).catch(() => undefined);
    } finally {
      await connection.close();
      await hole.close();
    }
  });

  describe('a retry with the same Idempotency-Key of an action applied just before the API died', () => {
    /** What the dying API replica did: the Update reached the workflow, but no answer was stored or sent. */
    const appliedThenLost = (caseId: string, actorId: string, key: string, body: Record<string, unknown>) =>
      stack.temporal.client.workflow.getHandle(caseId).executeUpdate(actUpdate, {
        args: [{ ...body, actorId } as never, { requestedAt: new Date().toISOString() }],
        updateId: `${actorId}:${key}`,
      });
    const retry = async (caseId: string, user: string, key: string, body: Record<string, unknown>) =>
      request(stack.app)
        .post(`/api/v1/cases/${caseId}/actions`)
        .set('Authorization', await bearer(user))
        .set('Idempotency-Key', key)
        .send(body);
    const actions = async (caseId: string) =>
      (await stack.db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.action);

    test('gets the case after the action, once, when the action closed the case', async () => {
      const c = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-02', { kind: 'regular' });
      const body = { action: 'withdraw', comment: '申请人撤回' };
      await appliedThenLost(c.id, 'clerk-mtj', 'withdraw-1', body);
      const res = await retry(c.id, 'clerk-mtj', 'withdraw-1', body);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('withdrawn');
      expect((await actions(c.id)).filter((a) => a === 'withdraw')).toHaveLength(1);
      // Stored now: a third attempt is a replay of this answer.
      const third = await retry(c.id, 'clerk-mtj', 'withdraw-1', body);
      expect(third.status).toBe(200);
      expect(third.headers['idempotent-replayed']).toBe('true');
      // Another key for the same action on the closed case is the conflict it always was.
      expect((await retry(c.id, 'clerk-mtj', 'withdraw-2', body)).status).toBe(409);
    });

    test('gets the case after the action, once, when the case goes on', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-02', { kind: 'regular' });
      const body = { action: 'approve', comment: '同意推荐' };
      await appliedThenLost(c.id, 'sec-jsl', 'approve-1', body);
      const res = await retry(c.id, 'sec-jsl', 'approve-1', body);
      expect(res.status).toBe(200);
      expect(res.body.currentStage.id).not.toBe('community-recommendation');
      expect((await actions(c.id)).filter((a) => a === 'approve')).toHaveLength(1);
      await stack.drive.act('clerk-jsl', c.id, { action: 'withdraw', comment: 'test done' });
    });
  });
});
