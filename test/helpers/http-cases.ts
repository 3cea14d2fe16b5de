import type { Express } from 'express';
import request from 'supertest';
import { bearer } from './api';

/** Drives cases through the HTTP API as seeded users, the way a client would: an in-process app, or a running service's URL. */
export function caseDriver(app: Express | string) {
  async function submit(user: string, type: string, subjectId: string, payload: Record<string, unknown>) {
    return request(app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer(user))
      .send({ type, subjectId, payload });
  }

  async function act(user: string, caseId: string, body: Record<string, unknown>, expectStatus = 200) {
    const res = await request(app)
      .post(`/api/v1/cases/${caseId}/actions`)
      .set('Authorization', await bearer(user))
      .send(body);
    if (res.status !== expectStatus) {
      throw new Error(
        `${user} ${String(body.action)} on ${caseId}: expected ${expectStatus}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  async function get(user: string, caseId: string) {
    return request(app)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', await bearer(user));
  }

  /** Polls until the case reaches the status (timers such as the demo 公示 run on their own). */
  async function waitFor(caseId: string, status: string, user = 'auditor-1', timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
      const res = await get(user, caseId);
      last = res.body;
      if (res.body.status === status) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`case ${caseId} did not reach ${status}: ${JSON.stringify(last)}`);
  }

  async function submitted(user: string, type: string, subjectId: string, payload: Record<string, unknown>) {
    const res = await submit(user, type, subjectId, payload);
    if (res.status !== 201) throw new Error(`submit ${type} for ${subjectId}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /**
   * Records the meeting of the committee that decides the current stage (集体研究决定): every member who should
   * attend (the stage's assignees) present and voting for, unless `votes` or `absent` say otherwise.
   */
  async function meeting(
    user: string,
    caseId: string,
    options: {
      votes?: Record<string, 'for' | 'against' | 'abstain'>;
      absent?: string[];
      data?: Record<string, unknown>;
      meetingDate?: string;
      expectStatus?: number;
    } = {},
  ) {
    const current = await get(user, caseId);
    const members = (current.body.assignees as string[]).map((userId) =>
      options.absent?.includes(userId)
        ? { userId, attendance: 'absent', reason: '因公出差' }
        : { userId, attendance: 'present', vote: options.votes?.[userId] ?? 'for' },
    );
    return act(
      user,
      caseId,
      {
        action: 'record-meeting',
        meetingDate: options.meetingDate ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        members,
        minutes: '会议纪要：应到、实到人数及表决情况见记录',
        resolution: '经集体研究决定',
        ...(options.data ? { data: options.data } : {}),
      },
      options.expectStatus,
    );
  }

  return { submit, submitted, act, get, waitFor, meeting };
}
