import request from 'supertest';
import { chineseDate } from '../services/documents';
import { SCENARIOS } from '../scripts/history-scenarios';
import { createStore } from '../store';
import { bearer } from './helpers/api';
import { asBytes } from './helpers/files';
import { pdfText } from './helpers/pdf-text';
import { useApiStack } from './helpers/stack';

/**
 * The official documents of real cases, driven through the API to their decisions: each PDF's text is extracted
 * (PDF.js) and read for the subject's name, the dates and the decision in Chinese, as characters a search
 * finds (工, 人, 日, 月, 见 as themselves, not Kangxi radicals). Document numbers are gapless under concurrency.
 */
describe('official documents (PDF)', () => {
  const stack = useApiStack('documents');
  const app = () => stack.app;

  /** The scenario of a type that runs its current definition (what a submission through the API starts). */
  const current = <T extends { version?: number }>(list: T[]) => list.find((s) => s.version === undefined) as T;

  /** Runs a recorded scenario through HTTP; a step waits while its stage is still opening or a timer runs. */
  async function run(scenario: (typeof SCENARIOS)[keyof typeof SCENARIOS][number], type: string) {
    const kase = await stack.drive.submitted(scenario.applicantId, type, scenario.subjectId, scenario.payload);
    for (const { by, ...body } of scenario.steps) {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await request(app())
          .post(`/api/v1/cases/${kase.id}/actions`)
          .set('Authorization', await bearer(by))
          .send(body);
        if (res.status === 200) break;
        if (res.status !== 409 || Date.now() > until) throw new Error(`${by} ${body.action}: ${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return kase as { id: string; subject: { name: string } };
  }

  async function documents(caseId: string, user = 'auditor-1') {
    const list = await request(app())
      .get(`/api/v1/cases/${caseId}/documents`)
      .set('Authorization', await bearer(user));
    expect(list.status).toBe(200);
    const out: Record<string, string> = {};
    for (const item of list.body.items as { kind: string; url: string }[]) {
      const res = await asBytes(
        request(app())
          .get(item.url)
          .set('Authorization', await bearer(user)),
      );
      expect({ kind: item.kind, status: res.status, type: res.headers['content-type'] }).toEqual({
        kind: item.kind,
        status: 200,
        type: 'application/pdf',
      });
      expect(res.headers['content-disposition']).toMatch(/^inline; filename=".*"; filename\*=UTF-8''/);
      const { text } = await pdfText(res.body as Buffer);
      out[item.kind] = text;
    }
    return out;
  }

  const today = chineseDate(new Date().toISOString());

  test('a promotion: the approval form and the public notice, searchable in Chinese', async () => {
    const kase = await run(current(SCENARIOS.promotion), 'promotion');
    await stack.drive.waitFor(kase.id, 'completed');
    const docs = await documents(kase.id);
    expect(Object.keys(docs)).toEqual(['approval-form', 'public-notice']);
    const form = docs['approval-form'] as string;
    expect(form).toContain('社区工作者岗位等级晋升审批表');
    expect(form).toContain(kase.subject.name);
    expect(form).toContain(`申请日期 ${today}`);
    expect(form).toContain('签署人');
    expect(form).toContain('出席，表决：同意');
    expect(form).toContain('应到3人，实到3人；同意3票，反对0票，弃权0票；通过');
    expect(form).toContain('公示期间未收到异议');
    expect(form).not.toMatch(/\d{17}[\dXx]/); // never a national ID number
    const notice = docs['public-notice'] as string;
    expect(notice).toContain(`关于${kase.subject.name}同志拟晋升一个岗位等级的公示`);
    expect(notice).toMatch(new RegExp(`公示期为${today}至\\d{4}年\\d{1,2}月\\d{1,2}日`));
    expect(notice).toContain('受理电话');
    // The characters a browser's print used to turn into Kangxi radicals (⼯ U+2F2F, ⼈ U+2F08, ⽇ U+2F47, ⽉ U+2F49, ⻅ U+2EC5).
    for (const c of ['工', '人', '日', '月', '见']) expect(form + notice).toContain(c);
    expect(form + notice).not.toMatch(/[\u2e80-\u2fdf]/);
  });

  test('an error-tolerance ruling with its collective decision, and its 文号', async () => {
    const kase = await run(current(SCENARIOS['error-tolerance']), 'error-tolerance');
    const docs = await documents(kase.id);
    expect(Object.keys(docs)).toEqual(['approval-form', 'error-tolerance-ruling']);
    expect(docs['approval-form']).toContain('应到3人，实到3人；同意3票，反对0票，弃权0票；通过');
    expect(docs['approval-form']).toContain('出席，表决：同意');
    expect(docs['approval-form']).toContain('会议纪要');
    const ruling = docs['error-tolerance-ruling'] as string;
    expect(ruling).toContain('容错纠错认定书');
    expect(ruling).toMatch(/纪容〔\d{4}〕\d+号/);
    expect(ruling).toContain(`${kase.subject.name}同志`);
    expect(ruling).toContain('2026-07-20');
    expect(ruling).toContain('予以容错，对你从轻或减轻处理');
    expect(ruling).toContain(today);
  });

  test('the clearance letter, the commendation decision and the termination notice with its proof of service', async () => {
    const cleared = await run(current(SCENARIOS['name-clearing']), 'name-clearing');
    const letter = (await documents(cleared.id))['clearance-letter'] as string;
    expect(letter).toContain('澄清函');
    expect(letter).toContain(`${cleared.subject.name}同志的有关问题失实：反映问题不属实`);
    expect(letter).toMatch(/纪澄〔\d{4}〕\d+号/);

    const award = current(SCENARIOS.commendation);
    const awarded = await run(award, 'commendation');
    const decision = (await documents(awarded.id))['commendation-decision'] as string;
    expect(decision).toContain(`授予${awarded.subject.name}同志“${award.payload.awardTitle as string}”称号`);
    expect(decision).toMatch(/党工委〔\d{4}〕\d+号/);

    const exited = await run(current(SCENARIOS.exit), 'exit');
    const notice = (await documents(exited.id))['termination-notice'] as string;
    expect(notice).toContain('解除（终止）劳动合同通知书');
    expect(notice).toContain(`${exited.subject.name}同志`);
    expect(notice).toContain('失职造成重大损失');
    expect(notice).toContain('送达回证');
    expect(notice).toMatch(/受送达人.*\f?/);
  });

  test('a document a case does not have is a 409; a case the caller cannot see is a 404', async () => {
    const kase = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    const notice = await request(app())
      .get(`/api/v1/cases/${kase.id}/documents/public-notice`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(notice.status).toBe(409);
    const unknown = await request(app())
      .get(`/api/v1/cases/${kase.id}/documents/letter-of-marque`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(unknown.status).toBe(404);
    const hidden = await request(app())
      .get(`/api/v1/cases/${kase.id}/documents/approval-form`)
      .set('Authorization', await bearer('clerk-mtj'));
    expect(hidden.status).toBe(404);
  });

  test('document numbers are gapless per issuer and year, and one per case and kind, under concurrency', async () => {
    const { documents: store } = createStore(stack.db.prisma);
    const issuer = `并发测试机关-${Date.now()}`;
    const numbers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.assignNumber({ caseId: `c-${issuer}-${i % 10}`, kind: 'clearance-letter', issuer, year: 2026 }),
      ),
    );
    // Ten cases, each asked twice at once: ten numbers, 1..10, each case keeping one.
    expect([...new Set(numbers)].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    for (let i = 0; i < 10; i += 1) expect(numbers[i]).toBe(numbers[i + 10]);
    expect(await store.assignNumber({ caseId: 'another', kind: 'clearance-letter', issuer, year: 2027 })).toBe(1);
  });
});
