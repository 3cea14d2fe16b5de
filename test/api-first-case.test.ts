import request from 'supertest';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/** The first case end to end through HTTP: real API, real Temporal dev server, real worker and PostgreSQL. */
describe('a case through the HTTP API', () => {
  const stack = useApiStack('api-first-case');

  async function waitForStatus(caseId: string, status: string) {
    for (let i = 0; i < 100; i += 1) {
      const res = await request(stack.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await bearer('clerk-jsl'));
      if (res.body.status === status) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`case ${caseId} did not reach ${status}`);
  }

  const submit = async (subjectId: string) =>
    request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId, payload: { kind: 'regular' } });

  test('a clerk submits; the community recommends, the street decides, the notice runs, the grade rises', async () => {
    const before = await stack.db.prisma.communityWorker.findUniqueOrThrow({ where: { id: 'w-jsl-03' } });

    const created = await submit('w-jsl-03');
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/cases/${created.body.id}`);
    expect(created.body).toMatchObject({
      type: 'promotion',
      status: 'in_review',
      subject: { id: 'w-jsl-03' },
      applicantId: 'clerk-jsl',
      currentStage: { id: 'community-recommendation', mode: 'any' },
      assignees: ['dep-jsl', 'sec-jsl'],
      ruleSet: { id: 'demo', version: 2 },
    });
    expect(created.body.allowedActions).toEqual(expect.arrayContaining(['withdraw', 'remind', 'comment']));
    expect(created.body.allowedActions).not.toContain('approve');
    // So is the submission's.
    const readAs = async (userId: string) => {
      const res = await request(stack.app)
        .get(`/api/v1/cases/${created.body.id}`)
        .set('Authorization', await bearer(userId));
      // GET /cases/:id only: the case's appeals and the cases its payload names.
      const { appeals: _appeals, references: _references, ...view } = res.body as Record<string, unknown>;
      return view;
    };
    expect(created.body).toEqual(await readAs('clerk-jsl'));
    const url = `/api/v1/cases/${created.body.id}/actions`;

    const recommended = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('sec-jsl'))
      .send({ action: 'approve', comment: '同意推荐' });
    expect(recommended.status).toBe(200);
    expect(recommended.body).toMatchObject({
      status: 'in_review',
      currentStage: { id: 'street-decision' },
      assignees: ['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3'],
    });

    // The action's answer is the workflow's (the Update's result), not read back: it is the case exactly as the
    // read model then answers it to the sender.
    expect(recommended.body).toEqual(await readAs('sec-jsl'));

    const read = await request(stack.app)
      .get(`/api/v1/cases/${created.body.id}`)
      .set('Authorization', await bearer('dgw-nhl-2'));
    expect(read.status).toBe(200);
    // The street party committee decides at a meeting: one member records it, with every member's vote.
    expect(read.body.currentStage).toMatchObject({ id: 'street-decision', mode: 'collective' });
    expect(read.body.allowedActions).toEqual(expect.arrayContaining(['record-meeting', 'return']));
    expect(read.body.allowedActions).not.toContain('approve');

    const meetingDate = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const members = [
      { userId: 'dgw-nhl-1', attendance: 'present', vote: 'for' },
      { userId: 'dgw-nhl-2', attendance: 'present', vote: 'for' },
      { userId: 'dgw-nhl-3', attendance: 'absent', reason: '外出学习' },
    ];
    const approved = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('dgw-nhl-2'))
      .send({ action: 'record-meeting', meetingDate, members, minutes: '党工委2026年第20次会议纪要', resolution: '同意晋升' });
    expect(approved.status).toBe(200);
    // The demo rule set's notice lasts three seconds.
    expect(approved.body).toMatchObject({
      status: 'public_notice',
      currentStage: { id: 'street-decision' },
      allowedActions: ['comment', 'object'],
    });

    const completed = await waitForStatus(created.body.id, 'completed');
    expect(completed).toMatchObject({ outcome: 'approved', currentStage: null, assignees: [], allowedActions: [] });

    const after = await stack.db.prisma.communityWorker.findUniqueOrThrow({ where: { id: 'w-jsl-03' } });
    expect(after.grade).toBe(before.grade + 1);
    const history = await stack.db.prisma.gradeChange.findUniqueOrThrow({ where: { caseId: created.body.id } });
    // Three years in grade 5 were complete on 2026-01-01, so the new grade counts from then (从次年1月起).
    expect(history).toMatchObject({
      fromGrade: before.grade,
      toGrade: before.grade + 1,
      reason: 'regular',
      effectiveFrom: new Date('2026-01-01T00:00:00.000Z'),
    });

    const events = await stack.db.prisma.caseEvent.findMany({ where: { caseId: created.body.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual([
      'submit',
      'stage_opened',
      'approve',
      'stage_opened',
      'eligibility_rechecked',
      'record-meeting',
      'notice_opened',
      'notice_completed',
      'outcome_applied',
      'complete',
    ]);
    expect(events[5]).toMatchObject({
      actorId: 'dgw-nhl-2',
      comment: '党工委2026年第20次会议纪要',
      fromStatus: 'in_review',
      toStatus: 'in_review',
      data: {
        meeting: { meetingDate, members, resolution: '同意晋升', tally: { expected: 3, present: 2, for: 2, quorate: true, passed: true } },
      },
    });

    // The workflow ran on the real server and finished with the case (its last task may still be completing when
    // the case's record says complete: wait for the run's result rather than racing it).
    const handle = stack.temporal.client.workflow.getHandle(created.body.id);
    await handle.result();
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
  });

  test('an ineligible worker is refused with the rule reasons', async () => {
    const refused = await submit('w-jsl-04'); // only two years in grade
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('/problems/business-rule');
    const failed = refused.body.reasons.filter((r: { passed: boolean }) => !r.passed);
    expect(failed).toEqual([
      expect.objectContaining({
        ruleId: expect.stringMatching(/^promotion\./),
        detail: { zh: expect.any(String), en: expect.any(String) },
      }),
    ]);
  });

  test('a rejection needs a reason, then ends the case', async () => {
    const created = await submit('w-jsl-01');
    expect(created.status).toBe(201);
    // w-jsl-01 is the community secretary: recused, so only the deputy is asked.
    expect(created.body.assignees).toEqual(['dep-jsl']);
    const url = `/api/v1/cases/${created.body.id}/actions`;
    const auth = await bearer('dep-jsl');

    const noReason = await request(stack.app).post(url).set('Authorization', auth).send({ action: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'comment' })]);

    const rejected = await request(stack.app).post(url).set('Authorization', auth).send({ action: 'reject', comment: '考核材料不全' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', outcome: null });

    const again = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('dep-jsl'))
      .send({ action: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/conflict', detail: 'the case is rejected' });
  });

  test('only assigned approvers decide, and the acting user comes from the token', async () => {
    const outside = await submit('w-jyj-03');
    // clerk-jsl serves 江苏路社区 only: a worker elsewhere answers as an unknown one (a 403 would confirm it exists).
    expect(outside.status).toBe(404);

    const created = await submit('w-jsl-02');
    expect(created.status).toBe(201);
    // The subject (dep-jsl) has an account; they are never assigned to their own case.
    expect(created.body.assignees).toEqual(['sec-jsl']);
    const url = `/api/v1/cases/${created.body.id}/actions`;
    const bySubject = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('dep-jsl'))
      .send({ action: 'approve' });
    expect(bySubject.status).toBe(403);
    expect(bySubject.body.detail).toMatch(/recused/);
    // The clerk who submitted is not an approver; an actorId in the body changes nothing.
    const byClerk = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ action: 'approve', actorId: 'sec-jsl' });
    expect(byClerk.status).toBe(403);
    // A member of another community's party organisation cannot even see the case.
    const otherCommunity = await request(stack.app)
      .post(url)
      .set('Authorization', await bearer('sec-mtj'))
      .send({ action: 'approve' });
    expect(otherCommunity.status).toBe(404);
  });

  test('requests without a valid token are refused', async () => {
    const none = await request(stack.app).get('/api/v1/cases/whatever');
    expect(none.status).toBe(401);
    expect(none.body.type).toBe('/problems/unauthenticated');
    const forged = await request(stack.app)
      .get('/api/v1/cases/whatever')
      .set('Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbi0xIn0.');
    expect(forged.status).toBe(401);
  });

  test('bad input gets a 4xx naming the problem', async () => {
    const auth = await bearer('clerk-jsl');
    const unknownType = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .send({ type: 'nope', subjectId: 'w-jsl-03', payload: {} });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors[0].field).toBe('type');
    const missingField = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: {} });
    expect(missingField.status).toBe(400);
    expect(missingField.body.errors[0].field).toBe('payload.kind');
    const malformed = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"type":');
    expect(malformed.status).toBe(400);
    const unknownCase = await request(stack.app).get('/api/v1/cases/00000000-0000-4000-8000-000000000000').set('Authorization', auth);
    expect(unknownCase.status).toBe(404);
  });

  test('health and readiness', async () => {
    expect((await request(stack.app).get('/healthz')).status).toBe(200);
    const ready = await request(stack.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: 'ok', database: 'ok', worker: 'ok', projection: 'ok' });
  });
});
