import type { Express } from 'express';
import request from 'supertest';
import { addDays } from '../../domain/dates';
import { makeNationalId } from '../../domain/national-id';

/**
 * One sample request per API operation, and who may make it: the authorization matrix and the contract test
 * both walk this table. The callers are one user per role, all scoped to 宁海路街道 (nhl) or its community
 * 江苏路社区 (jsl) except the district-wide auditor and administrator; "inside" resources belong to jsl,
 * "outside" ones to 马台街社区 (mtj) in the other street.
 */

export const ROLES = {
  clerk: 'clerk-jsl',
  approver: 'dgw-nhl-1',
  personnel_officer: 'hr-nhl',
  auditor: 'auditor-1',
  admin: 'admin-1',
} as const;
export type RoleName = keyof typeof ROLES;
export type Side = 'inside' | 'outside';

export interface Fixture {
  cases: Record<Side, string>;
  workers: Record<Side, string>;
  communities: Record<Side, string>;
}

export interface Route {
  operationId: string;
  call: (app: Express | string, auth: string, side: Side, f: Fixture, n: number) => request.Test;
  expect: (role: RoleName, side: Side) => number;
}

/** Visibility of a case or record: 200 for those who may see it, 404 (as if absent) for the rest. */
export const sees = (visibleInside: RoleName[], visibleOutside: RoleName[]) => (role: RoleName, side: Side) =>
  (side === 'inside' ? visibleInside : visibleOutside).includes(role) ? 200 : 404;
const everyone = () => 200;
export const only = (roles: RoleName[], ok: number) => (role: RoleName) => (roles.includes(role) ? ok : 403);

export const CASE_READERS: RoleName[] = ['clerk', 'approver', 'personnel_officer', 'auditor'];
const RECORD_READERS: RoleName[] = ['clerk', 'approver', 'personnel_officer', 'auditor', 'admin'];

export const ROUTES: Route[] = [
  { operationId: 'listCaseTypes', call: (a, t) => request(a).get('/api/v1/case-types').set('Authorization', t), expect: everyone },
  {
    operationId: 'submitCase',
    call: (a, t, side) =>
      request(a)
        .post('/api/v1/cases')
        .set('Authorization', t)
        .send({ type: 'promotion', subjectId: side === 'inside' ? 'w-jsl-02' : 'w-mtj-02', payload: { kind: 'regular' } }),
    // Only clerks submit, and only for workers in their subtree; a worker outside the caller's records answers
    // as an unknown one (404), to everyone but those who read every record.
    expect: (role, side) => {
      if (side === 'outside' && !['auditor', 'admin'].includes(role)) return 404;
      return role === 'clerk' && side === 'inside' ? 201 : 403;
    },
  },
  { operationId: 'listCases', call: (a, t) => request(a).get('/api/v1/cases').set('Authorization', t), expect: everyone },
  { operationId: 'getInbox', call: (a, t) => request(a).get('/api/v1/inbox').set('Authorization', t), expect: everyone },
  {
    operationId: 'getCase',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'actOnCase',
    call: (a, t, s, f) =>
      request(a).post(`/api/v1/cases/${f.cases[s]}/actions`).set('Authorization', t).send({ action: 'comment', comment: '请尽快办理' }),
    // The clerk submitted the inside case, so is a participant; others who see it are not (403); auditors never act.
    expect: (role, side) => {
      if (role === 'auditor') return 403;
      if (side === 'outside' || role === 'admin') return 404;
      return role === 'clerk' ? 200 : 403;
    },
  },
  {
    operationId: 'approveCases',
    call: (a, t, s, f) =>
      request(a)
        .post('/api/v1/cases/batch-approval')
        .set('Authorization', t)
        .send({ caseIds: [f.cases[s]] }),
    // Whoever sees the case and may act is answered on its content: the fixture's cases are outside any yearly round,
    // which batch approval refuses whole (422, naming why); auditors never act; the rest do not see it.
    expect: (role, side) => {
      if (role === 'auditor') return 403;
      if (side === 'outside' || role === 'admin') return 404;
      return 422;
    },
  },
  {
    // Nobody here is a clerk of a street: every caller is refused before anything is checked or opened.
    operationId: 'openRound',
    call: (a, t, s) =>
      request(a)
        .post('/api/v1/rounds')
        .set('Authorization', t)
        .send({ streetId: s === 'inside' ? 'nhl' : 'hnl', year: 2100, members: [{ workerId: 'w-none' }] }),
    expect: () => 403,
  },
  {
    // No round is open in the fixture: a round answers 404 to everyone, as one the caller may not see does.
    operationId: 'getRound',
    call: (a, t, s) =>
      request(a)
        .get(`/api/v1/rounds/promotion-round-${s === 'inside' ? 'nhl' : 'hnl'}-2100`)
        .set('Authorization', t),
    expect: () => 404,
  },
  {
    operationId: 'recommendRound',
    call: (a, t, s) =>
      request(a)
        .post(`/api/v1/rounds/promotion-round-${s === 'inside' ? 'nhl' : 'hnl'}-2100/recommendation`)
        .set('Authorization', t)
        .send({}),
    expect: () => 404,
  },
  {
    operationId: 'decideRound',
    call: (a, t, s) =>
      request(a)
        .post(`/api/v1/rounds/promotion-round-${s === 'inside' ? 'nhl' : 'hnl'}-2100/decision`)
        .set('Authorization', t)
        .send({
          meetingDate: '2100-01-05',
          members: [{ userId: 'dgw-nhl-1', attendance: 'present', vote: 'for' }],
          minutes: '会议纪要',
          resolution: '同意',
        }),
    expect: () => 404,
  },
  {
    operationId: 'getWorkerRounds',
    call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}/rounds`).set('Authorization', t),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    // An unknown community: every caller is told so before anything is checked or opened.
    operationId: 'openAssessment',
    call: (a, t, s) =>
      request(a)
        .post('/api/v1/assessments')
        .set('Authorization', t)
        .send({ communityId: s === 'inside' ? 'nope-in' : 'nope-out', year: 2100 }),
    expect: () => 400,
  },
  ...(
    [
      ['getAssessment', 'get', '', null],
      ['recordSelfReport', 'post', '/self-reports', { workerId: 'w-none', report: '述职' }],
      ['recordAssessmentScores', 'post', '/scores', { workerId: 'w-none', scores: [{ evaluator: '甲', group: 'residents', score: 90 }] }],
      ['proposeAssessment', 'post', '/proposal', { results: [{ workerId: 'w-none', result: 'competent' }] }],
      ['confirmAssessment', 'post', '/confirmation', {}],
      ['notifyAssessment', 'post', '/notification', {}],
      ['requestAssessmentReview', 'post', '/reviews', { workerId: 'w-none', reason: '有异议' }],
      ['correctAssessment', 'post', '/corrections', { workerId: 'w-none', result: 'competent' }],
    ] as const
  ).map(([operationId, method, step, body]): Route => ({
    // No assessment is open in the fixture: it answers 404 to everyone, as one the caller may not see does.
    operationId,
    call: (a, t, s) => {
      const path = `/api/v1/assessments/annual-assessment-${s === 'inside' ? 'jsl' : 'mtj'}-2100${step}`;
      return method === 'get' ? request(a).get(path).set('Authorization', t) : request(a).post(path).set('Authorization', t).send(body);
    },
    expect: () => 404,
  })),
  {
    operationId: 'getWorkerAssessments',
    call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}/assessments`).set('Authorization', t),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'getCaseEvents',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/events`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'getCaseDossier',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/dossier`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'listAuditEvents',
    call: (a, t) => request(a).get('/api/v1/audit/events?limit=5').set('Authorization', t),
    expect: only(['auditor'], 200),
  },
  {
    operationId: 'listNationalIdReveals',
    call: (a, t) => request(a).get('/api/v1/audit/national-id-reveals?limit=5').set('Authorization', t),
    expect: only(['auditor'], 200),
  },
  {
    operationId: 'verifyChains',
    call: (a, t, s, f, n) =>
      request(a)
        .get(n % 2 ? `/api/v1/audit/verify?caseId=${f.cases[s]}` : '/api/v1/audit/verify')
        .set('Authorization', t),
    // Odd calls verify one case (whoever sees it); even calls verify everything (auditors only).
    expect: () => -1,
  },
  {
    operationId: 'getLedgerPublicKey',
    call: (a, t) => request(a).get('/api/v1/ledger/public-key').set('Authorization', t),
    expect: everyone,
  },
  {
    // No case of the fixture is archived: auditors learn that (404), everyone else may not ask (403).
    operationId: 'getArchiveBundle',
    call: (a, t, s, f) => request(a).get(`/api/v1/archive/cases/${f.cases[s]}/bundle`).set('Authorization', t),
    expect: (role) => (role === 'auditor' ? 404 : 403),
  },
  {
    operationId: 'getLatestLedgerCheckpoint',
    call: (a, t) => request(a).get('/api/v1/ledger/checkpoints/latest').set('Authorization', t),
    expect: only(['auditor'], 200),
  },
  {
    operationId: 'exportLedger',
    call: (a, t) => request(a).get('/api/v1/ledger/export').set('Authorization', t),
    expect: only(['auditor'], 200),
  },
  { operationId: 'listWorkers', call: (a, t) => request(a).get('/api/v1/workers').set('Authorization', t), expect: everyone },
  {
    operationId: 'listPlacements',
    call: (a, t) => request(a).get('/api/v1/placements?date=2027-01-15').set('Authorization', t),
    expect: everyone,
  },
  {
    operationId: 'createWorker',
    call: (a, t, s, f, n) =>
      request(a)
        .post('/api/v1/workers')
        .set('Authorization', t)
        .send({
          id: `w-new-${n}`,
          name: '新同志',
          nationalId: makeNationalId('320106', '1995-05-05', 700 + n, 'female'),
          education: 'bachelor',
          postType: 'general',
          employmentType: 'contract',
          orgUnitId: f.communities[s],
          grade: 2,
          gradeSince: '2026-01-01',
          hireDate: '2025-09-01',
          postSince: '2025-09-01',
        }),
    expect: (role, side) => (role === 'admin' || (role === 'personnel_officer' && side === 'inside') ? 201 : 403),
  },
  {
    operationId: 'getWorker',
    call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}`).set('Authorization', t),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'getWorkerEligibility',
    call: (a, t, s, f) => request(a).get(`/api/v1/workers/${f.workers[s]}/eligibility`).set('Authorization', t),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'checkEligibility',
    call: (a, t, s, f) =>
      request(a)
        .post('/api/v1/eligibility-checks')
        .set('Authorization', t)
        .send({ type: 'promotion', subjectId: f.workers[s], payload: { kind: 'regular' } }),
    expect: sees(RECORD_READERS, ['auditor', 'admin']),
  },
  {
    operationId: 'linkWorkerAccount',
    call: (a, t, s, f) =>
      request(a)
        .put(`/api/v1/workers/${f.workers[s]}/account`)
        .set('Authorization', t)
        .send({ userId: s === 'inside' ? 'jgw-nhl-2' : 'jgw-hnl-2' }),
    expect: (role, side) => (writes(role, side) === 201 ? 200 : writes(role, side)),
  },
  {
    operationId: 'revealNationalId',
    call: (a, t, s, f) =>
      request(a).post(`/api/v1/workers/${f.workers[s]}/national-id/reveal`).set('Authorization', t).send({ reason: '核对身份信息' }),
    // Those who maintain the record; an auditor reads every record but reveals none.
    expect: (role, side) => (writes(role, side) === 201 ? 200 : writes(role, side)),
  },
  {
    operationId: 'addAssessment',
    call: (a, t, s, f) =>
      request(a)
        .post(`/api/v1/workers/${f.workers[s]}/assessments`)
        .set('Authorization', t)
        .send({ year: nextYear++, result: 'competent' }),
    expect: writes,
  },
  {
    operationId: 'addDisciplinaryRecord',
    call: (a, t, s, f) =>
      request(a)
        .post(`/api/v1/workers/${f.workers[s]}/disciplinary-records`)
        .set('Authorization', t)
        .send({ kind: 'contract_warning', startDate: '2020-01-01', reason: '测试' }),
    expect: writes,
  },
  {
    operationId: 'uploadCaseAttachment',
    call: (a, t, s, f) =>
      request(a)
        .post(`/api/v1/cases/${f.cases[s]}/attachments`)
        .set('Authorization', t)
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: '情况说明.pdf' }),
    // As with actions: the clerk who submitted the inside case takes part in it; others who see it do not.
    expect: (role, side) => {
      if (role === 'auditor') return 403;
      if (side === 'outside' || role === 'admin') return 404;
      return role === 'clerk' ? 201 : 403;
    },
  },
  {
    operationId: 'uploadAttachment',
    call: (a, t) =>
      request(a)
        .post('/api/v1/attachments')
        .set('Authorization', t)
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'a.pdf' }),
    expect: only(['clerk', 'approver', 'personnel_officer'], 201),
  },
  {
    operationId: 'listCaseAttachments',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/attachments`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'getAttachmentContent',
    call: (a, t) => request(a).get('/api/v1/attachments/no-such-file/content').set('Authorization', t),
    expect: () => 404,
  },
  {
    operationId: 'removeAttachment',
    call: (a, t) => request(a).delete('/api/v1/attachments/no-such-file').set('Authorization', t),
    expect: () => 404,
  },
  {
    operationId: 'listCaseDocuments',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/documents`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'getCaseDocument',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/documents/approval-form`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  {
    operationId: 'listPublicObjections',
    call: (a, t, s, f) => request(a).get(`/api/v1/cases/${f.cases[s]}/public-objections`).set('Authorization', t),
    expect: sees(CASE_READERS, ['auditor']),
  },
  { operationId: 'listPublicNotices', call: (a, t) => request(a).get('/api/v1/public/notices').set('Authorization', t), expect: everyone },
  {
    operationId: 'getPublicChallenge',
    call: (a, t) => request(a).get('/api/v1/public/challenge').set('Authorization', t),
    expect: everyone,
  },
  {
    operationId: 'objectToPublicNotice',
    call: (a, t) =>
      request(a)
        .post('/api/v1/public/notices/no-such-notice/objections')
        .set('Authorization', t)
        .send({ name: '居民', telephone: '12345', content: '一条异议内容', challenge: { token: 'x.y', answer: '1' } }),
    // Without a valid challenge nothing is looked up: the same answer for everyone, signed in or not.
    expect: () => 400,
  },
  {
    operationId: 'setQualificationEligibility',
    call: (a, t, s, f) =>
      request(a)
        .put(`/api/v1/workers/${f.workers[s]}/qualification-eligibility`)
        .set('Authorization', t)
        .send({ since: '2019-07-01', basis: 'social_work_bachelor', evidence: '学位证书' }),
    expect: (role, side) => (writes(role, side) === 201 ? 200 : writes(role, side)),
  },
  { operationId: 'listOrgUnits', call: (a, t) => request(a).get('/api/v1/org-units').set('Authorization', t), expect: everyone },
  { operationId: 'getRuleSet', call: (a, t) => request(a).get('/api/v1/rule-set').set('Authorization', t), expect: everyone },
  { operationId: 'getCalendarYear', call: (a, t) => request(a).get('/api/v1/calendar/2026').set('Authorization', t), expect: everyone },
  {
    operationId: 'putCalendarYear',
    call: (a, t) =>
      request(a)
        .put('/api/v1/calendar/2030')
        .set('Authorization', t)
        .send({ source: '测试', holidays: ['2030-01-01'], makeUpWorkdays: [] }),
    expect: only(['admin'], 200),
  },
  { operationId: 'listNotifications', call: (a, t) => request(a).get('/api/v1/notifications').set('Authorization', t), expect: everyone },
  {
    operationId: 'markNotificationsRead',
    call: (a, t) => request(a).post('/api/v1/notifications/read').set('Authorization', t).send({ all: true }),
    expect: everyone,
  },
  {
    operationId: 'getNotificationPreferences',
    call: (a, t) => request(a).get('/api/v1/me/notification-preferences').set('Authorization', t),
    expect: everyone,
  },
  {
    operationId: 'setNotificationPreferences',
    call: (a, t) => request(a).put('/api/v1/me/notification-preferences').set('Authorization', t).send({ inApp: true, email: true }),
    expect: everyone,
  },
  {
    operationId: 'listMyPhrases',
    call: (a, t) => request(a).get('/api/v1/me/phrases').set('Authorization', t),
    expect: everyone,
  },
  {
    operationId: 'addMyPhrase',
    call: (a, t) => request(a).post('/api/v1/me/phrases').set('Authorization', t).send({ text: '同意，请按程序办理' }),
    expect: everyone,
  },
  {
    operationId: 'removeMyPhrase',
    call: (a, t) =>
      request(a)
        .delete(`/api/v1/me/phrases?text=${encodeURIComponent('同意，请按程序办理')}`)
        .set('Authorization', t),
    expect: everyone,
  },
  {
    operationId: 'listMyDelegations',
    call: (a, t) => request(a).get('/api/v1/me/delegations').set('Authorization', t),
    expect: everyone,
  },
  {
    // 委托: an approver to a colleague of the same level over the same street; a day of its own per call (no overlaps).
    // Nobody else holds an approving role that bsc-nhl-1 could stand in for (400).
    operationId: 'createMyDelegation',
    call: (a, t, _side, _f, n) => {
      const day = addDays('2030-01-01', n);
      return request(a)
        .post('/api/v1/me/delegations')
        .set('Authorization', t)
        .send({ delegateId: 'bsc-nhl-1', from: day, to: day, reason: '年休假' });
    },
    expect: (role) => (role === 'approver' ? 201 : 400),
  },
  {
    operationId: 'revokeMyDelegation',
    call: (a, t) => request(a).delete('/api/v1/me/delegations/none').set('Authorization', t),
    expect: () => 404,
  },
  {
    operationId: 'setUserEmail',
    call: (a, t) => request(a).put('/api/v1/admin/users/dep-jsl/email').set('Authorization', t).send({ email: 'dep-jsl@example.gov.cn' }),
    expect: only(['admin'], 200),
  },
  {
    operationId: 'listWebhookTargets',
    call: (a, t) => request(a).get('/api/v1/admin/webhook-targets').set('Authorization', t),
    expect: only(['admin'], 200),
  },
  {
    operationId: 'putWebhookTarget',
    call: (a, t) =>
      request(a)
        .put('/api/v1/admin/webhook-targets/county')
        .set('Authorization', t)
        .send({ name: '县系统', format: 'signed', url: 'https://example.gov.cn/hook', secret: 'a-secret-of-16-chars', orgPath: '/js/' }),
    expect: only(['admin'], 200),
  },
  {
    // No such target: administrators are told so, everyone else is refused first.
    operationId: 'deleteWebhookTarget',
    call: (a, t) => request(a).delete('/api/v1/admin/webhook-targets/none').set('Authorization', t),
    expect: only(['admin'], 404),
  },
  {
    operationId: 'listNotificationDeliveries',
    call: (a, t) => request(a).get('/api/v1/admin/notification-deliveries').set('Authorization', t),
    expect: only(['admin'], 200),
  },
  { operationId: 'getMe', call: (a, t) => request(a).get('/api/v1/me').set('Authorization', t), expect: everyone },
  { operationId: 'listUsers', call: (a, t) => request(a).get('/api/v1/users').set('Authorization', t), expect: everyone },
  { operationId: 'getAuthConfig', call: (a, t) => request(a).get('/api/v1/auth/config').set('Authorization', t), expect: everyone },
  { operationId: 'listDemoUsers', call: (a, t) => request(a).get('/api/v1/auth/demo-users').set('Authorization', t), expect: everyone },
  {
    operationId: 'demoLogin',
    call: (a, t) => request(a).post('/api/v1/auth/demo-login').set('Authorization', t).send({ userId: 'clerk-jsl' }),
    expect: everyone,
  },
];

/** Distinct past years, so each permitted assessment is new. */
let nextYear = 1990;

/** Record maintenance: administrators anywhere, personnel officers in their subtree; others may not. */
function writes(role: RoleName, side: Side): number {
  if (role === 'admin' || (role === 'personnel_officer' && side === 'inside')) return 201;
  // Outside their subtree, the record is invisible to everyone but auditors and administrators.
  if (side === 'outside' && role !== 'auditor') return 404;
  return 403;
}
