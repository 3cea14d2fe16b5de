import request from 'supertest';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * National ID numbers minimised (GB/T 35273): masked for everyone everywhere, and nothing that rebuilds one (the
 * birth date it holds: with the region code and the last four characters a masked number shows, it is the whole
 * number) in any response of any role — records, eligibility reasons, case events, dossiers, audit exports. The full
 * number only by an explicit reveal with a reason, recorded in an access log the auditors read.
 */
describe('national ID numbers minimised', () => {
  const stack = useApiStack('national-id-minimisation');
  const ROLES = ['clerk-jsl', 'sec-jsl', 'dgw-nhl-1', 'bsc-nhl-1', 'zzb-1', 'hr-nhl', 'auditor-1', 'admin-1'];

  /** The digits of the birth date an ID number holds, as the number and as a date. */
  async function secretsOf(workerId: string) {
    const w = await stack.db.prisma.communityWorker.findUniqueOrThrow({ where: { id: workerId } });
    const digits = w.nationalId.slice(6, 14);
    return { nationalId: w.nationalId, forms: [digits, `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`] };
  }

  test('no response of any role carries the birth date of an ID number: only the reveal shows the number', async () => {
    const kept = await secretsOf('w-jsl-01');
    const refusedWorker = await secretsOf('w-jsl-08');
    const c = await stack.drive.submitted('clerk-jsl', 'recruitment', 'w-jsl-01', {
      track: 'civil-service',
      targetOrg: '宁海路街道办事处',
      post: '综合管理岗',
    });
    await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', comment: '任职年限和考核情况属实' });
    // Refused for age: the reasons name the age, not the birth date.
    const refused = await stack.drive.submit('clerk-jsl', 'recruitment', 'w-jsl-08', { track: 'civil-service', targetOrg: 'x', post: 'y' });
    expect(refused.status).toBe(422);

    const responses: { who: string; what: string; text: string }[] = [{ who: 'clerk-jsl', what: 'refused submit', text: refused.text }];
    const read = async (who: string, path: string) => {
      const res = await request(stack.app)
        .get(`/api/v1${path}`)
        .set('Authorization', await bearer(who));
      responses.push({ who, what: path, text: res.text });
      return res;
    };
    for (const who of ROLES) {
      for (const path of [
        '/workers?limit=200',
        '/workers?q=w-jsl-0',
        '/workers/w-jsl-01',
        '/workers/w-jsl-08',
        '/workers/w-jsl-01/eligibility',
        '/workers/w-jsl-08/eligibility',
        `/cases/${c.id}`,
        `/cases/${c.id}/events`,
        `/cases/${c.id}/dossier`,
        '/cases?subjectId=w-jsl-01',
        '/inbox',
        '/audit/events?limit=1000',
        '/audit/events?format=csv',
        '/audit/national-id-reveals',
      ])
        await read(who, path);
      const check = await request(stack.app)
        .post('/api/v1/eligibility-checks')
        .set('Authorization', await bearer(who))
        .send({ type: 'recruitment', subjectId: 'w-jsl-08', payload: { track: 'civil-service', targetOrg: 'x', post: 'y' } });
      responses.push({ who, what: 'eligibility check', text: check.text });
    }
    // The reads reached the data: the record, the reasons and the events are there, only without the birth date.
    const record = await read('hr-nhl', '/workers/w-jsl-01');
    expect(record.body).toMatchObject({ nationalId: expect.stringMatching(/^\d{6}\*{8}[0-9X]{4}$/), nationalIdRevealable: true });
    expect(record.body.age).toEqual(expect.any(Number));
    expect((await read('clerk-jsl', '/workers/w-jsl-01')).body.nationalIdRevealable).toBe(false);
    expect(refused.text).toContain('recruitment.age');
    for (const { who, what, text } of responses)
      for (const secret of [...kept.forms, ...refusedWorker.forms, kept.nationalId])
        expect({ who, what, leaks: text.includes(secret) }).toEqual({ who, what, leaks: false });

    // The reveal: one record, with a reason, by those who maintain the record; everyone else is refused.
    const reveal = (who: string, reason: string) =>
      bearer(who).then((token) =>
        request(stack.app).post('/api/v1/workers/w-jsl-01/national-id/reveal').set('Authorization', token).send({ reason }),
      );
    for (const who of ['clerk-jsl', 'sec-jsl', 'dgw-nhl-1', 'auditor-1', 'hr-hnl']) {
      const res = await reveal(who, '核对身份信息');
      expect({ who, status: res.status }).toEqual({ who, status: who === 'hr-hnl' ? 404 : 403 });
      expect(res.text).not.toContain(kept.nationalId);
    }
    expect((await reveal('hr-nhl', '')).status).toBe(400);
    const shown = await reveal('hr-nhl', '办理社保转移，核对身份证号');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ workerId: 'w-jsl-01', nationalId: kept.nationalId });

    // The access log: who, when, which record, why; auditors only.
    const log = await read('auditor-1', '/audit/national-id-reveals?workerId=w-jsl-01');
    expect(log.body.items).toEqual([
      { id: expect.any(String), userId: 'hr-nhl', workerId: 'w-jsl-01', reason: '办理社保转移，核对身份证号', at: shown.body.revealedAt },
    ]);
    expect((await read('hr-nhl', '/audit/national-id-reveals')).status).toBe(403);
    expect(
      await stack.db.prisma.auditAccess.count({ where: { userId: 'auditor-1', route: '/audit/national-id-reveals' } }),
    ).toBeGreaterThan(0);
  });

  test('the access log pages by time and id, and refuses a forged cursor with a 400', async () => {
    for (const reason of ['第一次核对', '第二次核对', '第三次核对']) {
      const res = await request(stack.app)
        .post('/api/v1/workers/w-jyj-02/national-id/reveal')
        .set('Authorization', await bearer('admin-1'))
        .send({ reason });
      expect(res.status).toBe(200);
    }
    const auditor = await bearer('auditor-2');
    const reasons: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(stack.app)
        .get('/api/v1/audit/national-id-reveals')
        .query({ workerId: 'w-jyj-02', limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', auditor);
      expect(page.status).toBe(200);
      reasons.push(...page.body.items.map((r: { reason: string }) => r.reason));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Reveals in the same millisecond order by id: every one is listed once, across the pages.
    expect(reasons.sort()).toEqual(['第一次核对', '第二次核对', '第三次核对'].sort());
    const forged = await request(stack.app).get('/api/v1/audit/national-id-reveals?cursor=bm90LWEtY3Vyc29y').set('Authorization', auditor);
    expect(forged.status).toBe(400);
  });
});
