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

  test('GET /case-types lists the nine types with stages, roles and payload schemas', async () => {
    const res = await request(stack.app)
      .get('/api/v1/case-types')
      .set('Authorization', await bearer('clerk-jsl'));
    expect(res.status).toBe(200);
    const types = res.body.items.map((t: { type: string }) => t.type).sort();
    expect(types).toEqual([
      'appeal',
      'assessment',
      'commendation',
      'error-tolerance',
      'exit',
      'name-clearing',
      'promotion',
      'recruitment',
      'secondment',
    ]);
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
      actorByPayload: null,
    });
    expect(recruitment.stages[2].dataSchema.required).toEqual(['writtenScore', 'interviewScore']);
    // The exam's range is the rule set's (scales), and the appointment a committee's collective decision.
    expect(recruitment.stages[2].dataSchema.properties.writtenScore).toMatchObject({ minimum: 0, maximum: 100 });
    expect(recruitment.stages[4]).toMatchObject({ id: 'appointment', mode: 'collective' });
    // Descriptions state periods as the rule set in force has them (the demo rules' notice: three seconds).
    const promotion = res.body.items.find((t: { type: string }) => t.type === 'promotion');
    expect(promotion.description.zh).toContain('公示3秒');
    expect(promotion.description.zh).not.toContain('{period:');
    // A name clearing is handled by whichever body verified the complaint.
    const clearing = res.body.items.find((t: { type: string }) => t.type === 'name-clearing');
    expect(clearing.stages[0]).toMatchObject({
      actor: null,
      actorByPayload: {
        field: 'verifiedBy',
        actors: {
          'street-discipline': { level: 'street', department: 'discipline' },
          'county-discipline': { level: 'county', department: 'discipline' },
          'county-organisation': { level: 'county', department: 'organisation_hr' },
        },
      },
    });
  });

  describe('promotion (岗位等级晋升)', () => {
    test('regular: recommended, decided, an objection dismissed during 公示, then the grade rises', async () => {
      const before = await record('w-jyj-03');
      const c = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular', reason: '任职满三年，考核合格' });
      await stack.drive.act('sec-jyj', c.id, { action: 'approve', comment: '同意推荐' });
      // One member records the committee's meeting: all three present and for.
      await stack.drive.meeting('dgw-nhl-1', c.id);
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
      await stack.drive.meeting('dgw-hnl-1', early.id);
      await stack.drive.waitFor(early.id, 'completed');
      expect(await stack.db.prisma.gradeChange.findUnique({ where: { caseId: early.id } })).toMatchObject({
        reason: 'early',
        fromGrade: 12,
        toGrade: 13,
      });

      const change = await stack.drive.submitted('clerk-gyl', 'promotion', 'w-gyl-03', { kind: 'post-change', newPostType: 'deputy' });
      await stack.drive.act('sec-gyl', change.id, { action: 'approve' });
      // The committee meets today (China Standard Time): a meeting cannot predate the stage it decides.
      const decidedOn = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      await stack.drive.meeting('dgw-hnl-2', change.id, { meetingDate: decidedOn });
      await stack.drive.waitFor(change.id, 'completed');
      // General staff grade 5 enters the deputy band (4–15) at the higher of grade and band minimum, from the
      // committee's decision (not the following January).
      expect(await record('w-gyl-03')).toMatchObject({ postType: 'deputy', grade: 5, postSince: new Date(`${decidedOn}T00:00:00.000Z`) });
      expect(await stack.db.prisma.gradeChange.findUnique({ where: { caseId: change.id } })).toMatchObject({
        reason: 'post-change',
        effectiveFrom: new Date(`${decidedOn}T00:00:00.000Z`),
      });
    });

    test('rejected at the street, and withdrawn by the clerk', async () => {
      const rejected = await stack.drive.submitted('clerk-mtj', 'promotion', 'w-mtj-03', { kind: 'regular' });
      await stack.drive.act('sec-mtj', rejected.id, { action: 'approve' });
      // One of three for: not more than half of the members who should attend.
      const r = await stack.drive.meeting('dgw-hnl-1', rejected.id, { votes: { 'dgw-hnl-2': 'against', 'dgw-hnl-3': 'abstain' } });
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
      // Each field error carries what a client needs to say it in its own language: zod's issue code, the limit it
      // names, a schema's own check by its key (the web UI's fieldError.* texts).
      expect(missing.body.errors).toEqual([
        { field: 'payload.newPostType', message: 'required for a post-change promotion', code: 'custom', key: 'newPostTypeRequired' },
      ]);
      const long = await stack.drive.submit('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular', reason: '长'.repeat(2001) });
      expect(long.status).toBe(400);
      expect(long.body.errors).toEqual([
        { field: 'payload.reason', message: expect.any(String), code: 'too_big', limit: 2000, origin: 'string' },
      ]);
    });
  });

  describe('recruitment (定向招录)', () => {
    test('certified, checked, scored, inspected, 公示, appointed: the worker is recruited', async () => {
      // Not w-jsl-01: Jiangsu's secretary track below needs him still in post.
      const c = await stack.drive.submitted('clerk-jyj', 'recruitment', 'w-jyj-01', {
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
      // The department decides as a body: every member, also those who handled earlier steps.
      expect(appointment.assignees).toEqual(['zzb-1', 'zzb-2', 'zzb-3']);
      await stack.drive.meeting('zzb-3', c.id, { data: { appointedOn: '2026-12-15' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect((await record('w-jyj-01')).status).toBe('recruited');
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

    test('a failed medical check ends the case, with the reason recorded', async () => {
      const c = await stack.drive.submitted('clerk-gyl', 'recruitment', 'w-gyl-01', {
        track: 'civil-service',
        targetOrg: '湖南路街道办事处',
        post: '综合管理岗',
      });
      await stack.drive.act('bsc-hnl-1', c.id, { action: 'approve' });
      await stack.drive.act('zzb-1', c.id, { action: 'approve' });
      await stack.drive.act('zzb-2', c.id, { action: 'approve', data: { writtenScore: 81, interviewScore: 79 } });
      const r = await stack.drive.act('zzb-2', c.id, { action: 'approve', data: { inspectionPassed: true, medicalPassed: false } });
      expect(r.status).toBe('rejected');
      const events = await request(stack.app)
        .get(`/api/v1/cases/${c.id}/events`)
        .set('Authorization', await bearer('clerk-gyl'));
      expect(events.body.items.at(-1)).toMatchObject({
        action: 'decided_by_data',
        stage: 'inspection',
        toStatus: 'rejected',
        data: { effect: 'reject', reason: { zh: '体检不合格，不予录用' } },
      });
    });

    test("Jiangsu's track: the community party secretary after three full terms, recruited by assessment without an exam", async () => {
      const refused = await stack.drive.submit('clerk-gyl', 'recruitment', 'w-gyl-01', {
        track: 'jiangsu-secretary',
        targetOrg: 'x',
        post: 'y',
      });
      expect(refused.status).toBe(422);
      expect(refused.body.reasons.find((r: { passed: boolean }) => !r.passed)).toMatchObject({ ruleId: 'recruitment.secretary-terms' });
      const c = await stack.drive.submitted('clerk-jsl', 'recruitment', 'w-jsl-01', {
        track: 'jiangsu-secretary',
        targetOrg: '宁海路街道社区服务中心',
        post: '管理岗（事业编制）',
      });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve' });
      await stack.drive.act('zzb-1', c.id, { action: 'approve' });
      // No exam: 考核招聘.
      const inspection = await stack.drive.get('clerk-jsl', c.id);
      expect(inspection.body.currentStage.id).toBe('inspection');
      await stack.drive.act('zzb-2', c.id, { action: 'withdraw' }, 403);
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
        accountabilityRef: '鼓纪问〔2026〕7号',
        accountabilityStartedOn: '2026-08-01',
      });
    const conditions = { lawful: true, diligentWithoutIntent: true, publicInterest: true, dueProcess: true, corrected: true };

    async function toDecision(caseId: string) {
      await stack.drive.act('jgw-nhl-1', caseId, { action: 'approve', comment: '予以受理' });
      await stack.drive.act('jgw-nhl-2', caseId, { action: 'approve', data: { ...conditions, findings: '情况属实，事后及时报告' } });
      await stack.drive.act('jgw-nhl-2', caseId, { action: 'approve', data: { statement: '当时情况紧急，来不及请示' } });
    }

    async function afterDecision(caseId: string) {
      await stack.drive.act('jw-1', caseId, { action: 'approve', data: { repliedOn: '2026-11-10', replyRef: '鼓纪容〔2026〕1号' } });
      await stack.drive.act('zzb-1', caseId, { action: 'approve', data: { receivedOn: '2026-11-11' } });
      await stack.drive.act('jw-2', caseId, {
        action: 'approve',
        data: { filedWith: 'party-committee', filedOn: '2026-11-12', filingRef: '鼓纪报〔2026〕3号' },
      });
    }

    test('a lighter treatment with a correction: replied, filed, correction verified, ruling on the file', async () => {
      const c = await apply('w-jsl-03');
      await toDecision(c.id);
      await stack.drive.meeting('jw-2', c.id, {
        votes: { 'jw-3': 'against' },
        data: { ruling: 'mitigated', correctionRequired: true },
      });
      await afterDecision(c.id);
      const followUp = await stack.drive.waitFor(c.id, 'follow_up');
      expect(followUp.currentStage.id).toBe('correction');
      await stack.drive.act('jgw-nhl-1', c.id, {
        action: 'approve',
        data: { correctedOn: '2026-11-20', verification: '物资台账已补办审批' },
      });
      const done = await stack.drive.waitFor(c.id, 'completed');
      expect(done.outcome).toBe('mitigated');
      expect(await stack.db.prisma.errorToleranceRuling.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        ruling: 'mitigated',
        correctionRequired: true,
        correctionVerifiedOn: new Date('2026-11-20T00:00:00.000Z'),
        findings: conditions,
        repliedOn: new Date('2026-11-10T00:00:00.000Z'),
        filedWith: 'party-committee',
        filedOn: new Date('2026-11-12T00:00:00.000Z'),
      });
    });

    test('exempted without correction; a decision not adopted rejects; the applicant may withdraw', async () => {
      const tolerated = await apply('w-jsl-04');
      await toDecision(tolerated.id);
      await stack.drive.meeting('jw-1', tolerated.id, { data: { ruling: 'tolerated', correctionRequired: false } });
      await afterDecision(tolerated.id);
      expect((await stack.drive.waitFor(tolerated.id, 'completed')).outcome).toBe('tolerated');

      const failed = await apply('w-jsl-06');
      await toDecision(failed.id);
      const r = await stack.drive.meeting('jw-1', failed.id, {
        votes: { 'jw-1': 'against', 'jw-2': 'against' },
        data: { ruling: 'tolerated', correctionRequired: false },
      });
      expect(r.status).toBe('rejected');

      const withdrawn = await apply('w-jsl-09');
      expect((await stack.drive.act('clerk-jsl', withdrawn.id, { action: 'withdraw' })).status).toBe('withdrawn');
      expect(await stack.db.prisma.errorToleranceRuling.count({ where: { workerId: { in: ['w-jsl-06', 'w-jsl-09'] } } })).toBe(0);
    });

    test('a future incident date, or an application after the accountability decision, is refused', async () => {
      const payload = { description: 'x', emergency: false, accountabilityRef: 'r', accountabilityStartedOn: '2026-08-01' };
      const future = await stack.drive.submit('clerk-jsl', 'error-tolerance', 'w-jsl-03', { ...payload, incidentDate: '2099-01-01' });
      expect(future.status).toBe(422);
      expect(future.body.reasons[0].ruleId).toBe('error-tolerance.incident-date');
      const late = await stack.drive.submit('clerk-jsl', 'error-tolerance', 'w-jsl-03', {
        ...payload,
        incidentDate: '2026-07-01',
        accountabilityDecidedOn: '2026-09-01',
      });
      expect(late.status).toBe(422);
      expect(late.body.reasons.find((r: { passed: boolean }) => !r.passed)).toMatchObject({ ruleId: 'error-tolerance.timing' });
    });
  });

  describe('name clearing (澄清正名)', () => {
    test('assessed, approved, cleared, and after the delay a return-visit talk recorded', async () => {
      // Verified by the county discipline commission, which therefore clears the name (谁核实谁澄清).
      const c = await stack.drive.submitted('clerk-jsl', 'name-clearing', 'w-jsl-10', {
        accusationRef: 'XF-2026-0815',
        findingSummary: '反映“虚报补贴”问题经核查不属实',
        verifiedBy: 'county-discipline',
      });
      expect((await stack.drive.get('clerk-jsl', c.id)).body.assignees).toEqual(['jw-1', 'jw-2', 'jw-3']);
      await stack.drive.act('jw-2', c.id, { action: 'approve', data: { finding: 'false-accusation' }, comment: '建议澄清' });
      await stack.drive.act('jw-3', c.id, {
        action: 'approve',
        data: { wantsClearance: true, method: 'meeting', scope: '江苏路社区两委班子' },
      });
      const approval = await stack.drive.get('clerk-jsl', c.id);
      expect(approval.body.assignees).toEqual(['jw-1']); // a single responsible leader of the verifying body
      await stack.drive.act('jw-1', c.id, { action: 'approve', comment: '同意在社区会议上澄清' });
      await stack.drive.act('jw-3', c.id, {
        action: 'approve',
        data: { clearedOn: '2026-11-25', method: 'meeting', scope: '江苏路社区两委班子', writtenNoticeRef: '鼓纪澄〔2026〕3号' },
      });
      // A false accusation is referred on.
      await stack.drive.act('jw-3', c.id, {
        action: 'approve',
        data: { referredTo: '南京市公安局鼓楼分局', referredOn: '2026-11-26', referralRef: '鼓纪移〔2026〕1号' },
      });
      const followUp = await stack.drive.waitFor(c.id, 'follow_up');
      expect(followUp.currentStage.id).toBe('return-visit');
      const opened = await waitForAssignees(c.id);
      expect(opened.length).toBeGreaterThan(0);
      await stack.drive.act('jw-3', c.id, { action: 'approve', data: { visitedOn: '2026-12-28', notes: '思想稳定，工作积极' } });
      await stack.drive.act('jw-2', c.id, { action: 'approve', data: { archivedOn: '2026-12-29', archiveRef: 'DA-2026-088' } });
      await stack.drive.waitFor(c.id, 'completed');
      const clearance = await stack.db.prisma.nameClearance.findUniqueOrThrow({ where: { caseId: c.id }, include: { returnVisits: true } });
      expect(clearance).toMatchObject({
        accusationRef: 'XF-2026-0815',
        method: 'meeting',
        clearedOn: new Date('2026-11-25T00:00:00.000Z'),
        verifiedBy: 'county-discipline',
        finding: 'false-accusation',
        scope: '江苏路社区两委班子',
        referral: { referredTo: '南京市公安局鼓楼分局' },
        archiveRef: 'DA-2026-088',
      });
      expect(clearance.returnVisits).toEqual([expect.objectContaining({ officerId: 'jw-3', notes: '思想稳定，工作积极' })]);
    });

    async function waitForAssignees(caseId: string) {
      for (let i = 0; i < 100; i += 1) {
        const res = await stack.drive.get('clerk-jsl', caseId);
        if (res.body.assignees.length) return res.body.assignees as string[];
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the return visit never opened');
    }

    test('rejected by the leadership; a person who does not want the clearance ends it', async () => {
      const c = await stack.drive.submitted('clerk-jyj', 'name-clearing', 'w-jyj-10', {
        accusationRef: 'XF-1',
        findingSummary: 'f',
        verifiedBy: 'street-discipline',
        initiatedBy: 'written-application',
        requestedMethod: 'written',
        requestedScope: '本人',
      });
      // A written application states the person's wishes: no step asks them again.
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { finding: 'untrue' } });
      expect((await stack.drive.get('clerk-jyj', c.id)).body.currentStage.id).toBe('approval');
      expect((await stack.drive.act('jgw-nhl-2', c.id, { action: 'reject', comment: '举报内容尚不能排除，不予澄清' })).status).toBe(
        'rejected',
      );

      const unwanted = await stack.drive.submitted('clerk-jyj', 'name-clearing', 'w-jyj-09', {
        accusationRef: 'XF-2',
        findingSummary: 'f',
        verifiedBy: 'street-discipline',
      });
      await stack.drive.act('jgw-nhl-1', unwanted.id, { action: 'approve', data: { finding: 'untrue' } });
      const r = await stack.drive.act('jgw-nhl-2', unwanted.id, {
        action: 'approve',
        data: { wantsClearance: false, method: 'written', scope: '-' },
      });
      expect(r.status).toBe('rejected');
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
      await stack.drive.meeting('dgw-nhl-1', c.id);
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { opinion: 'no-differing-views' } });
      await stack.drive.act('swb-1', c.id, { action: 'approve' });
      const evaluation = await stack.drive.get('clerk-jsl', c.id);
      expect(evaluation.body.assignees).toEqual(['swb-2', 'swb-3']); // 会签 without swb-1, who reviewed
      await stack.drive.act('swb-2', c.id, { action: 'approve' });
      await stack.drive.act('swb-3', c.id, { action: 'approve' });
      const decision = await stack.drive.waitFor(c.id, 'in_review');
      expect(decision.currentStage.id).toBe('county-decision');
      expect(decision.assignees).toEqual(['zzb-1', 'zzb-2', 'zzb-3']);
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
      await stack.drive.meeting('dgw-nhl-1', c.id);
      await stack.drive.act('jgw-nhl-1', c.id, { action: 'approve', data: { opinion: 'no-differing-views' } });
      await stack.drive.act('swb-2', c.id, { action: 'approve' });
      expect((await stack.drive.act('swb-1', c.id, { action: 'reject', comment: '事迹材料不充分' })).status).toBe('rejected');
    });

    test('differing views of the discipline commission send the nomination back to the street committee', async () => {
      const c = await stack.drive.submitted('clerk-mtj', 'commendation', 'w-mtj-02', { awardTitle: 't', achievements: 'a' });
      await stack.drive.act('sec-mtj', c.id, { action: 'approve' });
      await stack.drive.meeting('dgw-hnl-1', c.id);
      const back = await stack.drive.act('jgw-hnl-1', c.id, {
        action: 'approve',
        data: { opinion: 'differing-views', remarks: '信访件待核' },
      });
      expect(back).toMatchObject({ status: 'in_review', currentStage: { id: 'street-recommendation' } });
      // The committee decides again with the opinion on record; not adopted this time.
      const r = await stack.drive.meeting('dgw-hnl-2', c.id, { votes: { 'dgw-hnl-1': 'against', 'dgw-hnl-2': 'against' } });
      expect(r.status).toBe('rejected');
    });

    test('a city award is recommended by the county and decided by the city', async () => {
      const c = await stack.drive.submitted('clerk-gyl', 'commendation', 'w-gyl-02', {
        awardTitle: '南京市优秀社区工作者',
        achievements: '社区治理成效突出',
        level: 'city',
      });
      await stack.drive.act('sec-gyl', c.id, { action: 'approve' });
      await stack.drive.meeting('dgw-hnl-3', c.id);
      await stack.drive.act('jgw-hnl-2', c.id, { action: 'approve', data: { opinion: 'no-differing-views' } });
      await stack.drive.act('swb-1', c.id, { action: 'approve' });
      await stack.drive.act('swb-2', c.id, { action: 'approve' });
      await stack.drive.act('swb-3', c.id, { action: 'approve' });
      const recommendation = await stack.drive.waitFor(c.id, 'in_review');
      expect(recommendation.currentStage.id).toBe('county-recommendation');
      // Nobody at the county is left who did not decide a stage: escalated to the city's department.
      await stack.drive.act(recommendation.assignees[0] as string, c.id, { action: 'approve' });
      const decision = await stack.drive.get('clerk-gyl', c.id);
      expect(decision.body.currentStage.id).toBe('city-decision');
      await stack.drive.act(decision.body.assignees[0] as string, c.id, { action: 'approve', data: { awardedOn: '2026-12-30' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect(await stack.db.prisma.award.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        level: 'city',
        awardedOn: new Date('2026-12-30T00:00:00.000Z'),
      });
    });
  });

  describe('exit (退出)', () => {
    test('a hired worker after two 不合格: reviewed, heard, contract ended', async () => {
      const c = await stack.drive.submitted('clerk-jsl', 'exit', 'w-jsl-05', {
        reason: 'consecutive-incompetent',
        detail: '2024、2025年度考核均为不合格',
      });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { findings: '2024、2025年度考核结果属实' } });
      // Heard before the committee decides.
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { statement: '本人无异议' } });
      await stack.drive.meeting('dgw-nhl-1', c.id);
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

    test('an elected 两委 member: removed from the party post by the party committee, recalled by the residents’ meeting', async () => {
      const c = await stack.drive.submitted('clerk-jyj', 'exit', 'w-jyj-02', {
        reason: 'dereliction',
        detail: '因工作失职造成居民群众利益重大损失',
      });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { findings: '失职事实清楚' } });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { waived: true } });
      await stack.drive.meeting('dgw-nhl-1', c.id);
      const removal = await stack.drive.get('clerk-jyj', c.id);
      expect(removal.body.currentStage.id).toBe('party-post-removal');
      await stack.drive.act('dgw-nhl-2', c.id, {
        action: 'approve',
        data: { effectiveOn: '2026-12-01', documentRef: '宁党工〔2026〕9号' },
      });
      // The residents' meeting could not be held with half present; held again, it passes the recall.
      const recall = { meetingDate: '2026-12-05', entitled: 60 };
      await stack.drive.act('bsc-nhl-2', c.id, { action: 'approve', data: { ...recall, present: 30, votesFor: 30 } }, 409);
      await stack.drive.act('bsc-nhl-2', c.id, { action: 'approve', data: { ...recall, present: 41, votesFor: 35 } });
      await stack.drive.act('bsc-nhl-2', c.id, { action: 'approve', data: { terminatedOn: '2026-12-10' } });
      await stack.drive.waitFor(c.id, 'completed');
      expect(await stack.db.prisma.statusChange.findUniqueOrThrow({ where: { caseId: c.id } })).toMatchObject({
        detail: {
          partyPostRemoval: { post: 'deputy_secretary', body: 'party organisation', documentRef: '宁党工〔2026〕9号' },
          recall: { post: 'deputy_director', body: "residents' meeting", tally: { passed: true } },
        },
      });
      expect(await record('w-jyj-02')).toMatchObject({ status: 'exited', partyPost: null, residentsCommitteePost: null });
    });

    test('a recall the residents’ meeting does not pass ends the exit: the member stays in office', async () => {
      const c = await stack.drive.submitted('clerk-gyl', 'exit', 'w-gyl-02', { reason: 'dereliction', detail: 'x' });
      await stack.drive.act('bsc-hnl-1', c.id, { action: 'approve', data: { findings: 'f' } });
      await stack.drive.act('bsc-hnl-1', c.id, { action: 'approve', data: { statement: '不同意' } });
      await stack.drive.meeting('dgw-hnl-1', c.id);
      await stack.drive.act('dgw-hnl-2', c.id, { action: 'approve', data: { effectiveOn: '2026-12-01', documentRef: 'r' } });
      const r = await stack.drive.act('bsc-hnl-2', c.id, {
        action: 'approve',
        data: { meetingDate: '2026-12-05', entitled: 60, present: 40, votesFor: 12 },
      });
      expect(r.status).toBe('rejected');
      expect((await record('w-gyl-02')).status).toBe('active');
    });

    test('one open exit case per worker', async () => {
      const first = await stack.drive.submitted('clerk-mtj', 'exit', 'w-mtj-05', { reason: 'consecutive-incompetent', detail: 'x' });
      const second = await stack.drive.submit('clerk-mtj', 'exit', 'w-mtj-05', { reason: 'dereliction', detail: 'y' });
      expect(second.status).toBe(409);
      expect(second.body.detail).toContain(first.id);
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
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { findings: '属实' } });
      await stack.drive.act('bsc-nhl-1', c.id, { action: 'approve', data: { statement: '请求给予改进机会' } });
      const r = await stack.drive.meeting('dgw-nhl-2', c.id, { votes: { 'dgw-nhl-1': 'against', 'dgw-nhl-2': 'against' } });
      expect(r.status).toBe('rejected');
      expect((await record('w-jsl-06')).status).toBe('active');
    });
  });
});
