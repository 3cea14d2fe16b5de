import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { WorkerHandle } from '../app/runtime';
import { ensureNotificationDispatchers } from '../app/schedules';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../activities';
import { bearer, testApp } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { caseDriver } from './helpers/http-cases';
import { startSmtpSink, startWebhookReceiver, until, type SmtpSink } from './helpers/notifications';
import { devServer, startTestWorker, uniqueTaskQueue } from './helpers/temporal';

/**
 * Notifications end to end against the real components: a case's events become in-app notifications (paged,
 * unread count, marked read), emails through a real SMTP server in its own process (read back and decoded as a
 * mail client would: Chinese subject and body, a stable Message-ID, exactly one mail per notification), and
 * webhooks to a receiver that checks the HMAC signature, DingTalk's own signing, retries with backoff and the
 * delivery log; a channel that is down never holds the case up. The dispatcher is the real workflow with its
 * activities (workflows/notifications.ts).
 */
describe('notifications', () => {
  const SECRET = 'webhook-secret-0123456789';
  const DING_SECRET = 'SECdingtalk0123456789';
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let taskQueue: string;
  let worker: WorkerHandle;
  let app: Express;
  let smtp: SmtpSink;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let drive: ReturnType<typeof caseDriver>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // The flaky target answers 500 twice, then 200: retried with backoff, each attempt in the log.
    hooks = await startWebhookReceiver(SECRET, { '/flaky': [500, 503] });
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    taskQueue = uniqueTaskQueue('notifications');
    worker = await startTestWorker(temporal.nativeConnection, taskQueue, db.prisma, {
      notifications: {
        ...DEFAULT_NOTIFICATION_SETTINGS,
        smtpUrl: smtp.url,
        retryBaseMs: 200,
        retryCapMs: 1000,
        pollMs: 200,
        maxAttempts: 3,
      },
    });
    app = testApp({ prisma: db.prisma, client: temporal.client, taskQueue, webhookAllowHttp: true });
    drive = caseDriver(app);
    await ensureNotificationDispatchers(temporal.client, taskQueue);
  });

  afterAll(async () => {
    for (const channel of ['email', 'webhook']) {
      await temporal.client.workflow
        .getHandle(`notifications-${channel}@${taskQueue}`)
        .terminate('test over')
        .catch(() => undefined);
    }
    await worker.stop();
    await temporal.close();
    await db.drop();
    await smtp.stop();
    await hooks.stop();
  });

  const admin = async () => bearer('admin-1');

  test('administrators set addresses and webhook targets; bad input is refused naming the problem', async () => {
    for (const user of ['sec-jsl', 'clerk-jsl', 'dep-jsl']) {
      const res = await request(app)
        .put(`/api/v1/admin/users/${user}/email`)
        .set('Authorization', await admin())
        .send({ email: `${user}@example.gov.cn` });
      expect(res.status).toBe(200);
    }
    expect(
      (
        await request(app)
          .put('/api/v1/admin/users/sec-jsl/email')
          .set('Authorization', await bearer('clerk-jsl'))
          .send({ email: 'x@example.gov.cn' })
      ).status,
    ).toBe(403);
    const badEmail = await request(app)
      .put('/api/v1/admin/users/sec-jsl/email')
      .set('Authorization', await admin())
      .send({ email: 'not-an-address' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.detail).toMatch(/email/);
    expect(
      (
        await request(app)
          .put('/api/v1/admin/users/nobody/email')
          .set('Authorization', await admin())
          .send({ email: null })
      ).status,
    ).toBe(404);

    const put = (id: string, body: Record<string, unknown>) =>
      admin().then((auth) => request(app).put(`/api/v1/admin/webhook-targets/${id}`).set('Authorization', auth).send(body));
    expect(
      (await put('county', { name: '县系统', format: 'signed', url: `${hooks.base}/hook`, secret: SECRET, orgPath: '/js/' })).status,
    ).toBe(200);
    expect(
      (
        await put('ding', {
          name: '街道钉钉群',
          format: 'dingtalk',
          url: `${hooks.base}/robot/send?access_token=t0k`,
          secret: DING_SECRET,
          orgPath: '/js/nj/gl/nhl/',
          kinds: ['task'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await put('wecom', {
          name: '企业微信群',
          format: 'wecom',
          url: `${hooks.base}/robot/wecom?key=k`,
          orgPath: '/js/',
          kinds: ['decision'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await put('flaky', {
          name: '不稳定',
          format: 'signed',
          url: `${hooks.base}/flaky`,
          secret: SECRET,
          orgPath: '/js/',
          kinds: ['task'],
        })
      ).status,
    ).toBe(200);
    // Port 9 on loopback refuses connections: given up after the last attempt, never in the case's way.
    expect(
      (
        await put('down', {
          name: '宕机',
          format: 'signed',
          url: 'http://127.0.0.1:9/hook',
          secret: SECRET,
          orgPath: '/js/',
          kinds: ['task'],
        })
      ).status,
    ).toBe(200);
    // Another street's robot hears nothing of this street's cases.
    expect(
      (await put('other-street', { name: '马台街', format: 'wecom', url: `${hooks.base}/robot/other?key=k`, orgPath: '/js/nj/gl/hqm/' }))
        .status,
    ).toBe(200);

    const noSecret = await put('x', { name: 'x', format: 'signed', url: `${hooks.base}/x`, orgPath: '/js/' });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.detail).toMatch(/secret/);
    const badUrl = await put('x', { name: 'x', format: 'wecom', url: 'ftp://example.gov.cn/', orgPath: '/js/' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.detail).toMatch(/url/);
    const badKind = await put('x', { name: 'x', format: 'wecom', url: `${hooks.base}/x`, orgPath: '/js/', kinds: ['gossip'] });
    expect(badKind.status).toBe(400);
    const list = await request(app)
      .get('/api/v1/admin/webhook-targets')
      .set('Authorization', await admin());
    expect(list.body.map((t: { id: string }) => t.id).sort()).toEqual(['county', 'ding', 'down', 'flaky', 'other-street', 'wecom']);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
  });

  test('preferences: read, set, refused when malformed', async () => {
    const auth = await bearer('dep-jsl');
    expect((await request(app).get('/api/v1/me/notification-preferences').set('Authorization', auth)).body).toEqual({
      inApp: true,
      email: true,
      mutedKinds: [],
    });
    const set = await request(app)
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', auth)
      .send({ inApp: true, email: false, mutedKinds: ['reminder'] });
    expect(set.status).toBe(200);
    expect((await request(app).get('/api/v1/me/notification-preferences').set('Authorization', auth)).body).toEqual({
      inApp: true,
      email: false,
      mutedKinds: ['reminder'],
    });
    const bad = await request(app)
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', auth)
      .send({ inApp: 'yes', email: true });
    expect(bad.status).toBe(400);
  });

  test('a new task: in the app, by email in Chinese, to the signed webhook, the DingTalk robot and the flaky one after retries', async () => {
    const created = await drive.submit('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const subjectName = created.body.subject.name as string;

    // In the app, at once (written with the event).
    const inbox = await request(app)
      .get('/api/v1/notifications')
      .set('Authorization', await bearer('sec-jsl'));
    expect(inbox.status).toBe(200);
    const task = inbox.body.items.find((n: { caseId: string }) => n.caseId === caseId);
    expect(task).toMatchObject({ kind: 'task', caseType: 'promotion', subjectName, readAt: null });
    expect(inbox.body.unread).toBeGreaterThanOrEqual(1);

    // By email: one mail, Chinese subject encoded as RFC 2047 and decoded back, a stable Message-ID.
    await smtp.waitFor((mails) => mails.some((m) => m.to.includes('sec-jsl@example.gov.cn') && m.text.includes(caseId)));
    const mail = smtp.mails.find((m) => m.to.includes('sec-jsl@example.gov.cn') && m.text.includes(caseId))!;
    expect(mail.subject).toContain('【待办】');
    expect(mail.subject).toContain(subjectName);
    expect(mail.rawSubjectHeader).toMatch(/=\?UTF-8\?[BQ]\?/i);
    expect(mail.text).toContain('案件编号');
    expect(mail.messageId).toMatch(/^<email\.[0-9a-f]{32}@community-cases>$/);
    expect(mail.idempotencyKey).toBe(`email:${task.id}`);

    // The signed webhook: a valid signature; the case number, type and stage, never the subject's name or ID number.
    await hooks.waitFor((h) => h.some((x) => x.path === '/hook' && x.body.includes(caseId)));
    const hook = hooks.hooks.find((x) => x.path === '/hook' && x.body.includes(caseId))!;
    expect(hook.signatureValid).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ kind: 'task', caseId, caseType: 'promotion', stage: expect.any(String) });
    expect(hook.body).not.toContain(subjectName);
    expect(hook.body).not.toMatch(/\d{17}[\dXx]/);
    expect(hook.headers['x-cases-delivery']).toMatch(/^webhook:county:/);

    // DingTalk: markdown message, signed by DingTalk's scheme (timestamp and sign in the query).
    await hooks.waitFor((h) => h.some((x) => x.path === '/robot/send' && x.body.includes(caseId)));
    const ding = hooks.hooks.find((x) => x.path === '/robot/send' && x.body.includes(caseId))!;
    const timestamp = ding.query.get('timestamp')!;
    expect(ding.query.get('access_token')).toBe('t0k');
    expect(ding.query.get('sign')).toBe(createHmac('sha256', DING_SECRET).update(`${timestamp}\n${DING_SECRET}`).digest('base64'));
    expect(JSON.parse(ding.body)).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining('待办') } });
    expect(ding.body).not.toContain(subjectName);

    // The flaky target: 500, 503, then 200, each attempt in the delivery log.
    await until(
      async () => {
        const log = await request(app)
          .get('/api/v1/admin/notification-deliveries')
          .query({ caseId, channel: 'webhook' })
          .set('Authorization', await admin());
        const flaky = log.body.find((d: { targetId: string }) => d.targetId === 'flaky');
        const down = log.body.find((d: { targetId: string }) => d.targetId === 'down');
        return flaky?.status === 'sent' && down?.status === 'failed';
      },
      60_000,
      () => 'flaky sent and down given up',
    );
    const log = await request(app)
      .get('/api/v1/admin/notification-deliveries')
      .query({ caseId })
      .set('Authorization', await admin());
    const flaky = log.body.find((d: { targetId: string }) => d.targetId === 'flaky');
    expect(flaky.log.map((a: { ok: boolean; status: number | null }) => [a.ok, a.status])).toEqual([
      [false, 500],
      [false, 503],
      [true, 200],
    ]);
    const down = log.body.find((d: { targetId: string }) => d.targetId === 'down');
    expect(down).toMatchObject({ attempts: 3, status: 'failed' });
    expect(down.log.every((a: { ok: boolean }) => !a.ok)).toBe(true);
    expect(log.body.some((d: { targetId: string | null }) => d.targetId === 'other-street')).toBe(false);
    // Each delivery names its case as people do (short number, type, subject) beside the id kept for tracing.
    const number = (await drive.get('auditor-1', caseId)).body.number as string;
    expect(number).toMatch(/^晋升-\d{4}-\d{4}$/);
    for (const d of log.body as { caseId: string; case: unknown }[])
      expect(d).toMatchObject({ caseId, case: { number, type: 'promotion', subject: { id: created.body.subject.id, name: subjectName } } });
    expect(
      (
        await request(app)
          .get('/api/v1/admin/notification-deliveries')
          .set('Authorization', await bearer('auditor-1'))
      ).status,
    ).toBe(403);

    // The case went on regardless: the community recommends.
    const approved = await drive.act('sec-jsl', caseId, { action: 'approve' });
    expect(approved.status).toBe('in_review');

    // Marking read: one, then all; another user's ids are ignored.
    const other = await request(app)
      .post('/api/v1/notifications/read')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ ids: [task.id] });
    expect(other.body.marked).toBe(0);
    const one = await request(app)
      .post('/api/v1/notifications/read')
      .set('Authorization', await bearer('sec-jsl'))
      .send({ ids: [task.id] });
    expect(one.body.marked).toBe(1);
    const all = await request(app)
      .post('/api/v1/notifications/read')
      .set('Authorization', await bearer('sec-jsl'))
      .send({ all: true });
    expect(all.body.unread).toBe(0);
    expect(
      (
        await request(app)
          .post('/api/v1/notifications/read')
          .set('Authorization', await bearer('sec-jsl'))
          .send({ ids: [] })
      ).status,
    ).toBe(400);
  });

  test('rejected: the applicant hears the decision by email, WeCom gets it; exactly one mail per notification', async () => {
    const created = await drive.submit('clerk-jsl', 'promotion', 'w-jsl-02', { kind: 'regular' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    await drive.act('sec-jsl', caseId, { action: 'reject', comment: '考核材料不全' });
    const inbox = await request(app)
      .get('/api/v1/notifications')
      .set('Authorization', await bearer('clerk-jsl'));
    const decision = inbox.body.items.find((n: { caseId: string; kind: string }) => n.caseId === caseId && n.kind === 'decision');
    expect(decision).toBeDefined();
    await smtp.waitFor((mails) => mails.some((m) => m.to.includes('clerk-jsl@example.gov.cn') && m.text.includes(caseId)));
    const mail = smtp.mails.find((m) => m.to.includes('clerk-jsl@example.gov.cn') && m.text.includes(caseId))!;
    expect(mail.subject).toContain('未通过');
    await hooks.waitFor((h) => h.some((x) => x.path === '/robot/wecom' && x.body.includes(caseId)));
    const wecom = JSON.parse(hooks.hooks.find((x) => x.path === '/robot/wecom' && x.body.includes(caseId))!.body);
    expect(wecom).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('未通过') } });

    // Every delivery sent exactly once: one mail per idempotency key, and the outbox agrees. The outbox settles
    // first, and a delivery is marked sent as soon as the SMTP server accepts it, a moment before the sink has
    // parsed the mail: wait for the sink to hold as many mails as were sent (a duplicate would overshoot).
    const settled = Date.now() + 60_000;
    while ((await db.prisma.notificationDelivery.count({ where: { channel: 'email', status: { in: ['pending', 'sending'] } } })) > 0) {
      if (Date.now() > settled) throw new Error('email deliveries still pending after 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const sent = await db.prisma.notificationDelivery.count({ where: { channel: 'email', status: 'sent' } });
    await smtp.waitFor((mails) => mails.length >= sent);
    const keys = smtp.mails.map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(smtp.mails.length).toBe(sent);
  });

  test('paging: newest first with a cursor; in-app off empties the bell', async () => {
    const auth = await bearer('sec-jsl');
    const first = await request(app).get('/api/v1/notifications').query({ limit: 1 }).set('Authorization', auth);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(app)
      .get('/api/v1/notifications')
      .query({ limit: 1, cursor: first.body.nextCursor })
      .set('Authorization', auth);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(second.body.items[0].at <= first.body.items[0].at).toBe(true);
    expect((await request(app).get('/api/v1/notifications').query({ cursor: 'garbage' }).set('Authorization', auth)).status).toBe(400);

    await request(app).put('/api/v1/me/notification-preferences').set('Authorization', auth).send({ inApp: false, email: true });
    const off = await request(app).get('/api/v1/notifications').set('Authorization', auth);
    expect(off.body).toEqual({ items: [], unread: 0, nextCursor: null });
  });
});
