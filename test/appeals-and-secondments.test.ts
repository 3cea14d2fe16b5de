import request from 'supertest';
import { addDays } from '../domain/dates';
import { SCENARIOS } from '../scripts/history-scenarios';
import { bearer } from './helpers/api';
import { pdfText } from './helpers/pdf-text';
import { TEST_TODAY } from './helpers/env';
import { asBytes } from './helpers/files';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { useApiStack } from './helpers/stack';

/**
 * Appeals (复核/申诉) and secondments (借调) through the HTTP API as the seeded users, against the real Temporal
 * server and PostgreSQL: each flow to its end, the records they leave, and the refusals (an appeal out of time or
 * of the wrong kind, the same people deciding an appeal and its original, a secondment over its limits).
 */
describe('appeals and secondments', () => {
  // A county whose rules hold an exit while its appeal is open (appeal.holdsExit; the default follows 公务员法 第九十五条
  // and lets the exit stand, which the demo-cases test shows).
  const demo = BUILT_IN_RULE_SETS.demo as RuleSet;
  const stack = useApiStack('appeals-secondments', { ruleSet: { ...demo, appeal: { ...demo.appeal, holdsExit: true } } });
  const app = () => stack.app;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  async function get(user: string, path: string) {
    return request(app())
      .get(`/api/v1${path}`)
      .set('Authorization', await bearer(user));
  }

  /** Takes each step as its user, waiting while a stage is still opening. */
  async function steps(caseId: string, list: { by: string; [k: string]: unknown }[]) {
    for (const { by, ...body } of list) {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await request(app())
          .post(`/api/v1/cases/${caseId}/actions`)
          .set('Authorization', await bearer(by))
          .send(body);
        if (res.status === 200) break;
        if (res.status !== 409 || Date.now() > until)
          throw new Error(`${by} ${String(body.action)}: ${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** The worker's placement on a date as GET /placements answers it (every page read), or undefined when not placed. */
  async function placementOf(workerId: string, date: string) {
    let cursor: string | null = null;
    do {
      const res = await get('hr-nhl', `/placements?date=${date}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as {
        items: { workerId: string; placement: Record<string, unknown>; exitHeld?: { appealCaseId: string } }[];
        nextCursor: string | null;
      };
      const found = page.items.find((p) => p.workerId === workerId);
      if (found) return found.exitHeld ? { ...found.placement, exitHeld: found.exitHeld } : found.placement;
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }

  const failed = (body: { reasons?: { ruleId: string; passed: boolean }[] }) =>
    (body.reasons ?? []).filter((r) => !r.passed).map((r) => r.ruleId);

  test('the case types list appeal and secondment with their payload schemas', async () => {
    const res = await get('clerk-jsl', '/case-types');
    const types = res.body.items as { type: string; payloadSchema: { properties: Record<string, unknown> } }[];
    expect(Object.keys(types.find((t) => t.type === 'appeal')?.payloadSchema.properties ?? {}).sort()).toEqual([
      'appealOf',
      'ground',
      'reason',
    ]);
    expect(Object.keys(types.find((t) => t.type === 'secondment')?.payloadSchema.properties ?? {}).sort()).toEqual([
      'borrowingBody',
      'extensionOf',
      'from',
      'reason',
      'to',
    ]);
  });

  test('a secondment: street and county approve, the records place the worker by date; over its limits it is refused', async () => {
    const to = addDays(today, 59);
    const payload = { borrowingBody: '鼓楼区委社会工作部', reason: '基层治理专项工作', from: today, to };
    const kase = await stack.drive.submitted('clerk-gyl', 'secondment', 'w-gyl-07', payload);
    await steps(kase.id, [
      { by: 'dgw-hnl-1', action: 'approve' },
      { by: 'swb-1', action: 'approve' },
    ]);
    await stack.drive.waitFor(kase.id, 'completed');

    const worker = await get('hr-hnl', '/workers/w-gyl-07');
    expect(worker.body.secondments).toEqual([
      { caseId: kase.id, borrowingBody: '鼓楼区委社会工作部', reason: '基层治理专项工作', from: today, to, extensionOf: null },
    ]);
    const placement = async (date: string) => {
      const res = await get('hr-hnl', `/placements?date=${date}&limit=200`);
      expect(res.status).toBe(200);
      return (res.body.items as { workerId: string; placement: { at: string } }[]).find((p) => p.workerId === 'w-gyl-07')?.placement;
    };
    expect(await placement(today)).toEqual({ at: 'secondment', borrowingBody: '鼓楼区委社会工作部', from: today, to, caseId: kase.id });
    expect(await placement(to)).toMatchObject({ at: 'secondment' });
    expect(await placement(addDays(to, 1))).toEqual({ at: 'post' }); // back at post the day after it ends
    // The seed's running secondment.
    const seeded = await get('hr-hnl', `/placements?date=2027-01-15&limit=200`);
    expect(
      (seeded.body.items as { workerId: string; placement: { at: string } }[]).find((p) => p.workerId === 'w-gyl-06')?.placement,
    ).toMatchObject({
      at: 'secondment',
      from: '2026-11-02',
      to: '2027-03-31',
    });
    expect((await get('hr-hnl', '/placements?date=2027-02-30')).status).toBe(400);

    // Over six months at a time: refused with the limit and the dates.
    const long = await stack.drive.submit('clerk-gyl', 'secondment', 'w-gyl-08', { ...payload, to: addDays(today, 200) });
    expect(long.status).toBe(422);
    expect(failed(long.body)).toEqual(['secondment.term']);
    // A second secondment beside the running one: ask for an extension instead.
    const beside = await stack.drive.submit('clerk-gyl', 'secondment', 'w-gyl-07', {
      ...payload,
      from: addDays(today, 10),
      to: addDays(today, 40),
    });
    expect(failed(beside.body)).toEqual(['secondment.overlap']);
    // An extension that follows it, in time, within a year: accepted; one past a year in total: refused.
    const tooLong = await stack.drive.submit('clerk-gyl', 'secondment', 'w-gyl-07', {
      ...payload,
      from: addDays(to, 1),
      to: addDays(today, 370),
      extensionOf: kase.id,
    });
    expect(failed(tooLong.body)).toEqual(expect.arrayContaining(['secondment.total']));
    const extension = await stack.drive.submitted('clerk-gyl', 'secondment', 'w-gyl-07', {
      ...payload,
      from: addDays(to, 1),
      to: addDays(to, 90),
      extensionOf: kase.id,
    });
    expect(extension.status).toBe('in_review');
    // The extension names the secondment it extends by its short number and the worker (pages show no ids); the
    // dossier (the print) says the same, and a case whose payload names no other case has none.
    const original = (await get('clerk-gyl', `/cases/${kase.id}`)).body as {
      number: string;
      subject: { id: string; name: string };
      references: unknown;
    };
    expect(original.number).toMatch(/^借调-\d{4}-\d{4}$/);
    expect(original.references).toEqual([]);
    const extended = [
      {
        field: 'extensionOf',
        id: kase.id,
        case: { number: original.number, type: 'secondment', subject: original.subject, visible: true, archived: false },
        disciplinaryRecord: null,
      },
    ];
    expect((await get('clerk-gyl', `/cases/${extension.id}`)).body.references).toEqual(extended);
    expect((await get('clerk-gyl', `/cases/${extension.id}/dossier`)).body.references).toEqual(extended);
  });

  test('an appeal of an exit: the original deciders are refused, the county upholds it, the records reverse the exit', async () => {
    const exitScenario = SCENARIOS.exit.find((s) => s.version === undefined) as (typeof SCENARIOS.exit)[number];
    const exit = await stack.drive.submitted(exitScenario.applicantId, 'exit', exitScenario.subjectId, exitScenario.payload);
    await steps(exit.id, exitScenario.steps);
    await stack.drive.waitFor(exit.id, 'completed');
    const exitBefore = (await stack.drive.get('auditor-1', exit.id)).body as { lastSeq: number };
    expect((await get('hr-nhl', `/workers/${exitScenario.subjectId}`)).body.status).toBe('exited');

    // One of the street committee that decided the exit now also holds the county role that hears appeals.
    await stack.db.prisma.roleAssignment.create({ data: { userId: 'dgw-nhl-1', role: 'approver', orgUnitId: 'gl-swb' } });
    const appeal = await stack.drive.submitted('clerk-jyj', 'appeal', exitScenario.subjectId, {
      appealOf: exit.id,
      ground: 'exit',
      reason: '失职情形认定有误',
    });
    const opened = await stack.drive.waitFor(appeal.id, 'in_review');
    const until = Date.now() + 30_000;
    let assignees: string[] = opened.assignees;
    while (assignees.length === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      assignees = (await stack.drive.get('auditor-1', appeal.id)).body.assignees;
    }
    expect(assignees).toEqual(['swb-1', 'swb-2', 'swb-3']);
    const refused = await request(app())
      .post(`/api/v1/cases/${appeal.id}/actions`)
      .set('Authorization', await bearer('dgw-nhl-1'))
      .send({ action: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/never decided by the same people/);
    // A second appeal of the same decision while this one is open.
    const again = await stack.drive.submit('clerk-jyj', 'appeal', exitScenario.subjectId, {
      appealOf: exit.id,
      ground: 'exit',
      reason: '再次申请',
    });
    expect(again.status).toBe(409);

    // While the appeal is open the exit's effect is held (appeal.holdsExit): the records show it held, the worker
    // is counted at post, and the exit's own status change stays as it was.
    const held = (await get('hr-nhl', `/workers/${exitScenario.subjectId}`)).body;
    expect(held.status).toBe('exited');
    expect(held.exitHeld).toEqual({ exitCaseId: exit.id, appealCaseId: appeal.id, since: today });
    expect(await placementOf(exitScenario.subjectId, today)).toEqual({
      at: 'post',
      exitHeld: { exitCaseId: exit.id, appealCaseId: appeal.id, since: today },
    });
    // Before the appeal was filed the exit stood: the worker is not placed.
    expect(await placementOf(exitScenario.subjectId, addDays(today, -1))).toBeUndefined();

    await steps(appeal.id, [
      { by: 'swb-1', action: 'approve' },
      { by: 'swb-1', action: 'approve', data: { heardOn: today, statement: '本人陈述' } },
      { by: 'swb-2', action: 'approve', data: { result: 'upheld', reasoning: '原认定事实不清' } },
      { by: 'swb-2', action: 'approve', data: { repliedOn: today, replyRef: '宁社工复〔2026〕1号' } },
    ]);
    const done = await stack.drive.waitFor(appeal.id, 'completed');
    expect(done.outcome).toBe('upheld');

    // Both cases show the link; the exit's history is as it was.
    expect(done.payload.appealOf).toBe(exit.id);
    // The appeal names the exit by its number and the worker, for the body that heard it as for the clerk.
    const exitNumber = (exitBefore as unknown as { number: string }).number;
    expect(exitNumber).toMatch(/^退出-\d{4}-\d{4}$/);
    for (const user of ['swb-2', 'clerk-jyj']) {
      expect((await stack.drive.get(user, appeal.id)).body.references).toEqual([
        {
          field: 'appealOf',
          id: exit.id,
          case: { number: exitNumber, type: 'exit', subject: done.subject, visible: true, archived: false },
          disciplinaryRecord: null,
        },
      ]);
    }
    const exitAfter = (await stack.drive.get('auditor-1', exit.id)).body as { lastSeq: number; appeals: unknown[] };
    expect(exitAfter.lastSeq).toBe(exitBefore.lastSeq);
    expect(exitAfter.appeals).toEqual([{ id: appeal.id, status: 'completed', outcome: 'upheld' }]);
    // The records: a new entry reverses the exit; the exit's own status change stays.
    const record = (await get('hr-nhl', `/workers/${exitScenario.subjectId}`)).body;
    expect(record.status).toBe('active');
    expect(record.exitHeld).toBeNull();
    expect(await placementOf(exitScenario.subjectId, today)).toEqual({ at: 'post' });
    expect(record.appeals).toEqual([
      expect.objectContaining({ caseId: appeal.id, appealOf: exit.id, ground: 'exit', result: 'upheld', reasoning: '原认定事实不清' }),
    ]);
    expect((record.statusChanges as { toStatus: string; caseId: string }[]).map((s) => [s.toStatus, s.caseId])).toEqual([
      ['exited', exit.id],
      ['active', appeal.id],
    ]);
    // The written reply (复核决定书) with its number.
    const reply = await asBytes(
      request(app())
        .get(`/api/v1/cases/${appeal.id}/documents/appeal-reply`)
        .set('Authorization', await bearer('auditor-1')),
    );
    expect(reply.status).toBe(200);
    const { text } = await pdfText(reply.body as Buffer);
    expect(text).toContain('复核决定书');
    expect(text).toMatch(/社复〔\d{4}〕\d+号/);
    expect(text).toContain('撤销（变更）原决定');
  });

  test('a dismissed appeal of an exit releases the hold: the exit takes effect again, with no new status change', async () => {
    // A contract worker with no elected post: the exit skips 免职 and 罢免.
    const exitScenario = SCENARIOS.exit.find((s) => s.version === undefined) as (typeof SCENARIOS.exit)[number];
    const subjectId = 'w-jyj-07';
    const exit = await stack.drive.submitted(exitScenario.applicantId, 'exit', subjectId, exitScenario.payload);
    // The 免职 step names its effective day, the 罢免 step its meeting's headcount.
    const noPosts = exitScenario.steps.filter((s) => !/"effectiveOn"|"entitled"/.test(JSON.stringify(s)));
    await steps(exit.id, noPosts);
    await stack.drive.waitFor(exit.id, 'completed');
    const appeal = await stack.drive.submitted('clerk-jyj', 'appeal', subjectId, { appealOf: exit.id, ground: 'exit', reason: '程序有误' });
    await stack.drive.waitFor(appeal.id, 'in_review');
    expect((await get('hr-nhl', `/workers/${subjectId}`)).body.exitHeld).toEqual({
      exitCaseId: exit.id,
      appealCaseId: appeal.id,
      since: today,
    });
    expect(await placementOf(subjectId, today)).toEqual(
      expect.objectContaining({ exitHeld: expect.objectContaining({ appealCaseId: appeal.id }) }),
    );
    await steps(appeal.id, [
      { by: 'swb-1', action: 'approve' },
      { by: 'swb-1', action: 'approve', data: { heardOn: today, statement: '本人陈述' } },
      { by: 'swb-3', action: 'approve', data: { result: 'dismissed', reasoning: '原认定事实清楚' } },
      { by: 'swb-3', action: 'approve', data: { repliedOn: today, replyRef: '宁社工复〔2026〕2号' } },
    ]);
    expect((await stack.drive.waitFor(appeal.id, 'completed')).outcome).toBe('dismissed');
    const record = (await get('hr-nhl', `/workers/${subjectId}`)).body;
    expect(record.status).toBe('exited');
    expect(record.exitHeld).toBeNull();
    expect(await placementOf(subjectId, today)).toBeUndefined();
    // Released, not re-applied: the exit's status change is the one that stands.
    expect((record.statusChanges as { toStatus: string; caseId: string }[]).map((s) => [s.toStatus, s.caseId]).slice(-1)).toEqual([
      ['exited', exit.id],
    ]);
  });

  test('an appeal out of time, or of the wrong kind, is refused with the reason', async () => {
    const recorded = await request(app())
      .post('/api/v1/workers/w-mtj-07/disciplinary-records')
      .set('Authorization', await bearer('hr-hnl'))
      .send({ kind: 'contract_warning', startDate: addDays(TEST_TODAY, -45), reason: '迟到早退' });
    expect(recorded.status).toBe(201);
    const disciplinary = (await get('hr-hnl', '/workers/w-mtj-07')).body.disciplinary as { id: string }[];
    const id = disciplinary[disciplinary.length - 1]?.id as string;
    const late = await stack.drive.submit('clerk-mtj', 'appeal', 'w-mtj-07', { appealOf: id, ground: 'discipline', reason: '处分过重' });
    expect(late.status).toBe(422);
    expect(failed(late.body)).toEqual(['appeal.filing-period']);
    const wrongKind = await stack.drive.submit('clerk-mtj', 'appeal', 'w-mtj-07', { appealOf: id, ground: 'exit', reason: '处分过重' });
    expect(failed(wrongKind.body)).toEqual(['appeal.ground', 'appeal.filing-period']);
    const nothing = await stack.drive.submit('clerk-mtj', 'appeal', 'w-mtj-07', { appealOf: 'no-such-case', ground: 'exit', reason: 'x' });
    expect(failed(nothing.body)).toEqual(['appeal.original']);

    // One in time goes in, and names the measure by its kind, day and reason (not its id).
    const recent = await request(app())
      .post('/api/v1/workers/w-mtj-07/disciplinary-records')
      .set('Authorization', await bearer('hr-hnl'))
      .send({ kind: 'contract_warning', startDate: addDays(TEST_TODAY, -3), reason: '未按时报送材料' });
    expect(recent.status).toBe(201);
    const measures = (await get('hr-hnl', '/workers/w-mtj-07')).body.disciplinary as { id: string; reason: string }[];
    const measure = measures.find((d) => d.reason === '未按时报送材料')?.id as string;
    const appeal = await stack.drive.submitted('clerk-mtj', 'appeal', 'w-mtj-07', {
      appealOf: measure,
      ground: 'discipline',
      reason: '处分过重',
    });
    const record = { kind: 'contract_warning', startDate: addDays(TEST_TODAY, -3), reason: '未按时报送材料' };
    const view = (await get('clerk-mtj', `/cases/${appeal.id as string}`)).body as { references: unknown };
    expect(view.references).toEqual([{ field: 'appealOf', id: measure, case: null, disciplinaryRecord: record }]);
  });
});
