import request from 'supertest';
import { SCENARIOS } from '../scripts/history-scenarios';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * Copies (抄送, issue #16) through the API, on the real Temporal dev server and PostgreSQL: the error-tolerance
 * ruling (definition version 3) is copied to the county organisation department as the collective decision is
 * made. Its staff become the case's observers: recorded in the chain, notified, listed under "抄送我", reading
 * the case and its documents (also once they moved elsewhere), never acting on it; nobody else gains anything.
 */
describe('copies (抄送)', () => {
  const stack = useApiStack('copies');
  const app = () => stack.app;
  const scenario = SCENARIOS['error-tolerance'].find((s) => s.version === undefined) as (typeof SCENARIOS)['error-tolerance'][number];
  /** Up to the collective decision (acceptance, verification, statement); the meeting is the fourth step. */
  const beforeRuling = scenario.steps.slice(0, 3);

  const get = async (user: string, path: string) =>
    request(app())
      .get(path)
      .set('Authorization', await bearer(user));

  /** Takes a step, waiting while its stage is still opening. */
  async function step(caseId: string, { by, ...body }: (typeof scenario.steps)[number]) {
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await request(app())
        .post(`/api/v1/cases/${caseId}/actions`)
        .set('Authorization', await bearer(by))
        .send(body);
      if (res.status === 200) return res.body;
      if (res.status !== 409 || Date.now() > until) throw new Error(`${by} ${body.action}: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function copiedToMe(user: string): Promise<string[]> {
    const res = await get(user, '/api/v1/cases?copiedToMe=true');
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((c) => c.id);
  }

  let caseId: string;

  beforeAll(async () => {
    const kase = await stack.drive.submitted(scenario.applicantId, 'error-tolerance', scenario.subjectId, scenario.payload);
    caseId = kase.id;
    expect(kase.definitionVersion).toBe(3);
    for (const s of beforeRuling) await step(caseId, s);
  });

  test('nobody is copied before the ruling', async () => {
    const events = await get('auditor-1', `/api/v1/cases/${caseId}/events`);
    expect((events.body.items as { action: string }[]).some((e) => e.action === 'copied')).toBe(false);
    expect(await copiedToMe('zzb-1')).not.toContain(caseId);
  });

  test('the ruling is copied to the organisation department: one event in the chain, a copy notification each', async () => {
    await step(caseId, scenario.steps[3] as (typeof scenario.steps)[number]);
    const events = await get('auditor-1', `/api/v1/cases/${caseId}/events`);
    const copied = (events.body.items as { action: string; stage: string; data: unknown }[]).filter((e) => e.action === 'copied');
    expect(copied).toEqual([
      expect.objectContaining({
        stage: 'collective-decision',
        data: { to: [{ level: 'county', department: 'organisation_hr', role: 'approver' }], observers: ['zzb-1', 'zzb-2', 'zzb-3'] },
      }),
    ]);

    for (const user of ['zzb-1', 'zzb-2', 'zzb-3']) {
      expect(await copiedToMe(user)).toEqual([caseId]);
      const inbox = await get(user, '/api/v1/notifications');
      expect(inbox.status).toBe(200);
      const copies = (inbox.body.items as { caseId: string; kind: string; stage: string }[]).filter(
        (n) => n.caseId === caseId && n.kind === 'copy',
      );
      expect(copies).toEqual([expect.objectContaining({ stage: 'collective-decision' })]);
    }
    // Those who decided, and the applicant, are not copied; nor is anyone's list of copies filled by others' cases.
    expect(await copiedToMe('jw-1')).toEqual([]);
    expect(await copiedToMe('clerk-jsl')).toEqual([]);
  });

  test('an observer reads the case, its documents and dossier (the national ID masked), and cannot act (403)', async () => {
    // zzb-3 moves to the 湖南路 street office: the county no longer lies in their roles' scope, the copy still does.
    await stack.db.prisma.roleAssignment.updateMany({ where: { userId: 'zzb-3' }, data: { orgUnitId: 'hnl-bsc' } });
    const kase = await get('zzb-3', `/api/v1/cases/${caseId}`);
    expect(kase.status).toBe(200);
    expect(kase.body.allowedActions).toEqual([]);
    const documents = await get('zzb-3', `/api/v1/cases/${caseId}/documents`);
    expect(documents.status).toBe(200);
    expect((documents.body.items as { kind: string }[]).map((d) => d.kind)).toContain('approval-form');
    const dossier = await get('zzb-3', `/api/v1/cases/${caseId}/dossier`);
    expect(dossier.status).toBe(200);
    const worker = await stack.db.prisma.communityWorker.findUniqueOrThrow({ where: { id: scenario.subjectId } });
    expect(dossier.body.subject.nationalId).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(dossier.body)).not.toContain(worker.nationalId);
    expect(await copiedToMe('zzb-3')).toEqual([caseId]);

    // The reply stage is open: an observer may neither decide it nor comment on the case.
    for (const body of [
      { action: 'approve', data: { repliedOn: '2026-12-01', replyRef: '鼓纪容〔2026〕9号' } },
      { action: 'comment', comment: '已阅' },
    ]) {
      const res = await request(app())
        .post(`/api/v1/cases/${caseId}/actions`)
        .set('Authorization', await bearer('zzb-3'))
        .send(body);
      expect({ action: body.action, status: res.status }).toEqual({ action: body.action, status: 403 });
    }
  });

  test('someone neither copied nor in scope reads nothing of it', async () => {
    // dgw-hnl-1 sits where zzb-3 now sits (湖南路), without the copy.
    expect((await get('dgw-hnl-1', `/api/v1/cases/${caseId}`)).status).toBe(404);
    expect((await get('dgw-hnl-1', `/api/v1/cases/${caseId}/documents`)).status).toBe(404);
    expect(await copiedToMe('dgw-hnl-1')).toEqual([]);
    const list = await get('dgw-hnl-1', '/api/v1/cases');
    expect((list.body.items as { id: string }[]).map((c) => c.id)).not.toContain(caseId);
  });

  test('observers are told the decision; the rest of the case runs as before', async () => {
    for (const s of scenario.steps.slice(4)) await step(caseId, s);
    await stack.drive.waitFor(caseId, 'completed');
    const inbox = await get('zzb-2', '/api/v1/notifications');
    const kinds = (inbox.body.items as { caseId: string; kind: string }[]).filter((n) => n.caseId === caseId).map((n) => n.kind);
    expect(kinds).toContain('decision');
    expect(kinds.filter((k) => k === 'copy')).toHaveLength(1);
  });
});
