import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { createTokenVerifier } from '../api/auth';
import { makeNationalId } from '../domain/national-id';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { ledgerSigner } from '../infra/ledger-key';
import { REDACTED_PATHS } from '../infra/logger';
import { SEED_WORKERS } from '../prisma/seed';
import { createStore } from '../store';
import { bearer, TEST_AUTH } from './helpers/api';
import { TEST_CHALLENGE_SECRET, TEST_LEDGER_KEY } from './helpers/database';
import { TEST_TODAY } from './helpers/env';
import { useApiStack } from './helpers/stack';

/** The personnel records API: reading, searching and maintaining records, eligibility, the calendar. */
describe('records API', () => {
  const stack = useApiStack('records');

  test('every seeded worker has readable eligibility reasons for promotion and recruitment', async () => {
    const auth = await bearer('auditor-1');
    expect(SEED_WORKERS).toHaveLength(44); // ten profiles and the clerk in each of four communities
    for (const w of SEED_WORKERS) {
      const res = await request(stack.app).get(`/api/v1/workers/${w.id}/eligibility`).set('Authorization', auth);
      expect(res.status).toBe(200);
      expect(res.body.asOf).toBe(TEST_TODAY);
      for (const label of ['promotion:regular', 'promotion:early', 'recruitment:civil-service', 'recruitment:public-institution']) {
        const result = res.body.results[label];
        expect(result.reasons.length).toBeGreaterThan(0);
        for (const reason of result.reasons) {
          expect(reason.ruleId).toMatch(/^[a-z-]+\.[a-z0-9.-]+$/);
          expect(reason.detail.zh.length).toBeGreaterThan(2);
          expect(reason.detail.en.length).toBeGreaterThan(2);
          expect(Object.keys(reason.data).length).toBeGreaterThan(0);
        }
        expect(result.eligible).toBe(result.reasons.every((r: { passed: boolean }) => r.passed));
      }
    }
    // The seeded profiles come out as their descriptions say.
    const results = async (id: string) =>
      (await request(stack.app).get(`/api/v1/workers/${id}/eligibility`).set('Authorization', auth)).body.results;
    expect((await results('w-jsl-01'))['recruitment:civil-service'].eligible).toBe(true);
    expect((await results('w-jsl-03'))['promotion:regular']).toMatchObject({
      eligible: true,
      proposal: { fromGrade: 5, toGrade: 6, effectiveFrom: '2026-01-01' },
    });
    expect((await results('w-jsl-04'))['promotion:regular'].eligible).toBe(false);
    expect((await results('w-jsl-07'))['promotion:regular'].reasons.find((r: { passed: boolean }) => !r.passed).detail.en).toMatch(
      /in effect/,
    );
    expect((await results('w-jsl-08'))['promotion:regular'].eligible).toBe(false);
  });

  test('the record shows history, deadlines and exit situations, with the ID number masked', async () => {
    const res = await request(stack.app)
      .get('/api/v1/workers/w-jsl-05')
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'w-jsl-05',
      nationalId: expect.stringMatching(/^320106\*{8}[0-9X]{4}$/),
      assessments: expect.arrayContaining([{ year: 2025, result: 'incompetent' }]),
      exitTriggers: expect.arrayContaining([expect.objectContaining({ reasonCode: 'consecutive-incompetent' })]),
    });
    const nine = await request(stack.app)
      .get('/api/v1/workers/w-jsl-09')
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(nine.body.qualificationDeadline).toEqual({
      deadline: '2026-12-15',
      countsFrom: '2023-12-15',
      daysLeft: 18,
      overdue: false,
      warn: true,
    });
    expect(nine.body.qualification.eligibility).toEqual({
      since: '2023-12-15',
      basis: 'other_bachelor_2y',
      evidence: '学历证书、社会工作年限证明（演示）',
    });
    const ten = await request(stack.app)
      .get('/api/v1/workers/w-jsl-10')
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(ten.body.qualificationDeadline).toMatchObject({ deadline: '2025-06-01', overdue: true });
    const secretary = await request(stack.app)
      .get('/api/v1/workers/w-jsl-01')
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(secretary.body).toMatchObject({ partyPost: 'secretary', residentsCommitteePost: 'director', secretaryFullTerms: 3 });
  });

  test('the date of eligibility for the exam is a recorded fact with its basis and evidence; the deadline binds those hired after the rule', async () => {
    const hr = await bearer('hr-nhl');
    // Hired in 2016, before the 16条's deadline took effect: no deadline runs, whatever the date of eligibility.
    const put = (id: string, body: Record<string, unknown>) =>
      request(stack.app).put(`/api/v1/workers/${id}/qualification-eligibility`).set('Authorization', hr).send(body);
    const noEvidence = await put('w-jsl-06', { since: '2019-07-01', basis: 'other_college_4y', evidence: ' ' });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.errors[0].field).toBe('evidence');
    const migratedBasis = await put('w-jsl-06', { since: '2019-07-01', basis: 'migrated', evidence: 'x' });
    expect(migratedBasis.status).toBe(400);
    const recorded = await put('w-jsl-06', { since: '2019-07-01', basis: 'other_college_4y', evidence: '大专毕业证书、社会工作经历证明' });
    expect(recorded.status).toBe(200);
    expect(recorded.body.qualification.eligibility).toEqual({
      since: '2019-07-01',
      basis: 'other_college_4y',
      evidence: '大专毕业证书、社会工作经历证明',
    });
    // w-jsl-06 holds a certificate: no deadline in any case. w-jsl-10, hired in 2025 and not certified, has one.
    expect(recorded.body.qualificationDeadline).toBeNull();
    const moved = await put('w-jsl-10', { since: '2024-07-01', basis: 'social_work_bachelor', evidence: '社会工作专业学位证书' });
    expect(moved.body.qualificationDeadline).toMatchObject({ deadline: '2027-07-01', countsFrom: '2024-07-01', overdue: false });
  });

  test('search, filters and keyset pagination with a total', async () => {
    const auth = await bearer('auditor-1');
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(stack.app)
        .get(`/api/v1/workers?limit=15${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', auth);
      expect(res.body.total).toBe(SEED_WORKERS.length);
      pages.push(...res.body.items.map((w: { id: string }) => w.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(SEED_WORKERS.length);
    expect(new Set(pages).size).toBe(SEED_WORKERS.length);
    const heads = await request(stack.app).get('/api/v1/workers?postType=head&orgUnitId=nhl').set('Authorization', auth);
    expect(heads.body.items.map((w: { id: string }) => w.id)).toEqual(['w-jsl-01', 'w-jyj-01']);
    const byName = await request(stack.app)
      .get(`/api/v1/workers?q=${encodeURIComponent(SEED_WORKERS[0]!.name)}`)
      .set('Authorization', auth);
    expect(byName.body.items.map((w: { id: string }) => w.id)).toContain(SEED_WORKERS[0]!.id);
    const bad = await request(stack.app).get('/api/v1/workers?limit=1000').set('Authorization', auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.limit');
  });

  test('assessments and disciplinary records are added by those who maintain the records', async () => {
    const hr = await bearer('hr-nhl');
    const added = await request(stack.app)
      .post('/api/v1/workers/w-jsl-04/assessments')
      .set('Authorization', hr)
      .send({ year: 2026, result: 'excellent' });
    expect(added.status).toBe(201);
    expect(added.body.assessments).toContainEqual({ year: 2026, result: 'excellent' });
    const twice = await request(stack.app)
      .post('/api/v1/workers/w-jsl-04/assessments')
      .set('Authorization', hr)
      .send({ year: 2026, result: 'competent' });
    expect(twice.status).toBe(409);
    const future = await request(stack.app)
      .post('/api/v1/workers/w-jsl-04/assessments')
      .set('Authorization', hr)
      .send({ year: 2027, result: 'competent' });
    expect(future.status).toBe(400);
    const post = (body: Record<string, unknown>) =>
      request(stack.app).post('/api/v1/workers/w-jsl-04/disciplinary-records').set('Authorization', hr).send(body);
    // The first release's kinds are refused: 降级 is a civil-servant sanction, 留用察看 an obsolete enterprise one.
    for (const kind of ['demotion', 'dismissal_probation', 'warning']) {
      expect((await post({ kind, startDate: '2026-05-01', reason: 'x' })).status).toBe(400);
    }
    // A 留党察看 states the end of its term; no other kind has one.
    const noTerm = await post({ kind: 'party_probation', startDate: '2026-05-01', reason: 'x' });
    expect(noTerm.status).toBe(400);
    expect(noTerm.body.errors[0].field).toBe('termEnd');
    const term = await post({ kind: 'government_warning', startDate: '2026-05-01', termEnd: '2026-11-01', reason: 'x' });
    expect(term.status).toBe(400);
    const demerit = await post({ kind: 'government_demerit', startDate: '2026-11-01', reason: '失职' });
    expect(demerit.status).toBe(201);
    expect(demerit.body.disciplinary).toContainEqual(
      expect.objectContaining({ kind: 'government_demerit', startDate: '2026-11-01', termEnd: null, migratedFrom: null }),
    );
    // A measure in force now blocks a commendation.
    const check = await request(stack.app)
      .post('/api/v1/eligibility-checks')
      .set('Authorization', hr)
      .send({ type: 'commendation', subjectId: 'w-jsl-04', payload: { awardTitle: 't', achievements: 'a' } });
    expect(check.body.eligible).toBe(false);
  });

  test('adding a worker validates the national ID number and the grade band', async () => {
    const admin = await bearer('admin-1');
    const base = {
      id: 'w-jsl-new',
      name: '新同志',
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      orgUnitId: 'jsl',
      grade: 2,
      gradeSince: '2026-01-01',
      hireDate: '2025-09-01',
      postSince: '2025-09-01',
    };
    const valid = makeNationalId('320106', '1995-05-05', 900, 'female');
    const wrong = `${valid.slice(0, 17)}${valid[17] === '1' ? '2' : '1'}`;
    const wrongCheck = await request(stack.app)
      .post('/api/v1/workers')
      .set('Authorization', admin)
      .send({ ...base, nationalId: wrong });
    expect(wrongCheck.status).toBe(400);
    expect(wrongCheck.body.detail).toBe('nationalId: has a wrong check character');
    const nationalId = makeNationalId('320106', '1995-05-05', 901, 'female');
    const outsideBand = await request(stack.app)
      .post('/api/v1/workers')
      .set('Authorization', admin)
      .send({ ...base, nationalId, grade: 13 });
    expect(outsideBand.status).toBe(400);
    const created = await request(stack.app)
      .post('/api/v1/workers')
      .set('Authorization', admin)
      .send({ ...base, nationalId });
    expect(created.status).toBe(201);
    // Read back masked, with the age (31 on the pinned today) and not the birth date the number holds.
    expect(created.body).toMatchObject({ gender: 'female', age: 31, nationalId: `320106********${nationalId.slice(-4)}` });
    expect(created.text).not.toContain('19950505');
    const again = await request(stack.app)
      .post('/api/v1/workers')
      .set('Authorization', admin)
      .send({ ...base, id: 'w-jsl-new2', nationalId });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(nationalId);
  });

  test("an administrator loads next year's calendar; others may not", async () => {
    const body = {
      source: '国务院办公厅关于2027年部分节假日安排的通知',
      holidays: ['2027-01-01', '2027-02-08'],
      makeUpWorkdays: ['2027-02-06'],
    };
    expect(
      (
        await request(stack.app)
          .put('/api/v1/calendar/2027')
          .set('Authorization', await bearer('hr-nhl'))
          .send(body)
      ).status,
    ).toBe(403);
    const wrongYear = await request(stack.app)
      .put('/api/v1/calendar/2027')
      .set('Authorization', await bearer('admin-1'))
      .send({ ...body, holidays: ['2028-01-01'] });
    expect(wrongYear.status).toBe(400);
    const loaded = await request(stack.app)
      .put('/api/v1/calendar/2027')
      .set('Authorization', await bearer('admin-1'))
      .send(body);
    expect(loaded.status).toBe(200);
    const read = await request(stack.app)
      .get('/api/v1/calendar/2027')
      .set('Authorization', await bearer('clerk-jsl'));
    expect(read.body).toEqual({
      year: 2027,
      source: body.source,
      provisional: false,
      holidays: body.holidays,
      makeUpWorkdays: body.makeUpWorkdays,
    });
    const seeded = await request(stack.app)
      .get('/api/v1/calendar/2026')
      .set('Authorization', await bearer('clerk-jsl'));
    expect(seeded.body).toMatchObject({ provisional: false, makeUpWorkdays: expect.arrayContaining(['2026-09-20', '2026-10-10']) });
  });

  test('the rule set in force and the organisation tree are readable', async () => {
    const auth = await bearer('clerk-jsl');
    const rules = await request(stack.app).get('/api/v1/rule-set').set('Authorization', auth);
    expect(rules.body).toMatchObject({ id: 'demo', grades: { stepYears: 3 }, provenance: expect.any(Object) });
    const units = await request(stack.app).get('/api/v1/org-units').set('Authorization', auth);
    expect(units.body.items.find((u: { id: string }) => u.id === 'nhl-dgw')).toMatchObject({
      kind: 'department',
      departmentType: 'party_committee',
      parentId: 'nhl',
    });
  });

  test('no log line carries a national ID number or a token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logged = createApp({
      store: createStore(stack.db.prisma),
      temporal: { client: stack.temporal.client, taskQueue: stack.taskQueue, rpcTimeoutMs: 5_000 },
      verifyToken: createTokenVerifier(TEST_AUTH),
      ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
      logger: pino({ level: 'trace', redact: REDACTED_PATHS }, sink),
      today: () => TEST_TODAY,
      ledgerSigner: ledgerSigner(TEST_LEDGER_KEY),
      publicChallengeSecret: TEST_CHALLENGE_SECRET,
    });
    const token = await bearer('admin-1');
    const full = (
      await request(logged).post('/api/v1/workers/w-jsl-03/national-id/reveal').set('Authorization', token).send({ reason: '核对档案' })
    ).body.nationalId as string;
    expect(full).toMatch(/^320106\d{11}[0-9X]$/);
    await request(logged).get(`/api/v1/workers?q=${full}`).set('Authorization', token);
    await request(logged).post('/api/v1/workers').set('Authorization', token).send({
      id: 'x',
      name: 'x',
      nationalId: full,
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      orgUnitId: 'jsl',
      grade: 2,
      gradeSince: '2026-01-01',
      hireDate: '2026-01-01',
      postSince: '2026-01-01',
    });
    await request(logged).get('/api/v1/workers/w-jsl-03').set('Authorization', 'Bearer not-a-token');
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    expect(log).not.toContain(full);
    expect(log).not.toContain(token.replace('Bearer ', ''));
    expect(log).not.toContain('not-a-token');
  });
});
