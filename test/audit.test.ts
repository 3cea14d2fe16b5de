import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import request from 'supertest';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { bearer } from './helpers/api';
import { useApiStack } from './helpers/stack';

/**
 * The auditors' view of the demo cases: the CSV and JSON exports give the same events, the chains verify,
 * editing one stored event is reported at exactly that case and sequence, and the audit reads are recorded.
 */
describe('audit trail', () => {
  const stack = useApiStack('audit');
  const caseIds: string[] = [];

  beforeAll(async () => {
    const completed = await stack.drive.submitted('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    await stack.drive.act('sec-jsl', completed.id, { action: 'approve', comment: '同意, "推荐"\n第二行' });
    await stack.drive.meeting('dgw-nhl-2', completed.id);
    const rejected = await stack.drive.submitted('clerk-jyj', 'promotion', 'w-jyj-03', { kind: 'regular' });
    await stack.drive.act('sec-jyj', rejected.id, { action: 'reject', comment: '材料不全' });
    const open = await stack.drive.submitted('clerk-mtj', 'exit', 'w-mtj-05', {
      reason: 'consecutive-incompetent',
      detail: '连续两年不合格',
    });
    await stack.drive.waitFor(completed.id, 'completed');
    caseIds.push(completed.id, rejected.id, open.id);
  });

  test('CSV and JSON exports give the same events', async () => {
    const auth = await bearer('auditor-1');
    const json: Record<string, unknown>[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: request.Response = await request(stack.app)
        .get(`/api/v1/audit/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        .set('Authorization', auth);
      expect(page.status).toBe(200);
      json.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const csv = await request(stack.app).get('/api/v1/audit/events?format=csv').set('Authorization', auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse<Record<string, string>>(csv.text, { columns: true });
    expect(rows.length).toBe(json.length);
    expect(json.length).toBe(await stack.db.prisma.caseEvent.count());
    const fromCsv = rows.map(({ caseDigest, ...r }) => ({
      ...r,
      ...(caseDigest ? { caseDigest } : {}),
      seq: Number(r.seq),
      data: JSON.parse(r.data as string),
      actorId: r.actorId || null,
      fromStatus: r.fromStatus || null,
      stage: r.stage || null,
      comment: r.comment || null,
    }));
    // The JSON rows also name each case's type and subject for the audit screen; the CSV is the events as stored.
    expect(fromCsv).toEqual(json.map(({ case: _case, ...event }) => event));
    expect(json.every((e) => (e.case as { subjectName?: unknown } | null)?.subjectName)).toBe(true);
    expect(new Set(json.map((e) => e.caseId))).toEqual(new Set(caseIds));

    const filtered = await request(stack.app).get(`/api/v1/audit/events?actorId=sec-jsl&action=approve`).set('Authorization', auth);
    expect(filtered.body.items).toEqual([
      expect.objectContaining({ actorId: 'sec-jsl', action: 'approve', comment: '同意, "推荐"\n第二行' }),
    ]);
  });

  test('every chain verifies; editing one stored event is reported at that case and sequence', async () => {
    const auth = await bearer('auditor-1');
    const intact = await request(stack.app).get('/api/v1/audit/verify').set('Authorization', auth);
    expect(intact.body).toEqual({ ok: true, checked: await stack.db.prisma.caseEvent.count(), cases: 3, broken: [] });

    // Tamper as a database superuser would: the append-only trigger has to be switched off first.
    stack.db.tampered.add(caseIds[0] as string);
    const pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    try {
      await pg.query('ALTER TABLE "CaseEvent" DISABLE TRIGGER "CaseEvent_append_only"');
      await pg.query(`UPDATE "CaseEvent" SET comment = '同意' WHERE "caseId" = $1 AND seq = 3`, [caseIds[0]]);
      await pg.query('ALTER TABLE "CaseEvent" ENABLE TRIGGER "CaseEvent_append_only"');
    } finally {
      await pg.end();
    }
    const broken = await request(stack.app).get('/api/v1/audit/verify').set('Authorization', auth);
    expect(broken.body).toMatchObject({
      ok: false,
      broken: [{ caseId: caseIds[0], seq: 3, reason: 'hash-mismatch' }],
      firstBroken: { caseId: caseIds[0], seq: 3, reason: 'hash-mismatch' },
    });
    const one = await request(stack.app)
      .get(`/api/v1/audit/verify?caseId=${caseIds[0]}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(one.body).toMatchObject({ ok: false, cases: 1, firstBroken: { caseId: caseIds[0], seq: 3 } });
    const other = await request(stack.app).get(`/api/v1/audit/verify?caseId=${caseIds[1]}`).set('Authorization', auth);
    expect(other.body).toMatchObject({ ok: true, cases: 1 });
  });

  test('the dossier holds the whole file, and audit reads are themselves recorded', async () => {
    const before = await stack.db.prisma.auditAccess.count({ where: { userId: 'auditor-2' } });
    const dossier = await request(stack.app)
      .get(`/api/v1/cases/${caseIds[0]}/dossier`)
      .set('Authorization', await bearer('auditor-2'));
    expect(dossier.status).toBe(200);
    expect(dossier.body).toMatchObject({
      case: { id: caseIds[0], status: 'completed' },
      payload: { kind: 'regular' },
      process: {
        type: 'promotion',
        stages: [expect.objectContaining({ id: 'community-recommendation' }), expect.objectContaining({ id: 'street-decision' })],
      },
      eligibility: { atSubmission: { eligible: true }, rechecks: [expect.objectContaining({ eligible: true, stage: 'street-decision' })] },
    });
    expect(dossier.body.decisions.map((d: { action: string; actorId: string }) => `${d.action}:${d.actorId}`)).toEqual([
      'approve:sec-jsl',
      'record-meeting:dgw-nhl-2',
    ]);
    expect(dossier.body.eligibility.atSubmission.reasons.length).toBeGreaterThan(0);
    await request(stack.app)
      .get('/api/v1/audit/events?limit=1')
      .set('Authorization', await bearer('auditor-2'));
    await request(stack.app)
      .get('/api/v1/audit/verify')
      .set('Authorization', await bearer('auditor-2'));
    const reads = await stack.db.prisma.auditAccess.findMany({ where: { userId: 'auditor-2' }, orderBy: { at: 'asc' } });
    expect(reads.length - before).toBe(3);
    expect(reads.slice(-3).map((r) => r.route)).toEqual(['/cases/:id/dossier', '/audit/events', '/audit/verify']);
  });

  test("the dossier of an open case lists the current stage's assignees", async () => {
    const open = caseIds[2] as string;
    let assignees: string[] = [];
    for (const until = Date.now() + 30_000; assignees.length === 0 && Date.now() < until;) {
      assignees = (await stack.drive.get('auditor-1', open)).body.assignees;
      if (assignees.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(assignees.length).toBeGreaterThan(0);
    const dossier = await request(stack.app)
      .get(`/api/v1/cases/${open}/dossier`)
      .set('Authorization', await bearer('auditor-1'));
    expect(dossier.status).toBe(200);
    expect(dossier.body.case).toMatchObject({ id: open, status: 'in_review', assignees });
  });

  test('free text a spreadsheet would run as a formula is escaped in the CSV export', async () => {
    const open = caseIds[2] as string;
    const formula = '=HYPERLINK("http://x")';
    await stack.drive.act('clerk-mtj', open, { action: 'comment', comment: formula });
    await stack.drive.act('clerk-mtj', open, { action: 'comment', comment: '-1+2' });
    const csv = await request(stack.app)
      .get(`/api/v1/audit/events?format=csv&caseId=${open}&action=comment`)
      .set('Authorization', await bearer('auditor-1'));
    expect(csv.status).toBe(200);
    const rows = parse<Record<string, string>>(csv.text, { columns: true });
    expect(rows.map((r) => r.comment)).toEqual([`'${formula}`, "'-1+2"]);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    // The JSON export keeps the comment as written.
    const json = await request(stack.app)
      .get(`/api/v1/audit/events?caseId=${open}&action=comment`)
      .set('Authorization', await bearer('auditor-1'));
    expect(json.body.items.map((e: { comment: string }) => e.comment)).toEqual([formula, '-1+2']);
  });

  test('the case row is covered too: an edited payload is reported, and verify lists every broken case', async () => {
    // The rejected case's row gets another payload, as a database writer could give it; its events stay intact.
    stack.db.tampered.add(caseIds[1] as string);
    await stack.db.prisma.case.update({ where: { id: caseIds[1] }, data: { payload: { kind: 'early' } } });
    const lastSeq = (await stack.db.prisma.case.findUniqueOrThrow({ where: { id: caseIds[1] } })).lastSeq;
    const all = await request(stack.app)
      .get('/api/v1/audit/verify')
      .set('Authorization', await bearer('auditor-1'));
    expect(all.body).toMatchObject({ ok: false, cases: 3 });
    expect(all.body.broken).toEqual(
      [
        { caseId: caseIds[0], seq: 3, reason: 'hash-mismatch' },
        { caseId: caseIds[1], seq: lastSeq, reason: 'case-facts-mismatch' },
      ].sort((a, b) => ((a.caseId as string) < (b.caseId as string) ? -1 : 1)),
    );

    // Split into id ranges walked at once (one case each, or fewer ranges than asked when cases are few), the
    // walk finds the same, in the same order.
    const audit = createStore(stack.db.prisma).audit;
    const { checked, cases, broken } = all.body as { checked: number; cases: number; broken: unknown[] };
    for (const parts of [1, 2, 3, 5])
      expect(await verifyChains(audit, undefined, parts)).toMatchObject({ ok: false, checked, cases, broken });
  });
});
