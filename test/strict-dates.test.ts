import request from 'supertest';
import { makeNationalId } from '../domain/national-id';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Calendar dates are checked strictly wherever they come in (domain/dates.ts, `calendarDate`): a day the month
 * does not have (2024-02-30) is refused instead of being read as 1 March, and so is a month that does not exist
 * (2024-13-45), each with a 400 that names the field.
 */
describe('impossible dates are refused with 400 naming the field', () => {
  const stack = useApiStack('strict-dates');
  const IMPOSSIBLE = ['2024-02-30', '2024-13-45', '2023-02-29', '0000-01-01'];

  // An error-tolerance application comes after accountability proceedings started (the rules, #15).
  const ACCOUNTABILITY = { accountabilityRef: '鼓纪问〔2026〕7号', accountabilityStartedOn: '2026-08-01' };
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  test.each(IMPOSSIBLE)('a payload date: incidentDate %s', async (day) => {
    const res = await stack.drive.submit('clerk-jsl', 'error-tolerance', 'w-jsl-03', {
      incidentDate: day,
      description: '防汛抢险中未经审批临时调用物资',
      emergency: true,
      ...ACCOUNTABILITY,
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['payload.incidentDate']);
  });

  test('a date in a resubmitted payload', async () => {
    const c = await stack.drive.submitted('clerk-jsl', 'error-tolerance', 'w-jsl-05', {
      incidentDate: '2026-07-20',
      description: '防汛抢险中未经审批临时调用物资',
      emergency: true,
      ...ACCOUNTABILITY,
    });
    await stack.drive.act('jgw-nhl-1', c.id, { action: 'return', comment: '请补充材料' });
    const res = await request(stack.app)
      .post(`/api/v1/cases/${c.id}/actions`)
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ action: 'resubmit', payload: { incidentDate: '2024-02-30', description: '补充', emergency: true, ...ACCOUNTABILITY } });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['payload.incidentDate']);
  });

  test('stage data of type date, in the workflow Update validator', async () => {
    // Verified by the street commission, on the person's written application (which states their wishes).
    const c = await stack.drive.submitted('clerk-jsl', 'name-clearing', 'w-jsl-10', {
      accusationRef: 'XF-2026-0901',
      findingSummary: '反映问题经核查不属实',
      verifiedBy: 'street-discipline',
      initiatedBy: 'written-application',
      requestedMethod: 'written',
      requestedScope: '本人',
    });
    await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { finding: 'untrue' } });
    const approver = (await stack.drive.get('clerk-jsl', c.id)).body.assignees[0] as string;
    await stack.drive.act(approver, c.id, { action: 'approve' });
    const clearance = await stack.drive.get('clerk-jsl', c.id);
    expect(clearance.body.currentStage.id).toBe('clearance');
    const handler = (clearance.body.assignees as string[]).find((u) => u !== approver) as string;
    const data = { method: 'written', scope: '本人', writtenNoticeRef: 'r' };
    for (const day of IMPOSSIBLE) {
      const refused = await stack.drive.act(handler, c.id, { action: 'approve', data: { ...data, clearedOn: day } }, 400);
      expect(refused.detail).toMatch(/^data\.clearedOn: expected a calendar date/);
    }
    const accepted = await stack.drive.act(handler, c.id, { action: 'approve', data: { ...data, clearedOn: '2024-02-29' } });
    expect(accepted.lastSeq).toBeGreaterThan(0);
  });

  test.each(IMPOSSIBLE)('personnel records: a new worker and a disciplinary record with %s', async (day) => {
    const hr = await bearer('hr-nhl');
    const created = await request(stack.app)
      .post('/api/v1/workers')
      .set('Authorization', hr)
      .send({
        id: `w-jsl-date-${day}`,
        name: '日期测试',
        nationalId: makeNationalId('320106', '1995-05-05', 880, 'female'),
        education: 'bachelor',
        postType: 'general',
        employmentType: 'contract',
        orgUnitId: 'jsl',
        grade: 2,
        gradeSince: day,
        hireDate: '2025-09-01',
        postSince: '2025-09-01',
        qualification: { level: 'assistant', obtainedOn: day, eligibility: null },
      });
    expect(created.status).toBe(400);
    expect(fieldsOf(created.body)).toEqual(['gradeSince', 'qualification.obtainedOn']);

    const discipline = await request(stack.app)
      .post('/api/v1/workers/w-jsl-03/disciplinary-records')
      .set('Authorization', hr)
      .send({ kind: 'government_warning', startDate: day, termEnd: null, reason: '测试' });
    expect(discipline.status).toBe(400);
    expect(fieldsOf(discipline.body)).toEqual(['startDate']);
  });

  test.each(IMPOSSIBLE)('queries: submittedFrom=%s, and the same day inside an instant', async (day) => {
    const auth = await bearer('auditor-1');
    const asDate = await request(stack.app).get(`/api/v1/cases?submittedFrom=${day}`).set('Authorization', auth);
    expect(asDate.status).toBe(400);
    expect(fieldsOf(asDate.body)).toEqual(['query.submittedFrom']);
    const asInstant = await request(stack.app)
      .get(`/api/v1/audit/events?from=${encodeURIComponent(`${day}T08:00:00+08:00`)}`)
      .set('Authorization', auth);
    expect(asInstant.status).toBe(400);
    expect(fieldsOf(asInstant.body)).toEqual(['query.from']);
  });

  test('real dates and instants still pass', async () => {
    const auth = await bearer('auditor-1');
    for (const q of ['submittedFrom=2024-02-29', `decidedTo=${encodeURIComponent('2026-11-27T10:00:00.000Z')}`]) {
      expect((await request(stack.app).get(`/api/v1/cases?${q}`).set('Authorization', auth)).status).toBe(200);
    }
  });

  test('the calendar an administrator loads', async () => {
    const res = await request(stack.app)
      .put('/api/v1/calendar/2031')
      .set('Authorization', await bearer('admin-1'))
      .send({ source: '测试', holidays: ['2031-01-01', '2031-02-30'], makeUpWorkdays: ['2031-13-45'] });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['holidays.1', 'makeUpWorkdays.0']);
  });
});
