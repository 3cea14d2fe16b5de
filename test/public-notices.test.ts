import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { createPrisma, type PrismaClient } from '../infra/prisma';
import { resolvePublicChallengeSecret } from '../infra/secret-files';
import { bearer, testApp } from './helpers/api';
import { useApiStack } from './helpers/stack';
import { blackhole } from './helpers/temporal';

/**
 * The public notice without sign-in: what it shows (and never), residents' objections through the challenge and
 * the rate limit, the objection in the case's history by the system actor with channel public, the resident's
 * details in PostgreSQL only; staff recording objections received by phone or letter.
 */
describe('public notices and residents’ objections', () => {
  const stack = useApiStack('public-notices');
  let app: Express;
  // Jiangsu's rule set: a notice of five working days, so it runs for the whole test.
  const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

  beforeAll(() => {
    app = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue, ruleSet: jiangsu });
  });

  async function inNotice(subjectId: string, clerk: string, community: string) {
    const created = await request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer(clerk))
      .send({ type: 'promotion', subjectId, payload: { kind: 'regular' } });
    expect(created.status).toBe(201);
    const recommended = await request(app)
      .post(`/api/v1/cases/${created.body.id}/actions`)
      .set('Authorization', await bearer(`sec-${community}`))
      .send({ action: 'approve' });
    expect(recommended.status).toBe(200);
    // The street party working committee decides at a meeting, every member present and for.
    const members = recommended.body.assignees as string[];
    const decided = await request(app)
      .post(`/api/v1/cases/${created.body.id}/actions`)
      .set('Authorization', await bearer(members[0] as string))
      .send({
        action: 'record-meeting',
        meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        members: members.map((userId) => ({ userId, attendance: 'present', vote: 'for' })),
        minutes: '党工委会议纪要',
        resolution: '同意晋升',
      });
    expect(decided.body.status).toBe('public_notice');
    return created.body as { id: string; subject: { name: string } };
  }

  const challenge = async (from: Express = app) => {
    const res = await request(from).get('/api/v1/public/challenge');
    expect(res.status).toBe(200);
    const [a, b] = (res.body.question as string).match(/\d+/g)!.map(Number);
    return { token: res.body.token as string, answer: String((a as number) + (b as number)) };
  };

  test('the notice shows only what a posted notice shows; a resident objects once the challenge is answered', async () => {
    const kase = await inNotice('w-jsl-03', 'clerk-jsl', 'jsl');
    const list = await request(app).get('/api/v1/public/notices');
    expect(list.status).toBe(200);
    const item = (list.body.items as Record<string, unknown>[]).find((n) => n.name === kase.subject.name);
    expect(item).toBeDefined();
    expect(Object.keys(item as object).sort()).toEqual(['community', 'name', 'noticeId', 'paused', 'period', 'post', 'proposal']);
    expect(item).toMatchObject({ community: expect.any(String), post: expect.any(String), proposal: '晋升一个岗位等级', paused: false });
    expect(JSON.stringify(list.body)).not.toContain(kase.id);
    expect(JSON.stringify(list.body)).not.toMatch(/\d{17}[\dXx]/);
    const noticeId = (item as { noticeId: string }).noticeId;
    const url = `/api/v1/public/notices/${noticeId}/objections`;
    const objection = { name: '李居民', telephone: '139 0000 1234', content: '该同志长期不在岗，群众意见较大。' };

    const wrong = await request(app)
      .post(url)
      .send({ ...objection, challenge: { ...(await challenge()), answer: '0' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toMatch(/answer to the challenge is wrong/);
    const forged = await request(app)
      .post(url)
      .send({ ...objection, challenge: { token: 'eyJhIjoxfQ.forged', answer: '1' } });
    expect(forged.status).toBe(400);

    const answered = await challenge();
    const ok = await request(app)
      .post(url)
      .send({ ...objection, challenge: answered });
    expect(ok.status).toBe(201);
    const again = await request(app)
      .post(url)
      .send({ ...objection, challenge: answered });
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/used already/);

    const after = await stack.drive.get('dgw-nhl-1', kase.id);
    expect(after.body.status).toBe('objection_review');
    expect(after.body.allowedActions).toContain('resolve-objection');
    const events = await request(app)
      .get(`/api/v1/cases/${kase.id}/events`)
      .set('Authorization', await bearer('dgw-nhl-1'));
    const object = (events.body.items as { action: string; actorId: string; data: Record<string, unknown> }[]).find(
      (e) => e.action === 'object',
    );
    expect(object).toMatchObject({
      actorId: 'system:public-notice',
      data: { channel: 'public', reference: ok.body.reference, objectionId: 'objection-1' },
    });
    // The resident's name and telephone are in PostgreSQL only: not in the chain, not in Temporal's history.
    expect(JSON.stringify(events.body)).not.toContain('李居民');
    const history = JSON.stringify(await stack.temporal.client.workflow.getHandle(kase.id).fetchHistory());
    expect(history).not.toContain('李居民');
    expect(history).not.toContain('139 0000 1234');
    const contacts = await request(app)
      .get(`/api/v1/cases/${kase.id}/public-objections`)
      .set('Authorization', await bearer('dgw-nhl-1'));
    expect(contacts.body.items).toEqual([
      expect.objectContaining({ name: '李居民', telephone: '139 0000 1234', objectionId: 'objection-1' }),
    ]);
    expect(
      (
        await request(app)
          .get(`/api/v1/cases/${kase.id}/public-objections`)
          .set('Authorization', await bearer('clerk-mtj'))
      ).status,
    ).toBe(404);

    const paused = (await request(app).get('/api/v1/public/notices')).body.items.find((n: { noticeId: string }) => n.noticeId === noticeId);
    expect(paused).toMatchObject({ paused: true });
  });

  test('a challenge issued by one API process is accepted by another over the same DATA_DIR, by no other, and once across them', async () => {
    const kase = await inNotice('w-jyj-02', 'clerk-jyj', 'jyj');
    const list = await request(app).get('/api/v1/public/notices');
    const noticeId = (list.body.items as { name: string; noticeId: string }[]).find((n) => n.name === kase.subject.name)?.noticeId;
    const pools: PrismaClient[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'challenge-secret-'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'challenge-secret-'));
    try {
      // Each app reads the secret as its own process would at start: the first writes it, the second reads it.
      // Each has its own connection pool to the shared database, as a replica does.
      const replica = (dir: string) => {
        const prisma = createPrisma(stack.db.url, 2);
        pools.push(prisma);
        return testApp({
          prisma,
          client: stack.temporal.client,
          taskQueue: stack.taskQueue,
          ruleSet: jiangsu,
          publicChallengeSecret: resolvePublicChallengeSecret({ dataDir: dir }).secret,
        });
      };
      const [first, second, foreign] = [replica(dataDir), replica(dataDir), replica(elsewhere)];
      const objection = { name: '赵居民', telephone: '138 0000 5678', content: '对公示对象的工作作风有意见。' };
      const url = `/api/v1/public/notices/${noticeId}/objections`;
      const refused = await request(foreign)
        .post(url)
        .send({ ...objection, challenge: await challenge(first) });
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toMatch(/challenge is not valid/);
      const answered = await challenge(first);
      const accepted = await request(second)
        .post(url)
        .send({ ...objection, challenge: answered });
      expect(accepted.status).toBe(201);
      // Answered at one replica, refused at the other (and at the first): the record of answers is in PostgreSQL.
      for (const replayed of [first, second]) {
        const again = await request(replayed)
          .post(url)
          .send({ ...objection, challenge: answered });
        expect({ status: again.status, detail: again.body.detail }).toEqual({
          status: 400,
          detail: 'the challenge was used already; ask for a new one',
        });
      }
    } finally {
      await Promise.all(pools.map((p) => p.$disconnect()));
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('staff record objections received by phone or letter with their channel; "public" is the page’s alone', async () => {
    const kase = await inNotice('w-jyj-03', 'clerk-jyj', 'jyj');
    const url = `/api/v1/cases/${kase.id}/actions`;
    const phone = await request(app)
      .post(url)
      .set('Authorization', await bearer('clerk-jyj'))
      .send({ action: 'object', channel: 'phone', comment: '电话反映：群众有不同意见' });
    expect(phone.status).toBe(200);
    const claimed = await request(app)
      .post(url)
      .set('Authorization', await bearer('clerk-jyj'))
      .send({ action: 'object', channel: 'public', comment: '冒充公示页面' });
    expect(claimed.status).toBe(400);
    const letter = await request(app)
      .post(url)
      .set('Authorization', await bearer('clerk-jyj'))
      .send({ action: 'object', channel: 'letter', comment: '来信反映：另有意见' });
    expect(letter.status).toBe(200);
    const events = await stack.db.prisma.caseEvent.findMany({ where: { caseId: kase.id, action: 'object' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => (e.data as { channel: string }).channel)).toEqual(['phone', 'letter']);
  });

  test('objections from one address are limited per hour, and an unknown notice is a 404', async () => {
    const limited = testApp({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      publicObjectionsPerHour: 3,
    });
    const body = { name: '王', telephone: '12345', content: '一条异议内容', challenge: await challenge(limited) };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push((await request(limited).post('/api/v1/public/notices/no-such-notice/objections').send(body)).status);
    // The first uses the challenge and finds no notice; the next reuse it; the fourth is over the limit of three.
    expect(statuses[0]).toBe(404);
    expect(statuses[3]).toBe(429);
  });
  describe('an objection the notice cannot take, answered for its own reason', () => {
    const objection = { name: '赵居民', telephone: '025-8000 1234', content: '对拟晋升人选有不同意见。' };
    const noticeOf = async (name: string) =>
      ((await request(app).get('/api/v1/public/notices')).body.items as { name: string; noticeId: string }[]).find((n) => n.name === name)
        ?.noticeId as string;
    const object = async (noticeId: string, from: Express = app) =>
      request(from)
        .post(`/api/v1/public/notices/${noticeId}/objections`)
        .send({ ...objection, challenge: await challenge(from) });
    /** The street committee upholds the first objection, with the effect given. */
    async function uphold(caseId: string, effect: 'reject' | 'reconsider') {
      const resolver = (await stack.drive.get('dgw-hnl-1', caseId)).body.assignees[0] as string;
      await stack.drive.act(resolver, caseId, {
        action: 'resolve-objection',
        objectionId: 'objection-1',
        resolution: 'upheld',
        effect,
        comment: '经核实，异议成立',
      });
    }
    const stored = () => stack.db.prisma.publicObjection.count();

    test('a notice cancelled by an upheld objection has ended: 409 with the day it ended', async () => {
      const kase = await inNotice('w-mtj-02', 'clerk-mtj', 'mtj');
      const noticeId = await noticeOf(kase.subject.name);
      expect((await object(noticeId)).status).toBe(201);
      await uphold(kase.id, 'reject');
      const before = await stored();
      const late = await object(noticeId);
      expect(late.status).toBe(409);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(late.body).toMatchObject({ reason: 'notice-ended', endedOn: today });
      expect(late.body.detail).toBe(`this public notice has ended (on ${today}); objections are no longer accepted`);
      expect(await stored()).toBe(before);
    });

    test('a case sent back to its deciding stage is not in its public notice: 409 saying so', async () => {
      const kase = await inNotice('w-mtj-03', 'clerk-mtj', 'mtj');
      const noticeId = await noticeOf(kase.subject.name);
      expect((await object(noticeId)).status).toBe(201);
      await uphold(kase.id, 'reconsider');
      expect((await stack.drive.get('dgw-hnl-1', kase.id)).body.status).toBe('in_review');
      const refused = await object(noticeId);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ reason: 'not-in-public-notice' });
      expect(refused.body.detail).toMatch(/not in its public notice \(公示\) now/);
    });

    test('an objection that is not valid is a 400 naming the field; Temporal unreachable is a 503 with Retry-After, nothing stored', async () => {
      const kase = await inNotice('w-gyl-02', 'clerk-gyl', 'gyl');
      const noticeId = await noticeOf(kase.subject.name);
      const bad = await request(app)
        .post(`/api/v1/public/notices/${noticeId}/objections`)
        .send({ ...objection, telephone: 'call me', challenge: await challenge() });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('telephone');

      // An API whose Temporal server hangs: the Update cannot reach the case within the deadline.
      const hole = await blackhole();
      const connection = Connection.lazy({ address: hole.address });
      try {
        const cut = testApp({
          prisma: stack.db.prisma,
          client: new Client({ connection }),
          taskQueue: stack.taskQueue,
          rpcTimeoutMs: 1_500,
        });
        const before = await stored();
        const down = await object(noticeId, cut);
        expect(down.status).toBe(503);
        expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
        expect(await stored()).toBe(before);
      } finally {
        await connection.close();
        await hole.close();
      }
      // The notice still runs, and takes the objection once the case can be reached.
      const taken = await object(noticeId);
      expect({ status: taken.status, body: taken.body as unknown }).toMatchObject({ status: 201 });
    });
  });
});
