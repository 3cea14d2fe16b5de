import type { ChildProcess } from 'node:child_process';
import type { Express } from 'express';
import type { WorkerHandle } from '../app/runtime';
import { dispatcherWorkflowId } from '../app/schedules';
import { testApp } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { caseDriver } from './helpers/http-cases';
import { startSmtpSink, until, type SmtpSink } from './helpers/notifications';
import { devServer, spawnWorkerProcess, startTestWorker, uniqueTaskQueue } from './helpers/temporal';

/**
 * A worker killed while it sends a mail: the SMTP server (a real one, in its own process) holds the mail after its
 * data arrived and before it answers; the worker is SIGKILLed there, so the server never acknowledges it and keeps
 * nothing. The delivery stays claimed (`sending`, attempt 1) until its lease ends; the restarted worker's
 * dispatcher claims it again and sends it with the same Message-ID and idempotency key. The SMTP server receives
 * exactly one mail for the notification: none lost, none twice.
 */
describe('notifications: a worker killed between sending and recording', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let caseQueue: string;
  let dispatchQueue: string;
  let caseWorker: WorkerHandle;
  let app: Express;
  let smtp: SmtpSink;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink({ hold: true });
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    caseQueue = uniqueTaskQueue('notify-crash-cases');
    dispatchQueue = uniqueTaskQueue('notify-crash-dispatch');
    // The cases run in this process; the dispatcher runs in the worker process that is killed.
    caseWorker = await startTestWorker(temporal.nativeConnection, caseQueue, db.prisma);
    app = testApp({ prisma: db.prisma, client: temporal.client, taskQueue: caseQueue });
    await db.prisma.user.update({ where: { id: 'sec-jsl' }, data: { email: 'sec-jsl@example.gov.cn' } });
  });

  afterAll(async () => {
    for (const channel of ['email', 'webhook'] as const) {
      await temporal.client.workflow
        .getHandle(dispatcherWorkflowId(dispatchQueue, channel))
        .terminate('test over')
        .catch(() => undefined);
    }
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    await caseWorker.stop();
    await temporal.close();
    await db.drop();
    await smtp.stop();
  });

  function spawnDispatcher(): Promise<ChildProcess> {
    return spawnWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: db.url,
      TEMPORAL_TASK_QUEUE: dispatchQueue,
      RULE_SET: 'demo',
      PAYLOAD_CODEC: 'off',
      NOTIFY_SMTP_URL: smtp.url,
      NOTIFY_LEASE_MS: '2000',
      NOTIFY_POLL_MS: '200',
    });
  }

  test('no loss, no duplicate', async () => {
    const created = await caseDriver(app).submit('clerk-jsl', 'promotion', 'w-jsl-03', { kind: 'regular' });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const delivery = await db.prisma.notificationDelivery.findFirstOrThrow({ where: { caseId, channel: 'email' } });

    child = await spawnDispatcher();
    await until(
      () => smtp.held.length === 1,
      90_000,
      () => 'the SMTP server holds the first mail',
    );
    expect(smtp.held[0]).toBe(`<${delivery.id.replace(/[^A-Za-z0-9.-]/g, '.')}@community-cases>`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    // The sender is gone before any answer: the server refuses the held data and keeps nothing.
    smtp.answer('reject');
    expect(smtp.mails).toHaveLength(0);
    expect(await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: 'sending',
      attempts: 1,
    });

    child = await spawnDispatcher();
    await smtp.waitFor((mails) => mails.length >= 1, 120_000);
    await until(
      async () => (await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === 'sent',
      30_000,
      () => 'the delivery recorded as sent',
    );
    // Another round of the dispatcher finds nothing more to send.
    await new Promise((r) => setTimeout(r, 3000));
    const mails = smtp.mails.filter((m) => m.idempotencyKey === delivery.id);
    expect(mails).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('【待办】');
    const recorded = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { log: true } });
    expect(recorded).toMatchObject({ status: 'sent', attempts: 2 });
    expect(recorded.log.map((a) => [a.attempt, a.ok])).toEqual([[2, true]]);
  });
});
