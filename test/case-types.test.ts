import request from 'supertest';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * The six case types of the 16 measures, each end to end through HTTP with tokens of the seeded users, to
 * every final status it can reach, with the effect on the worker's record.
 */
describe('case types end to end', () => {
  const stack = useApiStack('case-types');

  const record = (id: string) => stack.db.prisma.communityWorker.findUniqueOrThrow({ where: { id } });

  test('GET /case-types lists the six types with stages, roles and payload schemas', async () => {
    const res = await request(stack.app)
      .get('/api/v1/case-types')
      .set('Authorization', await bearer('clerk-jsl'));
    expect(res.status).toBe(200);
    const types = res.body.items.map((t: { type: string }) => t.type).sort();
    expect(types).toEqual(['commendation', 'error-tolerance', 'exit', 'name-clearing', 'promotion', 'recruitment']);
    const recruitment = res.body.items.find((t: { type: string }) => t.type === 'recruitment');
    expect(recruitment.payloadSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['track', 'targetOrg', 'post']) });
    expect(recruitment.stages.map((s: { id: string }) => s.id)).toEqual([
      'street-certification',
      'eligibility-check',
      'exam-results',
      'inspection',
      'appointment',
    ]);
    expect(recruitment.stages[2]).toMatchObject({
      kind: 'record',
      actor: { level: 'county', department: 'organisation_hr', role: 'approver' },
    });
    expect(recruitment.stages[2].dataSchema.required).toEqual(['writtenScore', 'interviewScore']);
  });

  describe('promotion (岗位等级晋升)', () => {
    test('regular: recommended, decided, an objection dismissed during 公示, then the grade rises', async () => {
      const before = await record('w-jyj-03');
      const c = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular', reason: '任职满三年，考核合格' });
      await stack.drive.act('sec-jyj', c.id, { action: 'approve', comment: '同意推荐' });
      await stack.drive.act('dgw-nhl-1', c.id, { action: 'approve', comment: '党工委会议研究同意' });
      const objected = await stack.drive.act('clerk-jyj', c.id, { action: 'object', comment: '群众反映：该同志2025年有迟到情况' });
      expect(objected.status).toBe('objection_review');
      await stack.drive.act('dgw-nhl-1', c.id, {
        action: 'resolve-objection',
        objectionId: 'objection-1',
        resolution: 'dismissed',
        comment: '经核实不影响考核结果',
      });
      await stack.drive.waitFor(c.id, 'completed');
      const after = await record('w-jyj-03');
      expect(after.grade).toBe(before.grade + 1);
      expect(await stack.db.prisma.gradeChange.findUnique({ where: { caseId: c.id } })).toMatchObject({
        reason: 'regular',
        toGrade: before.grade + 1,
      });
    });

    test('early (two consecutive 优秀) and post-change promotions follow their own rules', async () => {
      const early = await stack.drive.submitted('clerk-gyl', 'promotion', 'w-gyl-01', { kind: 'early' });
      await stack.drive.act('dep-gyl', early.id, { action: 'approve' });
      await stack.drive.act('dgw-hnl-1', early.id, { action: 'approve' });
      await stack.drive.waitFor(early.id, 'completed');
      expect(await stack.db.prisma.gradeChange.findUnique({ where: { caseId: early.id } })).toMatchObject({
        reason: 'early',
        fromGrade: 12,
        toGrade: 13,
      });

      const change = await stack.drive.submitted('clerk-gyl', 'promotion', 'w-gyl-03', { kind: 'post-change', newPostType: 'deputy' });
      await stack.drive.act('sec-gyl', change.id, { action: 'approve' });
      await stack.drive.act('dgw-hnl-2', change.id, { action: 'approve' });
      await stack.drive.waitFor(change.id, 'completed');
      // General staff grade 5 enters the deputy band (4–15) at the higher of grade and band minimum.
      expect(await record('w-gyl-03')).toMatchObject({ postType: 'deputy', grade: 5 });
    });

    test('rejected at the street, and withdrawn by the clerk', async () => {
      const rejected = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
      await stack.drive.act('sec-mtj', rejected.id, { action: 'approve' });
      const r = await stack.drive.act('dgw-hnl-1', rejected.id, { action: 'reject', comment: '本年度岗位职数已满' });
      expect(r.status).toBe('rejected');
      const withdrawn = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-02', { kind: 'regular' });
      expect((await stack.drive.act('clerk-mtj', withdrawn.id, { action: 'withdraw', comment: '申请人撤回' })).status).toBe('withdrawn');
      expect((await record('w-mtj-03')).grade).toBe(5);
    });

    test('an ineligible worker is refused with reasons; a missing field is named', async () => {
      const ceiling = await stack.drive.submit('clerk-jsl', 'promotion', 'w-jsl-08', { kind: 'regular' });
      expect(ceiling.status).toBe(422);
      expect(ceiling.body.reasons.find((r: { passed: boolean }) => !r.passed)).toMatchObject({
        ruleId: expect.any(String),
        detail: { zh: expect.any(String), en: expect.any(String) },
      });
      const missing = await stack.drive.submit('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'post-change' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([{ field: 'payload.newPostType', message: 'required for a post-change promotion' }]);
    });
  });

  describe('recruitment (定向招录)', () => {
    test('certified, checked, scored, inspected, 公示, appointed: the worker is recruited', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'recruitment', 'w-jsl-01', {
        track: 'civil-service',
        targetOrg: '宁海路街道办事处',
        post: '综合管理岗',
      });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', comment: '任职年限和考核情况属实' });
      await stack.drive.act('zzb-1', c.id, { action: 'approve', comment: '资格审查通过' });
      await stack.drive.act('zzb-2', c.id, { action: 'approve', data: { writtenScore: 78.5, interviewScore: 84, rank: 1 } }, 200);
      await stack.drive.act('zzb-2', c.id, { action: 'approve', data: { inspectionPassed: true, medicalPassed: true } });
      const appointment = await stack.drive.waitFor(c.id, 'in_review');
      expect(appointment.currentStage.id).toBe('appointment');
      // zzb-1 and zzb-2 decided earlier stages; the appointment goes to zzb-3.
      expect(appointment.assignees).toEqual(['zzb-3']);
      await stack.drive.act('zzb-3', c.id, { action: 'approve', data: { appointedOn: '2026-12-15' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect((await record('w-jsl-01')).status).toBe('recruited');
      const change = await stack.db.prisma.statusChange.findUniqueOrThrow({ where: { caseId: c.id } });
      expect(change).toMatchObject({
        toStatus: 'recruited',
        reason: 'civil-service',
        detail: { scores: { writtenScore: 78.5, interviewScore: 84, rank: 1 } },
      });
    });

    test('stage data is validated; a failed eligibility check rejects', async () => {
      const c = await stack.drive.submitted('clerk-mtj', 'recruitment', 'w-mtj-01', {
        track: 'public-institution',
        targetOrg: '湖南路街道社区服务中心',
        post: '管理岗',
      });
      await stack.drive.act('bsc-hnl-1', c.id, { action: 'approve' });
      await stack.drive.act('zzb-1', c.id, { action: 'approve' });
      await stack.drive.act('zzb-2', c.id, { action: 'approve', data: { writtenScore: 120, interviewScore: 80 } }, 400);
      const r = await stack.drive.act('zzb-3', c.id, { action: 'reject', comment: '面试未通过' }, 409);
      expect(r.detail).toBe('a record stage is confirmed, not rejected');
    });

    test('an age over the limit is refused at submission', async () => {
      // w-jsl-08 is 51 and general staff.
      const res = await stack.drive.submit('clerk-jsl', 'recruitment', 'w-jsl-08', { track: 'civil-service', targetOrg: 'x', post: 'y' });
      expect(res.status).toBe(422);
    });
  });

  describe('error tolerance (容错纠错)', () => {
    const apply = (subject: string) =>
      stack.drive.submitted('clerk-jsl', 'error-tolerance', subject, {
        incidentDate: '2026-07-20',
        description: '防汛抢险中未经审批临时调用物资',
        emergency: true,
      });

    async function toDecision(caseId: string) {
      await stack.drive.act('jgw-nhl-1', caseId, { action: 'approve', comment: '予以受理' });
      await stack.drive.act('jgw-nhl-2', caseId, { action: 'approve', data: { findings: '情况属实，事后及时报告' } });
      await stack.drive.act('jgw-nhl-2', caseId, { action: 'approve', data: { statement: '当时情况紧急，来不及请示' } });
      for (const [member, choice] of [
        ['jw-1', 'for'],
        ['jw-2', 'for'],
        ['jw-3', 'against'],
      ] as const) {
        await stack.drive.act(member, caseId, { action: 'vote', choice });
      }
    }

    test('partially tolerated with a correction: follow-up verified, ruling on the file', async () => {
      const c = await apply('w-jsl-03');
      await toDecision(c.id);
      await stack.drive.act('jw-2', c.id, {
        action: 'close-vote',
        minutes: '区纪委常委会2026年第12次会议纪要',
        data: { ruling: 'partially-tolerated', correctionRequired: true },
      });
      await stack.drive.act('zzb-1', c.id, { action: 'approve', comment: '已收到认定结果' });
      const followUp = await stack.drive.waitFor(c.id, 'follow_up');
      expect(followUp.currentStage.id).toBe('correction');
      await stack.drive.act('jgw-nhl-1', c.id, {
        action: 'approve',
        data: { correctedOn: '2026-11-20', verification: '物资台账已补办审批' },
      });
      const done = await stack.drive.waitFor(c.id, 'completed');
      expect(done.outcome).toBe('partially-tolerated');
      expect(await stack.db.prisma.errorToleranceRuling.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        ruling: 'partially-tolerated',
        correctionRequired: true,
        correctionVerifiedOn: new Date('2026-11-20T00:00:00.000Z'),
      });
    });

    test('tolerated without correction; a failed vote rejects; the applicant may withdraw', async () => {
      const tolerated = await apply('w-jsl-04');
      await toDecision(tolerated.id);
      await stack.drive.act('jw-1', tolerated.id, {
        action: 'close-vote',
        minutes: '纪要',
        data: { ruling: 'tolerated', correctionRequired: false },
      });
      await stack.drive.act('zzb-1', tolerated.id, { action: 'approve' });
      expect((await stack.drive.waitFor(tolerated.id, 'completed')).outcome).toBe('tolerated');

      const failed = await apply('w-jsl-06');
      await stack.drive.act('jgw-nhl-1', failed.id, { action: 'approve' });
      await stack.drive.act('jgw-nhl-2', failed.id, { action: 'approve', data: { findings: 'f' } });
      await stack.drive.act('jgw-nhl-2', failed.id, { action: 'approve', data: { statement: 's' } });
      await stack.drive.act('jw-1', failed.id, { action: 'vote', choice: 'against' });
      await stack.drive.act('jw-2', failed.id, { action: 'vote', choice: 'against' });
      const r = await stack.drive.act('jw-1', failed.id, {
        action: 'close-vote',
        minutes: '纪要',
        data: { ruling: 'not-tolerated', correctionRequired: false },
      });
      expect(r.status).toBe('rejected');

      const withdrawn = await apply('w-jsl-09');
      expect((await stack.drive.act('clerk-jsl', withdrawn.id, { action: 'withdraw' })).status).toBe('withdrawn');
      expect(await stack.db.prisma.errorToleranceRuling.count({ where: { workerId: { in: ['w-jsl-06', 'w-jsl-09'] } } })).toBe(0);
    });

    test('a future incident date is refused', async () => {
      const res = await stack.drive.submit('clerk-jsl', 'error-tolerance', 'w-jsl-03', {
        incidentDate: '2099-01-01',
        description: 'x',
        emergency: false,
      });
      expect(res.status).toBe(422);
      expect(res.body.reasons[0].ruleId).toBe('error-tolerance.incident-date');
    });
  });

  describe('name clearing (澄清正名)', () => {
    test('assessed, approved, cleared, and after the delay a return-visit talk recorded', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'name-clearing', 'w-jsl-10', {
        accusationRef: 'XF-2026-0815',
        findingSummary: '反映“虚报补贴”问题经核查不属实',
        method: 'meeting',
      });
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', comment: '建议澄清' });
      const approval = await stack.drive.get('clerk-jsl', c.id);
      expect(approval.body.assignees).toEqual(['jw-1']); // a single responsible leader
      await stack.drive.act('jw-1', c.id, { action: 'approve', comment: '同意在社区会议上澄清' });
      await stack.drive.act('jgw-nhl-2', c.id, {
        action: 'approve',
        data: { clearedOn: '2026-11-25', writtenNoticeRef: '宁纪澄〔2026〕3号' },
      });
      const followUp = await stack.drive.waitFor(c.id, 'follow_up');
      expect(followUp.currentStage.id).toBe('return-visit');
      const opened = await waitForAssignees(c.id);
      expect(opened.length).toBeGreaterThan(0);
      await stack.drive.act('jgw-nhl-2', c.id, { action: 'approve', data: { visitedOn: '2026-12-28', notes: '思想稳定，工作积极' } });
      await stack.drive.waitFor(c.id, 'completed');
      const clearance = await stack.db.prisma.nameClearance.findUniqueOrThrow({ where: { caseId: c.id }, include: { returnVisits: true } });
      expect(clearance).toMatchObject({
        accusationRef: 'XF-2026-0815',
        method: 'meeting',
        clearedOn: new Date('2026-11-25T00:00:00.000Z'),
      });
      expect(clearance.returnVisits).toEqual([expect.objectContaining({ officerId: 'jgw-nhl-2', notes: '思想稳定，工作积极' })]);
    });

    async function waitForAssignees(caseId: string) {
      for (let i = 0; i < 100; i += 1) {
        const res = await stack.drive.get('clerk-jsl', caseId);
        if (res.body.assignees.length) return res.body.assignees as string[];
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the return visit never opened');
    }

    test('rejected by the leadership', async () => {
      const c = await stack.drive.submitted('clerk-jyj', 'name-clearing', 'w-jyj-10', {
        accusationRef: 'XF-1',
        findingSummary: 'f',
        method: 'written',
      });
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve' });
      expect((await stack.drive.act('jw-1', c.id, { action: 'reject', comment: '举报内容尚不能排除，不予澄清' })).status).toBe('rejected');
    });
  });

  describe('commendation (表彰奖励)', () => {
    test('nominated, opinion, reviewed, evaluated jointly, 公示, decided: the award is on the file', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'commendation', 'w-jsl-02', {
        awardTitle: '鼓楼区优秀社区工作者',
        achievements: '疫情防控和防汛工作中表现突出',
        level: 'county',
      });
      await stack.drive.act('sec-jsl', c.id, { action: 'approve' });
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { opinion: 'no-objection' } });
      await stack.drive.act('swb-1', c.id, { action: 'approve' });
      const evaluation = await stack.drive.get('clerk-jsl', c.id);
      expect(evaluation.body.assignees).toEqual(['swb-2', 'swb-3']); // 会签 without swb-1, who reviewed
      await stack.drive.act('swb-2', c.id, { action: 'approve' });
      await stack.drive.act('swb-3', c.id, { action: 'approve' });
      const decision = await stack.drive.waitFor(c.id, 'in_review');
      expect(decision.currentStage.id).toBe('decision');
      await stack.drive.act('zzb-1', c.id, { action: 'approve', data: { awardedOn: '2026-12-20' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect(await stack.db.prisma.award.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        title: '鼓楼区优秀社区工作者',
        level: 'county',
      });
    });

    test('a worker under discipline is refused; a rejection at evaluation ends the case', async () => {
      const refused = await stack.drive.submit('clerk-jsl', 'commendation', 'w-jsl-07', { awardTitle: 't', achievements: 'a' });
      expect(refused.status).toBe(422);
      const c = await stack.drive.submitted('clerk-jyj', 'commendation', 'w-jyj-02', { awardTitle: 't', achievements: 'a' });
      await stack.drive.act('sec-jyj', c.id, { action: 'approve' });
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { opinion: 'no-objection' } });
      await stack.drive.act('swb-2', c.id, { action: 'approve' });
      expect((await stack.drive.act('swb-1', c.id, { action: 'reject', comment: '事迹材料不充分' })).status).toBe('rejected');
    });
  });

  describe('exit (退出)', () => {
    test('a hired worker after two 不合格: reviewed, heard, contract ended', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'exit', 'w-jsl-05', {
        reason: 'consecutive-incompetent',
        detail: '2024、2025年度考核均为不合格',
      });
      await stack.drive.act('dgw-nhl-1', c.id, { action: 'approve' });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { statement: '本人无异议' } });
      const termination = await stack.drive.get('clerk-jsl', c.id);
      expect(termination.body.currentStage.id).toBe('contract-termination'); // no removal from office for hired staff
      await stack.drive.act('bsc-nhl-2', c.id, { action: 'approve', data: { terminatedOn: '2026-12-31' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect((await record('w-jsl-05')).status).toBe('exited');
      expect(await stack.db.prisma.statusChange.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        reason: 'consecutive-incompetent',
        toStatus: 'exited',
      });
    });

    test('an elected 两委 member is removed from office first', async () => {
      const c = await stack.drive.submitted('clerk-jyj', 'exit', 'w-jyj-02', {
        reason: 'dereliction',
        detail: '因工作失职造成居民群众利益重大损失',
      });
      await stack.drive.act('dgw-nhl-1', c.id, { action: 'approve' });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { waived: true } });
      const removal = await stack.drive.get('clerk-jyj', c.id);
      expect(removal.body.currentStage.id).toBe('removal');
      await stack.drive.act('dgw-nhl-2', c.id, { action: 'approve', data: { method: 'dismissal', effectiveOn: '2026-12-01' } });
      await stack.drive.act('bsc-nhl-2', c.id, { action: 'approve', data: { terminatedOn: '2026-12-01' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect(await stack.db.prisma.statusChange.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        detail: { removal: { method: 'dismissal' } },
      });
    });

    test('a situation the records do not show is refused; a reason not in the rule set is invalid; rejection keeps the worker', async () => {
      const notShown = await stack.drive.submit('clerk-jsl', 'exit', 'w-jsl-03', { reason: 'consecutive-incompetent', detail: 'x' });
      expect(notShown.status).toBe(422);
      // The payload schema lists the rule set's exit situations, so an unknown one is bad input naming the field.
      const unknown = await stack.drive.submit('clerk-jsl', 'exit', 'w-jsl-03', { reason: 'bad-luck', detail: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'payload.reason' })]);
      const c = await stack.drive.submitted('clerk-jsl', 'exit', 'w-jsl-06', {
        reason: 'consecutive-basically-competent',
        detail: '连续三年基本合格',
      });
      expect((await stack.drive.act('dgw-nhl-2', c.id, { action: 'reject', comment: '给予一年改进期' })).status).toBe('rejected');
      expect((await record('w-jsl-06')).status).toBe('active');
    });
  });
});
