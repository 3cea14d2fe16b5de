import request from 'supertest';
import { SEED_WORKERS } from '../prisma/seed';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * GET /api/v1/cases with each filter, free text (a whole name, two characters, one character, the start of a
 * case id), sorting and pages, as an auditor (everything) and as a street approver (their subtree), on real
 * cases in the real read model.
 */
describe('case search', () => {
  const stack = useApiStack('search');
  interface Submitted {
    id: string;
    number: string | null;
    subject: { id: string; name: string };
    orgUnitId: string;
  }
  const cases: Submitted[] = [];

  /** The first worker of the community whom the promotion rules let the clerk propose. */
  async function submitIn(community: string): Promise<Submitted> {
    for (const worker of SEED_WORKERS.filter((w) => w.orgUnitId === community)) {
      const res = await stack.drive.submit(`clerk-${community}`, 'promotion', worker.id, { kind: 'regular' });
      if (res.status === 201) return res.body as Submitted;
      if (res.status !== 422) throw new Error(`submit for ${worker.id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    throw new Error(`no worker of ${community} is eligible for a regular promotion`);
  }

  async function search(user: string, query: Record<string, string>) {
    const res = await request(stack.app)
      .get('/api/v1/cases')
      .query(query)
      .set('Authorization', await bearer(user));
    expect(res.status).toBe(200);
    return res.body as {
      items: { id: string; subject: { name: string }; dueAt: string | null }[];
      total: number;
      nextCursor: string | null;
    };
  }
  const ids = async (user: string, query: Record<string, string>) => (await search(user, query)).items.map((c) => c.id).sort();

  beforeAll(async () => {
    // Two communities of street nhl, two of street hnl.
    for (const community of ['jsl', 'jyj', 'mtj', 'gyl']) cases.push(await submitIn(community));
  });
  const all = () => cases.map((c) => c.id).sort();
  const inNhl = () =>
    cases
      .filter((c) => ['jsl', 'jyj'].includes(c.orgUnitId))
      .map((c) => c.id)
      .sort();

  test('filters by type, status, subject, unit subtree and current stage', async () => {
    expect(await ids('auditor-1', { type: 'promotion' })).toEqual(all());
    expect(await ids('auditor-1', { type: 'exit' })).toEqual([]);
    expect(await ids('auditor-1', { status: 'in_review,returned' })).toEqual(all());
    expect(await ids('auditor-1', { status: 'completed' })).toEqual([]);
    const [first] = cases as [Submitted];
    expect(await ids('auditor-1', { subjectId: first.subject.id })).toEqual([first.id]);
    expect(await ids('auditor-1', { orgUnitId: 'nhl' })).toEqual(inNhl());
    expect(await ids('auditor-1', { stage: 'community-recommendation' })).toEqual(all());
    expect(await ids('auditor-1', { stage: 'street-decision' })).toEqual([]);
    expect(await ids('auditor-1', { overdue: 'true' })).toEqual([]);
    expect(await ids('auditor-1', { submittedFrom: '2000-01-01', submittedTo: '2000-01-02' })).toEqual([]);
  });

  test('each case has a short number, assigned once at submission, in the order submitted; searchable by number or free text', async () => {
    // The demo database starts empty of cases: this file's promotions are the year's first, in the order submitted.
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    expect(cases.map((c) => c.number)).toEqual(cases.map((_, n) => `晋升-${year}-${String(n + 1).padStart(4, '0')}`));
    const [first, second] = cases as [Submitted, Submitted];
    // Reading the case answers the same number; lists carry it too.
    const read = await request(stack.app)
      .get(`/api/v1/cases/${first.id}`)
      .set('Authorization', await bearer('auditor-1'));
    expect(read.body.number).toBe(first.number);
    expect((await search('auditor-1', { number: second.number as string })).items).toEqual([
      expect.objectContaining({ id: second.id, number: second.number }),
    ]);
    // As people type it: full-width dashes, leading zeros left out; and through the free-text search.
    const typed = (second.number as string).replace(/-/g, '－').replace(/-0+/, '-');
    expect(await ids('auditor-1', { number: typed })).toEqual([second.id]);
    expect(await ids('auditor-1', { q: first.number as string })).toEqual([first.id]);
    // Outside the caller's subtree a number finds nothing, as any other search.
    const elsewhere = cases.find((c) => !['jsl', 'jyj'].includes(c.orgUnitId)) as Submitted;
    expect(await ids('dgw-nhl-1', { number: elsewhere.number as string })).toEqual([]);
    // Not a number: 400 naming the parameter.
    const bad = await request(stack.app)
      .get('/api/v1/cases')
      .query({ number: '晋升2026' })
      .set('Authorization', await bearer('auditor-1'));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/number/);
  });

  test('free text finds a whole name, two of its characters, one character, or the start of a case id', async () => {
    const [first] = cases as [Submitted];
    const name = first.subject.name;
    expect(await ids('auditor-1', { q: name })).toContain(first.id);
    for (const q of [name.slice(0, 2), name.slice(-2), name.slice(-1)]) {
      const found = await search('auditor-1', { q });
      expect(found.items.map((c) => c.id)).toContain(first.id);
      for (const c of found.items) expect(c.subject.name).toContain(q);
    }
    expect(await ids('auditor-1', { q: first.id.slice(0, 8) })).toEqual([first.id]);
    expect(await ids('auditor-1', { q: '不存在的名字' })).toEqual([]);
  });

  test('a street approver finds only cases of their own subtree, whatever the filter', async () => {
    expect(await ids('dgw-nhl-1', {})).toEqual(inNhl());
    const outside = cases.find((c) => c.orgUnitId === 'mtj') as Submitted;
    expect(await ids('auditor-1', { q: outside.subject.name })).toContain(outside.id);
    // Demo names repeat across streets: a namesake in nhl may match, the case in hnl may not.
    const byName = await ids('dgw-nhl-1', { q: outside.subject.name });
    expect(byName).not.toContain(outside.id);
    for (const id of byName) expect(inNhl()).toContain(id);
    expect(await ids('dgw-nhl-1', { q: outside.id.slice(0, 8) })).toEqual([]);
    expect(await ids('dgw-nhl-1', { subjectId: outside.subject.id })).toEqual([]);
    expect(await ids('dgw-nhl-1', { orgUnitId: 'hnl' })).toEqual([]);
  });

  test('pages carry the total and a cursor, and dueAt sorts the most urgent first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof search>> = await search('auditor-1', { limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(cases.length);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(all());

    const byDue = (await search('auditor-1', { sort: 'dueAt' })).items.map((c) => c.dueAt as string);
    expect(byDue).toHaveLength(cases.length);
    expect([...byDue].sort()).toEqual(byDue);
  });

  /** Who the case waits for now (the community's secretary, unless the case is about them). */
  const assignee = async (caseId: string) => ((await stack.drive.get('auditor-1', caseId)).body.assignees as string[])[0] as string;

  test('mine=submitted lists what the caller submitted (我发起的), mine=handled what they acted on (已办)', async () => {
    const jsl = cases.find((c) => c.orgUnitId === 'jsl') as Submitted;
    const approver = await assignee(jsl.id);
    expect(await ids('clerk-jsl', { mine: 'submitted' })).toEqual([jsl.id]);
    expect(await ids('clerk-jyj', { mine: 'submitted', q: jsl.subject.name })).toEqual([]);
    expect(await ids(approver, { mine: 'handled' })).toEqual([]);
    await stack.drive.act(approver, jsl.id, { action: 'comment', comment: '请补充材料' });
    expect(await ids(approver, { mine: 'handled' })).toEqual([jsl.id]);
    // Submitting is not handling: the clerk's own case is 我发起的, not 已办.
    expect(await ids('clerk-jsl', { mine: 'handled' })).toEqual([]);
    const bad = await request(stack.app)
      .get('/api/v1/cases')
      .query({ mine: 'everything' })
      .set('Authorization', await bearer(approver));
    expect(bad.status).toBe(400);
  });

  test("the inbox's search narrows 待办 by the subject's name or the start of the case id", async () => {
    const jsl = cases.find((c) => c.orgUnitId === 'jsl') as Submitted;
    const approver = await assignee(jsl.id);
    const inbox = async (q: string) => {
      const res = await request(stack.app)
        .get('/api/v1/inbox')
        .query(q ? { q } : {})
        .set('Authorization', await bearer(approver));
      expect(res.status).toBe(200);
      return (res.body as { items: { id: string }[] }).items.map((c) => c.id);
    };
    expect(await inbox('')).toContain(jsl.id);
    expect(await inbox(jsl.subject.name)).toEqual([jsl.id]);
    expect(await inbox(jsl.id.slice(0, 8))).toEqual([jsl.id]);
    expect(await inbox('没有这个人')).toEqual([]);
  });
});
