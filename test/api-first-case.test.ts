import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { bearer, testApp } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createTestWorker, devServer, uniqueTaskQueue } from './helpers/temporal';

/** The first case end to end through HTTP: real API, real Temporal dev server, real worker and PostgreSQL. */
describe('a case through the HTTP API', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let worker: Worker;
  let running: Promise<void>;
  let app: Express;

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    const taskQueue = uniqueTaskQueue('api-first-case');
    worker = await createTestWorker(temporal.nativeConnection, taskQueue, db.prisma);
    running = worker.run();
    app = testApp({ prisma: db.prisma, client: temporal.client, taskQueue });
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await temporal.close();
    await db.drop();
  });

  const submit = async (subjectId: string) =>
    request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId, payload: { kind: 'regular' } });

  test('a clerk submits, a street committee member approves, the grade rises', async () => {
    const before = await db.prisma.communityWorker.findUniqueOrThrow({ where: { id: 'w-jsl-03' } });

    const created = await submit('w-jsl-03');
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/cases/${created.body.id}`);
    expect(created.body).toMatchObject({
      type: 'promotion',
      status: 'in_review',
      subject: { id: 'w-jsl-03' },
      applicantId: 'clerk-jsl',
      currentStage: { key: 'street-decision', mode: 'any' },
      assignees: ['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3'],
      ruleSet: { id: 'demo', version: 1 },
    });
    expect(created.body.allowedActions).toEqual(expect.arrayContaining(['withdraw', 'remind', 'comment']));
    expect(created.body.allowedActions).not.toContain('approve');

    const read = await request(app).get(`/api/v1/cases/${created.body.id}`).set('Authorization', await bearer('dgw-nhl-2'));
    expect(read.status).toBe(200);
    expect(read.body.allowedActions).toEqual(expect.arrayContaining(['approve', 'reject', 'return', 'transfer']));

    const approved = await request(app)
      .post(`/api/v1/cases/${created.body.id}/actions`)
      .set('Authorization', await bearer('dgw-nhl-2'))
      .send({ action: 'approve', comment: '同意晋升' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'completed', outcome: 'approved', currentStage: null, assignees: [], allowedActions: [] });

    const after = await db.prisma.communityWorker.findUniqueOrThrow({ where: { id: 'w-jsl-03' } });
    expect(after.grade).toBe(before.grade + 1);
    const history = await db.prisma.gradeChange.findUniqueOrThrow({ where: { caseId: created.body.id } });
    expect(history).toMatchObject({ fromGrade: before.grade, toGrade: before.grade + 1 });

    const events = await db.prisma.caseEvent.findMany({ where: { caseId: created.body.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['submit', 'stage_opened', 'approve', 'outcome_applied', 'complete']);
    expect(events[2]).toMatchObject({ actorId: 'dgw-nhl-2', comment: '同意晋升', fromStatus: 'in_review', toStatus: 'in_review' });

    // The workflow ran on the real server and finished with the case.
    const description = await temporal.client.workflow.getHandle(created.body.id).describe();
    expect(description.status.name).toBe('COMPLETED');
  });

  test('a rejection needs a reason, then ends the case', async () => {
    const created = await submit('w-jsl-04');
    expect(created.status).toBe(201);
    const url = `/api/v1/cases/${created.body.id}/actions`;
    const auth = await bearer('dgw-nhl-1');

    const noReason = await request(app).post(url).set('Authorization', auth).send({ action: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'comment' })]);

    const rejected = await request(app).post(url).set('Authorization', auth).send({ action: 'reject', comment: '考核材料不全' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', outcome: null });

    const again = await request(app).post(url).set('Authorization', await bearer('dgw-nhl-2')).send({ action: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/conflict', detail: 'the case is rejected' });
  });

  test('only assigned approvers decide, and the acting user comes from the token', async () => {
    const outside = await submit('w-jyj-03');
    expect(outside.status).toBe(403); // clerk-jsl serves 江苏路社区 only

    const created = await submit('w-jsl-02');
    expect(created.status).toBe(201);
    // The subject (dep-jsl) has an account; they are never assigned to their own case.
    expect(created.body.assignees).not.toContain('dep-jsl');
    const url = `/api/v1/cases/${created.body.id}/actions`;
    // The clerk who submitted is not an approver of the stage.
    const byClerk = await request(app).post(url).set('Authorization', await bearer('clerk-jsl')).send({ action: 'approve', actorId: 'dgw-nhl-1' });
    expect(byClerk.status).toBe(403);
    // A member of the other street's committee is not assigned.
    const otherStreet = await request(app).post(url).set('Authorization', await bearer('dgw-hnl-1')).send({ action: 'approve' });
    expect(otherStreet.status).toBe(404);
  });

  test('requests without a valid token are refused', async () => {
    const none = await request(app).get('/api/v1/cases/whatever');
    expect(none.status).toBe(401);
    expect(none.body.type).toBe('/problems/unauthenticated');
    const forged = await request(app).get('/api/v1/cases/whatever').set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbi0xIn0.');
    expect(forged.status).toBe(401);
  });

  test('bad input gets a 4xx naming the problem', async () => {
    const auth = await bearer('clerk-jsl');
    const unknownType = await request(app).post('/api/v1/cases').set('Authorization', auth).send({ type: 'nope', subjectId: 'w-jsl-03', payload: {} });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors[0].field).toBe('type');
    const missingField = await request(app).post('/api/v1/cases').set('Authorization', auth).send({ type: 'promotion', subjectId: 'w-jsl-03', payload: {} });
    expect(missingField.status).toBe(400);
    expect(missingField.body.errors[0].field).toBe('payload.kind');
    const malformed = await request(app).post('/api/v1/cases').set('Authorization', auth).set('Content-Type', 'application/json').send('{"type":');
    expect(malformed.status).toBe(400);
    const unknownCase = await request(app).get('/api/v1/cases/00000000-0000-4000-8000-000000000000').set('Authorization', auth);
    expect(unknownCase.status).toBe(404);
  });

  test('health and readiness', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: 'ok', database: 'ok' });
  });
});
