import { tallyHeadcount, tallyMeeting, type MemberAtMeeting } from '../../domain/process/collective';
import { progressOf, type CaseCommand } from '../../domain/process/engine';
import { BUILT_IN_RULE_SETS, type CollectiveDecisionRules, type RuleSet } from '../../domain/rules';
import { approve, definition, Harness, stage } from './engine-harness';

/**
 * Collective decisions (集体研究决定) counted against the members who should attend (应到): a quorum of two thirds
 * present and more than half of 应到 for, as the rule set says; the meeting recorded once, with its minutes.
 */

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'];

/** A meeting of the nine: the first `present` attend and the first `votesFor` of them vote for; `recused` recuse. */
function meeting(present: number, votesFor: number, recused = 0): MemberAtMeeting[] {
  return MEMBERS.map((userId, i): MemberAtMeeting => {
    if (i < recused) return { userId, attendance: 'recused', reason: '亲属关系回避' };
    if (i < recused + present) return { userId, attendance: 'present', vote: i < recused + votesFor ? 'for' : 'against' };
    return { userId, attendance: 'absent', reason: '出差' };
  });
}

describe('the tally of a meeting', () => {
  const counted = rules.collectiveDecision;
  const uncounted: CollectiveDecisionRules = { ...counted, recusedCountAsExpected: false };
  test.each<[string, MemberAtMeeting[], CollectiveDecisionRules, { quorate: boolean; passed: boolean; expected: number }]>([
    [
      '9 members, 6 present, 4 for: refused (4 is not more than half of 9)',
      meeting(6, 4),
      counted,
      { quorate: true, passed: false, expected: 9 },
    ],
    ['9 members, 6 present, 5 for: passed', meeting(6, 5), counted, { quorate: true, passed: true, expected: 9 }],
    ['9 members, 5 present (all for): no quorum', meeting(5, 5), counted, { quorate: false, passed: false, expected: 9 }],
    ['9 members, all present, 5 for, 4 against', meeting(9, 5), counted, { quorate: true, passed: true, expected: 9 }],
    ['9 members, all present, 4 for: refused', meeting(9, 4), counted, { quorate: true, passed: false, expected: 9 }],
    ['2 recused, counted among 应到: 5 present is no quorum', meeting(5, 5, 2), counted, { quorate: false, passed: false, expected: 9 }],
    ['2 recused, not counted: 5 of 7 present, 5 for', meeting(5, 5, 2), uncounted, { quorate: true, passed: true, expected: 7 }],
    ['2 recused, not counted: 5 of 7 present, 3 for', meeting(5, 3, 2), uncounted, { quorate: true, passed: false, expected: 7 }],
  ])('%s', (_name, members, set, expected) => {
    expect(tallyMeeting(members, set)).toMatchObject(expected);
  });

  test('abstentions are not votes for, and the thresholds are named', () => {
    const members = meeting(9, 4).map((m, i): MemberAtMeeting =>
      i === 8 ? { userId: m.userId, attendance: 'present', vote: 'abstain' } : m,
    );
    expect(tallyMeeting(members, counted)).toEqual({
      expected: 9,
      present: 9,
      absent: 0,
      recused: 0,
      for: 4,
      against: 4,
      abstain: 1,
      quorumNeeds: 6,
      passingNeeds: 5,
      quorate: true,
      passed: false,
    });
  });

  test('a county rule of a simple majority of those present would pass what the party rules refuse', () => {
    // Not a rule anyone should adopt: it shows the shares are data (quorum 1/2, passing counted the same way).
    const lax: CollectiveDecisionRules = { ...counted, quorum: { numerator: 1, denominator: 2, strict: false } };
    expect(tallyMeeting(meeting(5, 5), lax)).toMatchObject({ quorate: true, passed: true });
  });
});

describe("the residents' meeting (居民会议): held with more than half present, passed by more than half of those present", () => {
  test.each<[number, number, number, boolean, boolean]>([
    [100, 50, 50, false, false],
    [100, 51, 25, true, false],
    [100, 51, 26, true, true],
    [7, 4, 3, true, true],
    [7, 4, 2, true, false],
  ])('%i entitled, %i present, %i for → held %s, passed %s', (entitled, present, votesFor, quorate, passed) => {
    expect(tallyHeadcount(entitled, present, votesFor, rules.residentsMeeting)).toEqual({ entitled, present, votesFor, quorate, passed });
  });
});

describe('a collective stage', () => {
  const committee = () =>
    definition(
      [
        stage({
          id: 'decision',
          mode: 'collective',
          actor: { level: 'county', department: 'social_work' },
          collective: rules.collectiveDecision,
          fields: [{ name: 'ruling', title: { zh: '认定', en: 'Ruling' }, type: 'enum', options: ['yes', 'no'], required: true }],
        }),
      ],
      { outcome: { stage: 'decision', field: 'ruling' } },
    );
  const record = (members: MemberAtMeeting[], extra: Partial<Extract<CaseCommand, { action: 'record-meeting' }>> = {}): CaseCommand => ({
    action: 'record-meeting',
    actorId: 'm1',
    meetingDate: '2026-09-29',
    members,
    minutes: '2026年第5次会议纪要',
    resolution: '同意',
    data: { ruling: 'yes' },
    ...extra,
  });

  test('everyone of the committee is awaited; any member records the meeting', () => {
    const h = new Harness(committee());
    expect(progressOf(h.state)).toMatchObject({ currentStage: 'decision', assignees: MEMBERS });
  });

  test.each<[string, number, number, string]>([
    ['6 present, 5 for: passed', 6, 5, 'completed'],
    ['6 present, 4 for: not adopted', 6, 4, 'rejected'],
  ])('%s', (_name, present, votesFor, status) => {
    const h = new Harness(committee());
    h.act(record(meeting(present, votesFor)));
    expect(h.state.status).toBe(status);
    expect(h.events.find((e) => e.action === 'record-meeting')).toMatchObject({
      actorId: 'm1',
      comment: '2026年第5次会议纪要',
      data: { meeting: { meetingDate: '2026-09-29', resolution: '同意', tally: { present, for: votesFor, expected: 9 } } },
    });
    // Those present decided; nobody of them may decide another stage of the case.
    expect(Object.keys(h.state.deciders).sort()).toEqual(MEMBERS.slice(0, present));
    if (status === 'rejected') expect(h.events.at(-1)).toMatchObject({ action: 'vote_failed', data: { tally: { passed: false } } });
    else
      expect(h.state.stageData.decision).toMatchObject({
        ruling: 'yes',
        minutes: '2026年第5次会议纪要',
        meeting: { tally: { passed: true } },
      });
  });

  test('5 present: no quorum, the meeting cannot decide and nothing is recorded', () => {
    const h = new Harness(committee());
    const before = h.events.length;
    expect(h.refusal(record(meeting(5, 5)))).toEqual({
      code: 'conflict',
      message: 'no quorum: 5 of 9 members who should attend were present, at least 6 needed; the meeting cannot decide',
    });
    expect(h.events.length).toBe(before);
  });

  test.each<[string, CaseCommand, string]>([
    ['a member missing', record(meeting(6, 5).slice(0, 8)), 'missing m9'],
    ['a member twice', record([...meeting(6, 5), { userId: 'm1', attendance: 'present', vote: 'for' }]), 'm1 is listed twice'],
    [
      'someone who is not a member',
      record([...meeting(6, 5), { userId: 's1', attendance: 'absent', reason: '病假' }]),
      's1 is not a member',
    ],
    [
      'an absence without a reason',
      record(meeting(6, 5).map((m) => (m.attendance === 'absent' ? { ...m, reason: ' ' } : m))),
      'needs its reason',
    ],
    ['no minutes', record(meeting(6, 5), { minutes: '' }), 'minutes'],
    ['no resolution', record(meeting(6, 5), { resolution: '' }), 'resolution'],
    ['a stage field out of range', record(meeting(6, 5), { data: { ruling: 'maybe' } }), 'data.ruling'],
    [
      'a meeting before the stage opened',
      record(meeting(6, 5), { meetingDate: '2026-09-27' }),
      'meetingDate: before the stage opened on 2026-09-28',
    ],
    ['a date that is none', record(meeting(6, 5), { meetingDate: '2026-02-30' }), 'meetingDate'],
  ])('refused: %s', (_name, command, message) => {
    const refusal = new Harness(committee()).refusal(command);
    expect(refusal?.code).toBe('invalid');
    expect(refusal?.message).toContain(message);
  });

  test('members do not approve, reject, hand on their seat or add members one by one', () => {
    const h = new Harness(committee());
    expect(h.refusal(approve('m1'))?.message).toMatch(/decided at a meeting of the committee/);
    expect(h.refusal({ action: 'reject', actorId: 'm1', comment: '不同意' })?.message).toMatch(/decided at a meeting/);
    expect(h.refusal({ action: 'transfer', actorId: 'm1', toUserId: 'm2' })?.message).toMatch(/cannot hand their seat on/);
    expect(h.refusal({ action: 'add-approver', actorId: 'm1', userId: 'x', position: 'after' })?.message).toMatch(/cannot be added/);
    expect(h.refusal(record(meeting(6, 5), { actorId: 'outsider' }))?.code).toBe('conflict');
  });

  test('the subject, a member of the committee, is recused from it', () => {
    const h = new Harness(committee(), { subjectUserId: 'm9' });
    expect(h.state.current?.assignees).toEqual(MEMBERS.slice(0, 8));
    expect(h.refusal(record(meeting(6, 5)))?.message).toContain('m9 is not a member');
    h.act(record(meeting(6, 5).slice(0, 8)));
    expect(h.state.status).toBe('completed');
  });
});

describe('decisive data ends the stage as the rule says', () => {
  const checks = () =>
    definition([
      stage({ id: 'nomination' }),
      stage({
        id: 'inspection',
        actor: { level: 'street', department: 'discipline' },
        fields: [
          { name: 'medicalPassed', title: { zh: '体检合格', en: 'Medical' }, type: 'boolean', required: true },
          { name: 'opinion', title: { zh: '意见', en: 'Opinion' }, type: 'enum', options: ['none', 'differing'], required: true },
        ],
        decisive: [
          { when: { path: 'data.medicalPassed', equals: false }, effect: 'reject', reason: { zh: '体检不合格', en: 'Failed the medical' } },
          {
            when: { path: 'data.opinion', equals: 'differing' },
            effect: { backTo: 'nomination' },
            reason: { zh: '有不同意见，退回研究', en: 'Differing views: back to decide' },
          },
        ],
      }),
      stage({ id: 'appointment', actor: { level: 'community', department: 'party_organisation' } }),
    ]);
  test.each<[string, Record<string, string | boolean>, string, string | null]>([
    ['passed and no differing views: on to the next stage', { medicalPassed: true, opinion: 'none' }, 'in_review', 'appointment'],
    ['a failed medical check: rejected', { medicalPassed: false, opinion: 'none' }, 'rejected', null],
    ['differing views: back to the nomination', { medicalPassed: true, opinion: 'differing' }, 'in_review', 'nomination'],
    ['both: the first rule decides', { medicalPassed: false, opinion: 'differing' }, 'rejected', null],
  ])('%s', (_name, data, status, next) => {
    const h = new Harness(checks());
    h.act(approve('s1')).act(approve('d1', data));
    expect(h.state.status).toBe(status);
    expect(h.state.current?.stageId ?? null).toBe(next);
    expect(h.state.stageData.inspection).toEqual(data);
    const decided = h.events.find((e) => e.action === 'decided_by_data');
    if (next === 'appointment') expect(decided).toBeUndefined();
    else expect(decided).toMatchObject({ stage: 'inspection', data: { reason: { zh: expect.any(String) }, data } });
  });

  test('sent back, the earlier stage decides again, with the data on record', () => {
    const h = new Harness(checks());
    h.act(approve('s1')).act(approve('d1', { medicalPassed: true, opinion: 'differing' }));
    h.act(approve('s1'));
    expect(h.state.current?.stageId).toBe('inspection');
    h.act(approve('d2', { medicalPassed: true, opinion: 'none' })).act(approve('sec'));
    expect(h.state.status).toBe('completed');
  });
});

describe("a residents' meeting recorded as numbers", () => {
  const recall = () =>
    definition([
      stage({
        id: 'recall',
        kind: 'record',
        headcountVote: true,
        headcount: rules.residentsMeeting,
        fields: ['entitled', 'present', 'votesFor'].map((name) => ({
          name,
          title: { zh: name, en: name },
          type: 'number' as const,
          required: true,
        })),
      }),
    ]);
  test.each<[string, Record<string, number>, string | null, string]>([
    ['passed', { entitled: 60, present: 40, votesFor: 30 }, null, 'completed'],
    ['not passed', { entitled: 60, present: 40, votesFor: 20 }, null, 'rejected'],
    ['not held: 30 of 60 present', { entitled: 60, present: 30, votesFor: 30 }, 'conflict', 'in_review'],
    ['more present than entitled', { entitled: 60, present: 61, votesFor: 30 }, 'invalid', 'in_review'],
    ['more for than present', { entitled: 60, present: 40, votesFor: 41 }, 'invalid', 'in_review'],
  ])('%s', (_name, data, refusal, status) => {
    const h = new Harness(recall());
    expect(h.refusal(approve('s1', data))?.code ?? null).toBe(refusal);
    if (!refusal) h.act(approve('s1', data));
    expect(h.state.status).toBe(status);
    if (status !== 'in_review')
      expect(h.state.stageData.recall).toMatchObject({ ...data, tally: { quorate: true, passed: status === 'completed' } });
  });
});

describe('objections and the public notice (notice.objectionsPause)', () => {
  const notice = (objectionsPause?: boolean) =>
    definition([stage({ id: 'street' })], {
      publicNotice: { afterStage: 'street', period: { workingDays: 5 }, ...(objectionsPause === undefined ? {} : { objectionsPause }) },
    });
  const object = { action: 'object', actorId: 'resident', comment: '反映考勤不实' } as const;
  const dismiss = {
    action: 'resolve-objection',
    actorId: 's2',
    objectionId: 'objection-1',
    resolution: 'dismissed',
    comment: '不属实',
  } as const;

  test.each<[string, boolean | undefined, string]>([
    ['pausing (the Jiangsu default)', true, 'objection_review'],
    ['pausing (a case started before it was a rule value)', undefined, 'objection_review'],
    ['not pausing: the period runs on while it is verified', false, 'public_notice'],
  ])('%s', (_name, pause, status) => {
    const h = new Harness(notice(pause));
    h.act(approve('s1'));
    h.now = new Date('2026-09-30T02:00:00.000Z');
    h.act(object);
    expect(h.state.status).toBe(status);
  });

  test('not pausing: a period that ends with the objection open waits for the ruling, then completes', () => {
    const h = new Harness(notice(false));
    h.act(approve('s1'));
    h.now = new Date('2026-09-30T02:00:00.000Z');
    h.act(object);
    h.advanceTo('2026-10-10T16:00:00.000Z');
    expect(progressOf(h.state)).toMatchObject({ status: 'objection_review', dueAt: null });
    expect(h.events.at(-1)).toMatchObject({ action: 'notice_paused', data: { periodEnded: true } });
    h.act(dismiss);
    expect(h.state.status).toBe('completed');
    expect(h.actions().slice(-4)).toEqual(['resolve-objection', 'notice_completed', 'outcome_applied', 'complete']);
  });

  test('not pausing: an objection ruled on within the period leaves the period as it was', () => {
    const h = new Harness(notice(false));
    h.act(approve('s1'));
    const dueAt = h.state.notice?.dueAt;
    h.act(object).act(dismiss);
    expect(h.state).toMatchObject({ status: 'public_notice', notice: { dueAt } });
    h.advanceTo('2026-10-10T16:00:00.000Z');
    expect(h.state.status).toBe('completed');
  });
});

describe('one open exit case per worker: a further reason joins it', () => {
  const exitCase = () =>
    new Harness(definition([stage({ id: 'street' })]), { type: 'exit', payload: { reason: 'consecutive-incompetent', detail: 'x' } });
  test.each<[string, (h: Harness) => void, string[]]>([
    ['a new reason joins', () => undefined, ['consecutive-basically-competent']],
    ['the same reason twice joins once', (h) => h.join('consecutive-basically-competent'), ['consecutive-basically-competent']],
    ['the case’s own reason does not join', () => undefined, ['consecutive-basically-competent']],
  ])('%s', (_name, before, expected) => {
    const h = exitCase();
    before(h);
    h.join('consecutive-basically-competent');
    h.join('consecutive-incompetent');
    expect(h.state.payload.additionalReasons).toEqual(expected.map((reason) => ({ reason, detail: `档案巡检：${reason}` })));
    expect(h.actions().filter((a) => a === 'reason_joined')).toHaveLength(1);
  });

  test('a decided case takes no reason', () => {
    const h = exitCase();
    h.act(approve('s1'));
    expect(h.state.status).toBe('completed');
    h.join('no-qualification');
    expect(h.state.payload.additionalReasons).toBeUndefined();
  });

  test('only exit cases take reasons', () => {
    const h = new Harness(definition([stage({ id: 'street' })]));
    h.join('dereliction');
    expect(h.state.payload.additionalReasons).toBeUndefined();
  });
});
