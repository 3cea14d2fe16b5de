import type { RoleGrant } from '../../domain/access';
import type { DepartmentType, OrgLevel, Role } from '../../domain/org';
import { verifyCaseChain } from '../../domain/history';
import {
  allowedActions,
  checkCommand,
  nextWakeAt,
  progressOf,
  startCase,
  type CaseCommand,
  type CaseLimits,
} from '../../domain/process/engine';
import { approve, at, CALENDAR, definition, Harness, HOLDERS, stage, T0 } from './engine-harness';

/** The engine on its own: every mode and action, clocks, the public notice, separation of duties. */

describe('stage modes', () => {
  test('any (或签): the first approval decides; the others are no longer asked', () => {
    const h = new Harness(definition([stage({ id: 'street', mode: 'any' })]));
    expect(progressOf(h.state)).toMatchObject({ status: 'in_review', currentStage: 'street', assignees: ['s1', 's2', 's3'] });
    h.act(approve('s2'));
    expect(h.state.status).toBe('completed');
    expect(h.refusal(approve('s1'))).toEqual({ code: 'conflict', message: 'the case is completed' });
    expect(h.actions()).toEqual(['submit', 'stage_opened', 'approve', 'outcome_applied', 'complete']);
  });

  test('single: one responsible officer, the others hold the role and can take a transfer', () => {
    const h = new Harness(definition([stage({ id: 'street', mode: 'single' })]));
    expect(h.state.current?.assignees).toEqual(['s1']);
    expect(h.refusal(approve('s2'))?.code).toBe('conflict');
    h.act({ action: 'transfer', actorId: 's1', toUserId: 's3', comment: '出差' });
    expect(h.state.current?.assignees).toEqual(['s3']);
    expect(h.refusal({ action: 'transfer', actorId: 's3', toUserId: 'stranger' })?.message).toMatch(/does not hold/);
    h.act(approve('s3'));
    expect(h.state.status).toBe('completed');
  });

  test('all (会签): everyone must approve, and one rejection rejects', () => {
    const h = new Harness(definition([stage({ id: 'joint', mode: 'all' })]));
    h.act(approve('s1')).act(approve('s3'));
    expect(progressOf(h.state)).toMatchObject({ status: 'in_review', assignees: ['s2'] });
    expect(h.refusal(approve('s1'))).toEqual({ code: 'conflict', message: 'you have already approved this stage' });
    h.act(approve('s2'));
    expect(h.state.status).toBe('completed');

    const r = new Harness(definition([stage({ id: 'joint', mode: 'all' })]));
    r.act(approve('s1'));
    expect(r.refusal({ action: 'reject', actorId: 's2', comment: ' ' })?.code).toBe('invalid');
    r.act({ action: 'reject', actorId: 's2', comment: '材料不实' });
    expect(r.state.status).toBe('rejected');
  });

  test('vote (集体研究): quorum, majority of votes cast, minutes, recorded data', () => {
    const def = definition(
      [
        stage({
          id: 'meeting',
          mode: 'vote',
          actor: { level: 'street', department: 'discipline' },
          vote: { quorum: 2 / 3, passShare: 0.5 },
          fields: [
            { name: 'ruling', title: { zh: '认定', en: 'Ruling' }, type: 'enum', options: ['tolerated', 'not-tolerated'], required: true },
          ],
        }),
      ],
      { outcome: { stage: 'meeting', field: 'ruling' } },
    );
    const h = new Harness(def);
    expect(h.refusal(approve('d1'))).toEqual({ code: 'conflict', message: 'this stage decides by vote' });
    h.act({ action: 'vote', actorId: 'd1', choice: 'for' });
    expect(h.refusal({ action: 'close-vote', actorId: 'd1', minutes: '纪要' })?.message).toMatch(/quorum is not reached \(1 of 3 voted\)/);
    expect(h.refusal({ action: 'vote', actorId: 'd1', choice: 'against' })?.message).toBe('you have already voted');
    h.act({ action: 'vote', actorId: 'd2', choice: 'abstain' });
    expect(h.refusal({ action: 'close-vote', actorId: 'd2', minutes: '' })?.code).toBe('invalid');
    expect(h.refusal({ action: 'close-vote', actorId: 'd2', minutes: '纪要', data: { ruling: 'maybe' } })?.message).toMatch(
      /data.ruling: expected one of/,
    );
    // 1 for, 1 abstain: not more than half of the votes cast.
    h.act({ action: 'close-vote', actorId: 'd2', minutes: '2026年第3次会议纪要', data: { ruling: 'tolerated' } });
    expect(h.state.status).toBe('rejected');
    expect(h.events.at(-1)).toMatchObject({ action: 'vote_failed', data: { tally: { for: 1, against: 0, abstain: 1 } } });

    const p = new Harness(def);
    p.act({ action: 'vote', actorId: 'd1', choice: 'for' })
      .act({ action: 'vote', actorId: 'd2', choice: 'for' })
      .act({ action: 'vote', actorId: 'd3', choice: 'against' });
    p.act({ action: 'close-vote', actorId: 'd3', minutes: '纪要', data: { ruling: 'tolerated' } });
    expect(p.state).toMatchObject({ status: 'completed', outcome: 'tolerated' });
    expect(p.state.stageData.meeting).toMatchObject({ ruling: 'tolerated', tally: { for: 2, against: 1, abstain: 0 }, minutes: '纪要' });
  });
});

describe('separation of duties', () => {
  const twoStages = () =>
    definition([stage({ id: 'community', actor: { level: 'community', department: 'party_organisation' } }), stage({ id: 'street' })]);

  test('the applicant and the subject are never assigned and cannot decide', () => {
    HOLDERS['street/party_committee'] = ['s1', 's2', 'clerk', 'subject-user'];
    try {
      const h = new Harness(definition([stage({ id: 'street' })]), { subjectUserId: 'subject-user' });
      expect(h.state.current?.assignees).toEqual(['s1', 's2']);
      expect(h.refusal(approve('clerk'))).toEqual({ code: 'forbidden', message: 'the applicant cannot decide their own case' });
      expect(h.refusal(approve('subject-user'))?.message).toMatch(/recused/);
      expect(h.refusal({ action: 'comment', actorId: 'subject-user', comment: 'x' })?.code).toBe('forbidden');
    } finally {
      HOLDERS['street/party_committee'] = ['s1', 's2', 's3'];
    }
  });

  test('nobody decides the same case at two stages', () => {
    HOLDERS['community/party_organisation'] = ['sec', 's1'];
    try {
      const h = new Harness(twoStages());
      h.act(approve('s1'));
      // s1 decided the community stage, so the street stage goes to the others.
      expect(h.state.current).toMatchObject({ stageId: 'street', assignees: ['s2', 's3'] });
      expect(h.refusal(approve('s1'))?.code).toBe('conflict');
    } finally {
      HOLDERS['community/party_organisation'] = ['sec', 'dep'];
    }
  });

  test('a stage nobody may take escalates at once to the supervising level', () => {
    HOLDERS['street/party_committee'] = ['clerk'];
    try {
      const h = new Harness(definition([stage({ id: 'street' })]));
      expect(h.actions()).toEqual(['submit', 'stage_opened', 'stage_unassigned', 'escalated']);
      expect(h.state.current?.assignees).toEqual(['c1']);
    } finally {
      HOLDERS['street/party_committee'] = ['s1', 's2', 's3'];
    }
  });
});

describe('separation of duties against the roles people hold now (sent with the command)', () => {
  /** The case's community is /s/c-1/; the street /s/; another street /t/. */
  const grant = (role: Role, level: OrgLevel, departmentType: DepartmentType | null, orgPath: string): RoleGrant => ({
    role,
    orgUnitId: `${orgPath}${departmentType ?? ''}`,
    orgPath,
    orgLevel: level,
    departmentType,
  });
  const STREET_COMMITTEE = grant('approver', 'street', 'party_committee', '/s/');
  const OTHER_STREET = grant('approver', 'street', 'party_committee', '/t/');
  const STREET_DISCIPLINE = grant('approver', 'street', 'discipline', '/s/');
  const AUDITOR = grant('auditor', 'county', null, '/');
  const CLERK = grant('clerk', 'community', null, '/s/c-1/');
  // A single decider at the street committee, then a decision of the street's discipline commission.
  const harness = () =>
    new Harness(
      definition([
        stage({ id: 'street', mode: 'single' }),
        stage({ id: 'discipline', actor: { level: 'street', department: 'discipline' } }),
      ]),
    );
  const add = (userId: string, targetRoles: RoleGrant[]): CaseCommand => ({
    action: 'add-approver',
    actorId: 's1',
    actorRoles: [STREET_COMMITTEE],
    userId,
    position: 'before',
    targetRoles,
  });

  test.each<[string, CaseCommand, string | null]>([
    ['an assignee who holds the role', { ...approve('s1'), actorRoles: [STREET_COMMITTEE] }, null],
    [
      'an assignee whose role was taken away',
      { ...approve('s1'), actorRoles: [] },
      'forbidden: you no longer hold a role that may decide stage "street" of this case',
    ],
    [
      'an assignee who moved to another street',
      { ...approve('s1'), actorRoles: [OTHER_STREET] },
      'forbidden: you no longer hold a role that may decide stage "street" of this case',
    ],
    ['a command without roles (tools, recorded Updates)', approve('s1'), null],
    ['adding a holder of the stage role', add('s2', [STREET_COMMITTEE]), null],
    ['adding an outsider', add('t1', [OTHER_STREET]), 'invalid: t1 does not hold a role that may decide stage "street" of this case'],
    [
      'adding an auditor',
      add('auditor-1', [AUDITOR]),
      'invalid: auditor-1 does not hold a role that may decide stage "street" of this case',
    ],
    ['adding a user with no role', add('nobody', []), 'invalid: nobody does not hold a role that may decide stage "street" of this case'],
    [
      'adding the approver of a later stage, who would be shut out of it',
      add('d1', [STREET_COMMITTEE, STREET_DISCIPLINE]),
      'invalid: d1 decides the later stage "discipline" of this case and would be shut out of it',
    ],
    [
      'transferring to someone whose role was taken away',
      { action: 'transfer', actorId: 's1', actorRoles: [STREET_COMMITTEE], toUserId: 's2', targetRoles: [] },
      'invalid: s2 does not hold a role that may decide stage "street" of this case',
    ],
    ['the applicant, still a clerk over the subject', { action: 'withdraw', actorId: 'clerk', actorRoles: [CLERK] }, null],
    [
      'the applicant, now a clerk elsewhere',
      { action: 'withdraw', actorId: 'clerk', actorRoles: [grant('clerk', 'community', null, '/s/c-2/')] },
      'forbidden: you no longer hold the clerk role over this case',
    ],
  ])('%s', (_what, command, refusal) => {
    const found = harness().refusal(command);
    expect(found ? `${found.code}: ${found.message}` : null).toBe(refusal);
  });

  test('once a stage escalated, the level above decides it with its own role', () => {
    HOLDERS['street/party_committee'] = ['clerk'];
    try {
      const h = new Harness(definition([stage({ id: 'street' })]));
      expect(h.state.current?.assignees).toEqual(['c1']);
      const county = grant('approver', 'county', 'party_committee', '/');
      expect(h.refusal({ ...approve('c1'), actorRoles: [county] })).toBeNull();
    } finally {
      HOLDERS['street/party_committee'] = ['s1', 's2', 's3'];
    }
  });
});

describe('return, resubmit and the suspended clock', () => {
  test('return to the applicant suspends the deadline; resubmission resumes the rest', () => {
    const h = new Harness(definition([stage({ id: 'street', deadline: { workingDays: 5 } })]));
    // Opened Monday 2026-09-28: five working days are Sep 29, 30, Oct 8, 9, 10 (Oct 1–7 off, Oct 10 a make-up Saturday).
    expect(h.state.current?.dueAt).toBe('2026-10-10T16:00:00.000Z');
    h.now = at('2026-09-30T02:00:00.000Z'); // Wednesday: Sep 29 and 30 used
    h.act({ action: 'return', actorId: 's1', comment: '请补充考核材料', to: 'applicant' });
    expect(progressOf(h.state)).toMatchObject({ status: 'returned', assignees: ['clerk'], dueAt: null });
    expect(nextWakeAt(h.state)).toBeNull();
    expect(allowedActions(h.state, 's1')).toEqual(['comment']);
    expect(allowedActions(h.state, 'clerk')).toEqual(['resubmit', 'withdraw', 'comment']);
    h.now = at('2026-10-12T02:00:00.000Z'); // Monday after the holiday
    h.act({ action: 'resubmit', actorId: 'clerk', payload: { kind: 'regular', reason: '已补充' } });
    // Three working days were left: Oct 13, 14, 15.
    expect(h.state.current?.dueAt).toBe('2026-10-15T16:00:00.000Z');
    expect(h.state.payload).toEqual({ kind: 'regular', reason: '已补充' });
    expect(h.state.suspensions).toEqual([{ from: '2026-09-30T02:00:00.000Z', to: '2026-10-12T02:00:00.000Z' }]);
    expect(h.actions()).toEqual(['submit', 'stage_opened', 'return', 'clock_suspended', 'resubmit', 'clock_resumed']);
  });

  test('return to an earlier stage reopens it after resubmission', () => {
    const h = new Harness(
      definition([stage({ id: 'community', actor: { level: 'community', department: 'party_organisation' } }), stage({ id: 'street' })]),
    );
    h.act(approve('sec'));
    expect(h.refusal({ action: 'return', actorId: 's1', comment: 'x', to: 'street' })?.message).toMatch(/not an earlier stage/);
    h.act({ action: 'return', actorId: 's1', comment: '社区意见不明确', to: 'community' });
    h.act({ action: 'resubmit', actorId: 'clerk', payload: { kind: 'regular' } });
    expect(h.state.current).toMatchObject({ stageId: 'community', phase: 'open' });
    // The same person may decide the same stage again.
    h.act(approve('sec')).act(approve('s2'));
    expect(h.state.status).toBe('completed');
  });

  test('the applicant withdraws before a final decision; not after', () => {
    const h = new Harness(definition([stage({ id: 'street' })]));
    expect(h.refusal({ action: 'withdraw', actorId: 's1' })?.code).toBe('forbidden');
    h.act({ action: 'withdraw', actorId: 'clerk', comment: '申请人撤回' });
    expect(h.state.status).toBe('withdrawn');
    expect(h.refusal({ action: 'withdraw', actorId: 'clerk' })?.code).toBe('conflict');
  });
});

describe('adding approvers (加签)', () => {
  test('before: the added approver decides first, then the stage opens again', () => {
    const h = new Harness(definition([stage({ id: 'street', mode: 'single' })]));
    h.act({ action: 'add-approver', actorId: 's1', userId: 'expert', position: 'before', comment: '请专家把关' });
    expect(h.state.current).toMatchObject({ stageId: 'added-1', assignees: ['expert'] });
    h.act(approve('expert'));
    expect(h.state.current).toMatchObject({ stageId: 'street', assignees: ['s1'] });
    h.act(approve('s1'));
    expect(h.state.status).toBe('completed');
  });

  test('after: the added approver decides once the stage is done', () => {
    const h = new Harness(definition([stage({ id: 'street' })]));
    expect(h.refusal({ action: 'add-approver', actorId: 's1', userId: 'clerk', position: 'after' })?.code).toBe('invalid');
    h.act({ action: 'add-approver', actorId: 's1', userId: 'expert', position: 'after' });
    h.act(approve('s2'));
    expect(h.state.current).toMatchObject({ stageId: 'added-1', assignees: ['expert'] });
    h.act(approve('expert'));
    expect(h.state.status).toBe('completed');
  });
});

describe('clocks', () => {
  test('reminders fire on time, then the deadline escalates to the supervising level', () => {
    const h = new Harness(
      definition([
        stage({ id: 'street', deadline: { seconds: 100 }, reminders: [{ seconds: 40 }, { seconds: 80 }], onExpiry: 'escalate' }),
      ]),
    );
    expect(nextWakeAt(h.state)).toBe('2026-09-28T02:00:40.000Z');
    h.advanceTo('2026-09-28T02:01:25.000Z'); // both reminders are due
    expect(h.actions().filter((a) => a === 'reminder')).toHaveLength(2);
    expect(nextWakeAt(h.state)).toBe('2026-09-28T02:01:40.000Z');
    h.advanceTo('2026-09-28T02:01:40.000Z');
    expect(h.actions().slice(-2)).toEqual(['deadline_passed', 'escalated']);
    expect(h.state.current?.assignees).toEqual(['s1', 's2', 's3', 'c1']);
    expect(h.state.current?.dueAt).toBe('2026-09-28T02:03:20.000Z');
    h.act(approve('c1'));
    expect(h.state.status).toBe('completed');
  });

  test('auto-approve and auto-reject on expiry when the definition says so', () => {
    const a = new Harness(definition([stage({ id: 'street', deadline: { seconds: 10 }, onExpiry: 'auto-approve' })]));
    a.advanceTo('2026-09-28T02:00:10.000Z');
    expect(a.state.status).toBe('completed');
    const r = new Harness(definition([stage({ id: 'street', deadline: { seconds: 10 }, onExpiry: 'auto-reject' })]));
    r.advanceTo('2026-09-28T02:00:11.000Z');
    expect(r.state.status).toBe('rejected');
  });

  test('a follow-up stage opens after its delay', () => {
    const h = new Harness(
      definition([stage({ id: 'decide' }), stage({ id: 'visit', kind: 'follow_up', startAfter: { days: 30 }, mode: 'single' })]),
    );
    h.act(approve('s1'));
    expect(progressOf(h.state)).toMatchObject({ status: 'follow_up', currentStage: 'visit', assignees: [] });
    expect(nextWakeAt(h.state)).toBe('2026-10-28T16:00:00.000Z');
    h.advanceTo('2026-10-28T16:00:00.000Z');
    // A follow-up records what was done; it is not a second decision, so the decider may do it.
    expect(h.state.current).toMatchObject({ phase: 'open', assignees: ['s1'] });
    expect(h.refusal({ action: 'reject', actorId: 's1', comment: 'x' })?.message).toMatch(/confirmed, not rejected/);
    h.act(approve('s1'));
    expect(h.state.status).toBe('completed');
  });

  test('stages whose condition fails are skipped', () => {
    const def = definition([
      stage({ id: 'removal', when: { path: 'subject.employmentType', equals: 'elected' } }),
      stage({ id: 'contract', actor: { level: 'community', department: 'party_organisation' } }),
    ]);
    const hired = new Harness(def, { attributes: { employmentType: 'contract' } });
    expect(hired.actions()).toEqual(['submit', 'stage_skipped', 'stage_opened']);
    expect(hired.state.current?.stageId).toBe('contract');
    const elected = new Harness(def, { attributes: { employmentType: 'elected' } });
    expect(elected.state.current?.stageId).toBe('removal');
  });

  test('an ineligible subject can only be rejected at a re-checking stage', () => {
    const h = new Harness(definition([stage({ id: 'street', recheckEligibility: true })]));
    expect(h.actions()).toContain('eligibility_rechecked');
    const r = new Harness(
      definition([
        stage({ id: 'street' }),
        stage({ id: 'final', recheckEligibility: true, actor: { level: 'county', department: 'party_committee' } }),
      ]),
    );
    r.eligible = false;
    r.act(approve('s1'));
    expect(r.refusal(approve('c1'))?.message).toMatch(/no longer meets the eligibility rules/);
    r.act({ action: 'reject', actorId: 'c1', comment: '不再符合条件' });
    expect(r.state.status).toBe('rejected');
  });
});

describe('public notice (公示)', () => {
  const withNotice = () => definition([stage({ id: 'street' })], { publicNotice: { afterStage: 'street', period: { workingDays: 5 } } });

  test('runs its period with no objection, then the case completes', () => {
    const h = new Harness(withNotice());
    h.act(approve('s1'));
    expect(progressOf(h.state)).toMatchObject({ status: 'public_notice', currentStage: 'street', dueAt: '2026-10-10T16:00:00.000Z' });
    expect(allowedActions(h.state, 'anyone')).toEqual(['object']);
    h.advanceTo('2026-10-10T15:59:59.000Z');
    expect(h.state.status).toBe('public_notice');
    h.advanceTo('2026-10-10T16:00:00.000Z');
    expect(h.state.status).toBe('completed');
    expect(h.actions().slice(-4)).toEqual(['notice_opened', 'notice_completed', 'outcome_applied', 'complete']);
  });

  test('an objection pauses the notice; dismissing it resumes the rest of the period', () => {
    const h = new Harness(withNotice());
    h.act(approve('s1'));
    h.now = at('2026-09-30T02:00:00.000Z');
    h.act({ action: 'object', actorId: 'resident-line', comment: '群众反映该同志考勤不实' });
    expect(progressOf(h.state)).toMatchObject({ status: 'objection_review', assignees: ['s1', 's2', 's3'], dueAt: null });
    expect(nextWakeAt(h.state)).toBeNull();
    expect(
      h.refusal({
        action: 'resolve-objection',
        actorId: 'resident-line',
        objectionId: 'objection-1',
        resolution: 'dismissed',
        comment: 'x',
      })?.code,
    ).toBe('forbidden');
    h.now = at('2026-10-12T02:00:00.000Z');
    h.act({
      action: 'resolve-objection',
      actorId: 's2',
      objectionId: 'objection-1',
      resolution: 'dismissed',
      comment: '经核实，考勤记录属实',
    });
    expect(progressOf(h.state)).toMatchObject({ status: 'public_notice', dueAt: '2026-10-15T16:00:00.000Z' });
    h.advanceTo('2026-10-15T16:00:00.000Z');
    expect(h.state.status).toBe('completed');
  });

  test('an upheld objection sends the case back for a new decision, or rejects it', () => {
    const h = new Harness(withNotice());
    h.act(approve('s1')).act({ action: 'object', actorId: 'x', comment: '异议' });
    expect(
      h.refusal({ action: 'resolve-objection', actorId: 's1', objectionId: 'objection-1', resolution: 'upheld', comment: 'c' })?.message,
    ).toMatch(/needs an effect/);
    h.act({
      action: 'resolve-objection',
      actorId: 's1',
      objectionId: 'objection-1',
      resolution: 'upheld',
      effect: 'reconsider',
      comment: '重新研究',
    });
    expect(h.state).toMatchObject({ status: 'in_review', current: { stageId: 'street', phase: 'open' } });
    h.act(approve('s3'));
    expect(h.state.status).toBe('public_notice');

    const r = new Harness(withNotice());
    r.act(approve('s1')).act({ action: 'object', actorId: 'x', comment: '异议' });
    r.act({
      action: 'resolve-objection',
      actorId: 's1',
      objectionId: 'objection-1',
      resolution: 'upheld',
      effect: 'reject',
      comment: '异议成立',
    });
    expect(r.state.status).toBe('rejected');
  });
});

test('every event is chained to the one before', () => {
  const h = new Harness(
    definition([stage({ id: 'street', deadline: { seconds: 5 }, onExpiry: 'escalate' })], {
      publicNotice: { afterStage: 'street', period: { seconds: 5 } },
    }),
  );
  h.advanceTo('2026-09-28T02:00:05.000Z');
  h.act({ action: 'comment', actorId: 'clerk', comment: '请尽快' }).act(approve('c1')).advanceTo('2026-09-28T02:01:00.000Z');
  expect(h.state.status).toBe('completed');
  expect(verifyCaseChain('case-1', h.events, { lastSeq: h.state.seq, lastHash: h.state.lastHash })).toEqual({
    ok: true,
    checked: h.events.length,
  });
  expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_e, i) => i + 1));
});

test('unknown actions are refused as invalid', () => {
  const h = new Harness(definition([stage({ id: 'street' })]));
  expect(checkCommand(h.state, { action: 'promote-everyone', actorId: 's1' } as unknown as CaseCommand)).toEqual({
    code: 'invalid',
    message: 'unknown action "promote-everyone"',
  });
});

describe('limits on what a case takes besides decisions', () => {
  const limits: CaseLimits = { comments: 2, objections: 1, reminds: 1 };
  const withNotice = () => definition([stage({ id: 'street' })], { publicNotice: { afterStage: 'street', period: { workingDays: 5 } } });

  test.each([
    ['comment', { action: 'comment', actorId: 's1', comment: '请补充' }, 2, 'this case has reached its limit of 2 comments'],
    ['remind', { action: 'remind', actorId: 'clerk' }, 1, 'this case has reached its limit of 1 reminders'],
  ] as const)('%s: refused once the limit is reached, and no longer offered', (action, command, allowed, message) => {
    const h = new Harness(definition([stage({ id: 'street' })]), { limits });
    for (let i = 0; i < allowed; i += 1) h.act(command);
    expect(h.refusal(command)).toEqual({ code: 'conflict', message });
    expect(allowedActions(h.state, command.actorId)).not.toContain(action);
    // A case without limits (started before them) takes any number.
    const open = new Harness(definition([stage({ id: 'street' })]));
    for (let i = 0; i <= allowed; i += 1) open.act(command);
    expect(open.refusal(command)).toBeNull();
  });

  test('objections: one, then refused while it is under review', () => {
    const h = new Harness(withNotice(), { limits });
    h.act(approve('s1'));
    h.act({ action: 'object', actorId: 'someone', comment: '异议' });
    expect(h.refusal({ action: 'object', actorId: 'another', comment: '再提异议' })).toEqual({
      code: 'conflict',
      message: 'this case has reached its limit of 1 objections',
    });
    expect(h.state.counts).toEqual({ comments: 0, objections: 1, reminds: 0 });
  });
});

describe('events of cases started since the ledger', () => {
  test('carry the digest of the case facts; events of older cases do not', () => {
    const h = new Harness(definition([stage({ id: 'street' })]));
    expect(h.events.every((e) => typeof e.caseDigest === 'string')).toBe(true);
    const legacy = startCase(
      {
        caseId: 'old',
        type: 'test',
        definition: definition([stage({ id: 'street' })]),
        applicantId: 'clerk',
        subject: { id: 'w-1', name: 'Subject', userId: null, orgUnitId: 'c-1', orgPath: '/s/c-1/', attributes: {} },
        payload: {},
        calendar: CALENDAR,
      },
      T0,
    );
    expect(legacy.events.map((e) => Object.keys(e))).toEqual([expect.not.arrayContaining(['caseDigest'])]);
  });
});

describe('copies (抄送)', () => {
  const copied = () =>
    definition([
      stage({ id: 'street', mode: 'any' }),
      stage({
        id: 'county',
        actor: { level: 'county', department: 'party_committee' },
        mode: 'single',
        copyTo: [{ to: { level: 'county', department: 'organisation_hr' }, provenance: { status: 'inferred', note: 'a test' } }],
      }),
      stage({ id: 'filing', kind: 'record', actor: { level: 'street', department: 'discipline' } }),
    ]);

  test('a decided stage that names copies records its observers, before the next stage opens', () => {
    const h = new Harness(copied(), { copies: true });
    h.act(approve('s1'));
    expect(h.state.observers).toEqual([]);
    h.act(approve('c1'));
    expect(h.actions().slice(-3)).toEqual(['approve', 'copied', 'stage_opened']);
    const event = h.events.find((e) => e.action === 'copied');
    expect(event).toMatchObject({
      stage: 'county',
      actorId: null,
      data: { to: [{ level: 'county', department: 'organisation_hr' }], observers: ['hr1', 'hr2'] },
    });
    expect(h.state.observers).toEqual(['hr1', 'hr2']);
    expect(h.state.pendingCopies).toEqual([]);
  });

  test('observers read, and may not act: they are not among those who may take any action', () => {
    const h = new Harness(copied(), { copies: true });
    h.act(approve('s1'));
    h.act(approve('c1'));
    expect(allowedActions(h.state, 'hr1')).toEqual([]);
    expect(h.refusal(approve('hr1'))?.code).toBe('forbidden');
    expect(h.refusal({ action: 'comment', actorId: 'hr1', comment: '已阅' })?.code).toBe('forbidden');
  });

  test('the copies of the last stage go out before the outcome is applied', () => {
    const h = new Harness(definition(copied().stages.slice(0, 2)), { copies: true });
    h.act(approve('s1'));
    h.act(approve('c1'));
    expect(h.actions().slice(-4)).toEqual(['approve', 'copied', 'outcome_applied', 'complete']);
    expect(h.state.status).toBe('completed');
  });

  test('a case started without copies (before the patch) sends none, whatever its definition names', () => {
    const h = new Harness(copied());
    h.act(approve('s1'));
    h.act(approve('c1'));
    expect(h.actions()).not.toContain('copied');
    expect(h.state.observers).toBeUndefined();
  });
});
