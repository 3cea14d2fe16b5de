import type { Express } from 'express';
import request from 'supertest';
import { verifyCaseChain } from '../domain/history';
import { chainedEvent } from '../store/case-events';
import { createApp, createServices, type Services } from '../api/app';
import { bearer, testAppDeps } from './helpers/api';
import { asBytes, docxBytes, jpegBytes, ofdBytes, otherZipBytes, pdfBytes, pngBytes, xlsxBytes } from './helpers/files';
import { useApiStack } from './helpers/stack';

/**
 * Attachments against the real stack (PostgreSQL keeps the bytes): types by content, limits, names, the hash
 * chain, visibility, removal, and nothing half stored when a request fails.
 */
describe('attachments (bytes in PostgreSQL)', () => {
  const stack = useApiStack('attachments');
  let app: Express;
  let services: Services;
  const MAX_FILE = 64 * 1024;
  const MAX_CASE = 100 * 1024;

  beforeAll(() => {
    const deps = testAppDeps({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      attachments: { limits: { maxFileBytes: MAX_FILE, maxCaseBytes: MAX_CASE } },
    });
    services = createServices(deps);
    app = createApp(deps, services);
  });

  const submit = async (attachments?: string[]) => {
    const res = await request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' }, ...(attachments ? { attachments } : {}) });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const upload = async (user: string, url: string, bytes: Buffer, filename: string, fields: Record<string, string> = {}) => {
    let req = request(app)
      .post(url)
      .set('Authorization', await bearer(user));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', bytes, { filename, contentType: 'text/plain' });
  };
  const events = async (caseId: string) =>
    (await stack.db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map(chainedEvent);
  const rowCount = () => stack.db.prisma.attachment.count();

  test('a file uploaded to a case: its type from its bytes, its name sanitised, its hash in the chain, its bytes back', async () => {
    const kase = await submit();
    const bytes = pdfBytes('考核');
    const res = await upload('clerk-jsl', `/api/v1/cases/${kase.id}/attachments`, bytes, '../../2025年度 考核表.pdf', { kind: '考核表' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId: kase.id,
      name: '2025年度 考核表.pdf',
      mediaType: 'application/pdf',
      size: bytes.length,
      kind: '考核表',
      stage: 'community-recommendation',
      uploaderId: 'clerk-jsl',
      removed: false,
    });
    const chain = await events(kase.id);
    const added = chain.find((e) => e.action === 'attachment_added');
    expect(added).toMatchObject({
      actorId: 'clerk-jsl',
      stage: 'community-recommendation',
      data: { attachmentId: res.body.id, sha256: res.body.sha256, size: bytes.length, mediaType: 'application/pdf', kind: '考核表' },
    });
    expect(verifyCaseChain(kase.id, chain).ok).toBe(true);

    const list = await request(app)
      .get(`/api/v1/cases/${kase.id}/attachments`)
      .set('Authorization', await bearer('sec-jsl'));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);

    const content = await asBytes(
      request(app)
        .get(`/api/v1/attachments/${res.body.id}/content`)
        .set('Authorization', await bearer('sec-jsl')),
    );
    expect(content.status).toBe(200);
    expect(Buffer.compare(content.body as Buffer, bytes)).toBe(0);
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.headers['content-disposition']).toBe(
      `inline; filename="2025__ ___.pdf"; filename*=UTF-8''2025%E5%B9%B4%E5%BA%A6%20%E8%80%83%E6%A0%B8%E8%A1%A8.pdf`,
    );
  });

  test('every accepted type is told by its bytes; others, empty, oversized and cut-short uploads are refused and nothing is kept', async () => {
    const accepted: [Buffer, string, string][] = [
      [pngBytes(), 'photo', 'image/png'],
      [jpegBytes(), 'photo.png', 'image/jpeg'],
      [docxBytes(), '情况说明', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [xlsxBytes(), 'table.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      [ofdBytes(), '证书.ofd', 'application/ofd'],
    ];
    for (const [bytes, name, mediaType] of accepted) {
      const res = await upload('clerk-jsl', '/api/v1/attachments', bytes, name);
      expect({ name, status: res.status, mediaType: res.body.mediaType }).toEqual({ name, status: 201, mediaType });
    }
    expect((await upload('clerk-jsl', '/api/v1/attachments', pngBytes(), 'photo')).body.name).toBe('photo.png');

    const before = await rowCount();
    const refused: [Buffer, string, number, RegExp][] = [
      [Buffer.from('MZ\x90\x00 an executable'), 'report.pdf', 415, /not one of the accepted types/],
      [otherZipBytes(), 'x.docx', 415, /not an OFD, DOCX or XLSX/],
      [Buffer.alloc(0), 'empty.pdf', 400, /empty/],
      [pdfBytes().subarray(0, 40), 'cut.pdf', 400, /truncated/],
      [docxBytes().subarray(0, 60), 'cut.docx', 400, /damaged or truncated/],
      [Buffer.concat([pdfBytes(), Buffer.alloc(MAX_FILE)]), 'big.pdf', 413, /limit of 65536 bytes per file/],
    ];
    for (const [bytes, name, status, detail] of refused) {
      const res = await upload('clerk-jsl', '/api/v1/attachments', bytes, name);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body.detail).toMatch(detail);
    }
    const truncated = await request(app)
      .post('/api/v1/attachments')
      .set('Authorization', await bearer('clerk-jsl'))
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send(
        '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then nothing',
      );
    expect(truncated.status).toBe(400);
    expect(truncated.body.detail).toMatch(/incomplete or malformed/);
    const noFile = await request(app)
      .post('/api/v1/attachments')
      .set('Authorization', await bearer('clerk-jsl'))
      .field('kind', '证书');
    expect(noFile.status).toBe(400);
    const json = await request(app)
      .post('/api/v1/attachments')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ file: 'x' });
    expect(json.status).toBe(415);
    expect(await rowCount()).toBe(before);
  });

  test('files attached with the submission and with an action enter the chain at their stage', async () => {
    const pending = await upload('clerk-jsl', '/api/v1/attachments', pdfBytes('申请'), '申请书.pdf', { kind: '情况说明' });
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ caseId: null, attachedAt: null });
    // Nobody else may name another's pending file, nor read it.
    const foreign = await request(app)
      .get(`/api/v1/attachments/${pending.body.id}/content`)
      .set('Authorization', await bearer('sec-jsl'));
    expect(foreign.status).toBe(404);

    const kase = await submit([pending.body.id]);
    const reused = await request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' }, attachments: [pending.body.id] });
    expect(reused.status).toBe(400);
    expect(reused.body.detail).toMatch(/already attached to another case/);

    const minutes = await upload('sec-jsl', '/api/v1/attachments', pdfBytes('纪要'), '会议纪要.pdf', { kind: '会议纪要' });
    const notMine = await request(app)
      .post(`/api/v1/cases/${kase.id}/actions`)
      .set('Authorization', await bearer('dep-jsl'))
      .send({ action: 'approve', attachments: [minutes.body.id] });
    expect(notMine.status).toBe(400);
    const approved = await request(app)
      .post(`/api/v1/cases/${kase.id}/actions`)
      .set('Authorization', await bearer('sec-jsl'))
      .send({ action: 'approve', comment: '同意推荐', attachments: [minutes.body.id] });
    expect(approved.status).toBe(200);

    const chain = await events(kase.id);
    const names = chain.map((e) => `${e.action}@${e.stage ?? ''}`);
    expect(names.slice(0, 2)).toEqual(['submit@', 'attachment_added@community-recommendation']);
    const byAction = names.indexOf('approve@community-recommendation');
    expect(names[byAction - 1]).toBe('attachment_added@community-recommendation');
    expect(chain[byAction - 1]).toMatchObject({ actorId: 'sec-jsl', data: { attachmentId: minutes.body.id, kind: '会议纪要' } });
    expect(verifyCaseChain(kase.id, chain).ok).toBe(true);

    const list = await request(app)
      .get(`/api/v1/cases/${kase.id}/attachments`)
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([pending.body.id, minutes.body.id]);
  });

  test('files named with a stage action are refused, naming the problem, before the action is applied', async () => {
    const kase = await submit();
    const act = async (user: string, attachments: string[]) =>
      request(app)
        .post(`/api/v1/cases/${kase.id}/actions`)
        .set('Authorization', await bearer(user))
        .send({ action: 'approve', comment: '同意', attachments });
    const pending = async (user: string, name: string) =>
      (await upload(user, '/api/v1/attachments', pdfBytes(name), `${name}.pdf`)).body.id as string;
    const refused = async (user: string, ids: string[], status: number, detail: RegExp) => {
      const before = (await events(kase.id)).length;
      const caseIds = new Map((await stack.db.prisma.attachment.findMany({ where: { id: { in: ids } } })).map((r) => [r.id, r.caseId]));
      const res = await act(user, ids);
      expect(res.status).toBe(status);
      expect(res.body.detail).toMatch(detail);
      // Nothing of the action reached the history, and the files are the uploader's again.
      expect(await events(kase.id)).toHaveLength(before);
      const rows = await stack.db.prisma.attachment.findMany({ where: { id: { in: ids } } });
      expect(rows.map((r) => [r.id, r.caseId])).toEqual(rows.map((r) => [r.id, caseIds.get(r.id) ?? null]));
    };

    const mine = await pending('sec-jsl', '纪要');
    await refused('sec-jsl', [mine, mine], 400, new RegExp(`file "${mine}" is named twice`));
    await refused('sec-jsl', ['no-such-file'], 400, /"no-such-file" is not a file you uploaded/);
    const clerks = await pending('clerk-jsl', '情况说明');
    await refused('sec-jsl', [clerks], 400, new RegExp(`"${clerks}" is not a file you uploaded`));
    // A file already on another case, and one already on this case.
    const elsewhere = await pending('sec-jsl', '另一案');
    const other = await submit();
    await request(app)
      .post(`/api/v1/cases/${other.id}/actions`)
      .set('Authorization', await bearer('sec-jsl'))
      .send({ action: 'approve', comment: '同意', attachments: [elsewhere] })
      .expect(200);
    await refused('sec-jsl', [elsewhere], 400, new RegExp(`file "${elsewhere}" is already attached to another case`));
    const onThis = await upload('sec-jsl', `/api/v1/cases/${kase.id}/attachments`, pdfBytes('已附'), '已附.pdf');
    expect(onThis.status).toBe(201);
    await refused('sec-jsl', [onThis.body.id], 400, new RegExp(`file "${onThis.body.id}" is already attached to this case`));
    // A removed file.
    const gone = await upload('sec-jsl', `/api/v1/cases/${kase.id}/attachments`, pdfBytes('撤回'), '撤回.pdf');
    await request(app)
      .delete(`/api/v1/attachments/${gone.body.id}`)
      .set('Authorization', await bearer('sec-jsl'))
      .expect(204);
    await refused('sec-jsl', [gone.body.id], 400, new RegExp(`file "${gone.body.id}" was removed`));
    // Beyond the case's limit (the uploads above already hold most of it).
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(60 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    const bigA = (await upload('sec-jsl', `/api/v1/cases/${kase.id}/attachments`, big, 'a.pdf')).body.id as string;
    expect(bigA).toBeDefined();
    const bigB = (await upload('sec-jsl', '/api/v1/attachments', big, 'b.pdf')).body.id as string;
    await refused('sec-jsl', [bigB], 413, /limit of 102400 bytes per case/);

    // The good one still goes through afterwards, once.
    const ok = await act('sec-jsl', [mine]);
    expect(ok.status).toBe(200);
    const chain = await events(kase.id);
    expect(
      chain.filter((e) => e.action === 'attachment_added' && (e.data as { attachmentId?: string }).attachmentId === mine),
    ).toHaveLength(1);
  });

  test('the same visibility as the case; only participants attach; only the uploader removes, before the stage closes', async () => {
    const kase = await submit();
    const url = `/api/v1/cases/${kase.id}/attachments`;
    const att = await upload('clerk-jsl', url, pngBytes(), '照片.png');
    expect(att.status).toBe(201);

    for (const user of ['clerk-mtj']) {
      expect(
        (
          await request(app)
            .get(url)
            .set('Authorization', await bearer(user))
        ).status,
      ).toBe(404);
      const content = await request(app)
        .get(`/api/v1/attachments/${att.body.id}/content`)
        .set('Authorization', await bearer(user));
      expect(content.status).toBe(404);
    }
    // The street sees the case but takes no part in it yet; an auditor never attaches.
    expect((await upload('dgw-nhl-1', url, pngBytes(), 'x.png')).status).toBe(403);
    expect((await upload('auditor-1', url, pngBytes(), 'x.png')).status).toBe(403);
    expect((await upload('clerk-jsl', url, pngBytes(), 'x.png', { stage: 'street-decision' })).status).toBe(409);

    const byOther = await request(app)
      .delete(`/api/v1/attachments/${att.body.id}`)
      .set('Authorization', await bearer('sec-jsl'));
    expect(byOther.status).toBe(403);
    const removed = await request(app)
      .delete(`/api/v1/attachments/${att.body.id}?comment=${encodeURIComponent('传错了')}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(removed.status).toBe(204);
    const chain = await events(kase.id);
    expect(chain[chain.length - 1]).toMatchObject({
      action: 'attachment_removed',
      actorId: 'clerk-jsl',
      comment: '传错了',
      data: { attachmentId: att.body.id },
    });
    const list = await request(app)
      .get(url)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(list.body.items).toEqual([expect.objectContaining({ id: att.body.id, removed: true })]);
    expect(
      (
        await request(app)
          .get(`/api/v1/attachments/${att.body.id}/content`)
          .set('Authorization', await bearer('clerk-jsl'))
      ).status,
    ).toBe(404);
    expect(await stack.db.prisma.attachmentContent.count({ where: { attachmentId: att.body.id } })).toBe(0);

    const kept = await upload('clerk-jsl', url, pngBytes(), '保留.png');
    await stack.drive.act('sec-jsl', kase.id, { action: 'approve' });
    const late = await request(app)
      .delete(`/api/v1/attachments/${kept.body.id}`)
      .set('Authorization', await bearer('clerk-jsl'));
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/stage the file was attached at has closed/);
  });

  test('the per-case limit holds, and the clean-up deletes uploads nobody attached', async () => {
    const kase = await submit();
    const url = `/api/v1/cases/${kase.id}/attachments`;
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(60 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    expect((await upload('clerk-jsl', url, big, 'a.pdf')).status).toBe(201);
    const over = await upload('clerk-jsl', url, big, 'b.pdf');
    expect(over.status).toBe(413);
    expect(over.body.detail).toMatch(/limit of 102400 bytes per case/);

    const pending = await upload('clerk-jsl', '/api/v1/attachments', pngBytes(), 'left.png');
    await stack.db.prisma.attachment.create({
      data: {
        id: 'orphan-upload',
        uploaderId: 'clerk-jsl',
        name: 'x.pdf',
        mediaType: 'application/pdf',
        size: 1,
        sha256: '0'.repeat(64),
        storage: 'postgres',
        state: 'uploading',
        createdAt: new Date(Date.now() - 48 * 3_600_000),
      },
    });
    await services.attachments.cleanUp();
    expect(await stack.db.prisma.attachment.findUnique({ where: { id: 'orphan-upload' } })).toBeNull();
    expect(await stack.db.prisma.attachment.findUnique({ where: { id: pending.body.id } })).not.toBeNull();
  });
});
