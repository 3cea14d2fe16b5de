import type { RoleGrant } from '../../domain/access';
import {
  canStandIn,
  delegationState,
  holdsOn,
  refuseActingFor,
  refuseDelegation,
  type Delegation,
  type DelegationContext,
  type DelegationRequest,
} from '../../domain/delegation';
import type { CaseCommand } from '../../domain/process/engine';
import { Harness, approve, definition, stage } from './engine-harness';

/** 委托 (domain/delegation.ts): who may stand in for whom, on which days, and the engine's rules for a delegate. */

const NHL = '/js/nj/gl/nhl/';
const JSL = `${NHL}jsl/`;
const grant = (
  role: RoleGrant['role'],
  orgPath: string,
  orgLevel: RoleGrant['orgLevel'],
  departmentType: RoleGrant['departmentType'] = null,
): RoleGrant => ({
  role,
  orgUnitId: orgPath,
  orgPath,
  orgLevel,
  departmentType,
});
const STREET_DGW = grant('approver', NHL, 'street', 'party_committee');
const STREET_BSC = grant('approver', NHL, 'street', 'street_office');
const OTHER_STREET = grant('approver', '/js/nj/gl/hqm/', 'street', 'party_committee');
const COMMUNITY = grant('approver', JSL, 'community', 'party_organisation');
const COUNTY = grant('approver', '/js/nj/gl/', 'county', 'party_committee');
const CLERK = grant('clerk', JSL, 'community');

const delegation = (d: Partial<Delegation> & Pick<Delegation, 'delegatorId' | 'delegateId' | 'from' | 'to'>): Delegation => ({
  id: `${d.delegatorId}-${d.delegateId}-${d.from}`,
  caseTypes: [],
  reason: '年休假',
  createdBy: d.delegatorId,
  createdAt: '2026-06-01T00:00:00.000Z',
  revokedAt: null,
  revokedBy: null,
  ...d,
});

describe('who may stand in for an approver: a deciding role of the same kind and level over the same area', () => {
  test.each<[string, RoleGrant[], RoleGrant[], boolean]>([
    ['a colleague of another street department', [STREET_DGW], [STREET_BSC], true],
    ['a street approver of another street', [STREET_DGW], [OTHER_STREET], false],
    ['a county approver for a street approver (another level)', [STREET_DGW], [COUNTY], false],
    ['a community approver for a street approver', [STREET_DGW], [COMMUNITY], false],
    ['a clerk', [COMMUNITY], [CLERK], false],
    ['nobody, for someone with no deciding role', [CLERK], [CLERK], false],
    ['a personnel officer for an approver (another role)', [STREET_DGW], [grant('personnel_officer', NHL, 'street')], false],
  ])('%s', (_, delegator, delegate, expected) => {
    expect(canStandIn(delegator, delegate)).toBe(expected);
  });
});

describe('refuseDelegation: the people, the days, the delegations in force', () => {
  const request = (r: Partial<DelegationRequest> = {}): DelegationRequest => ({
    delegatorId: 'a',
    delegateId: 'b',
    from: '2026-07-01',
    to: '2026-07-10',
    caseTypes: [],
    ...r,
  });
  const context = (c: Partial<DelegationContext> = {}): DelegationContext => ({
    today: '2026-06-15',
    delegatorRoles: [STREET_DGW],
    delegate: { roles: [STREET_BSC] },
    existing: [],
    ...c,
  });
  test.each<[string, DelegationRequest, DelegationContext, string | null]>([
    ['a valid delegation', request(), context(), null],
    ['to oneself', request({ delegateId: 'a' }), context(), 'delegateId 400 yourself'],
    ['a delegator with no deciding role', request(), context({ delegatorRoles: [CLERK] }), 'delegateId 400 no approving role'],
    ['a delegate who is not an active user', request(), context({ delegate: null }), 'delegateId 400 no active user "b"'],
    [
      'a delegate who cannot hold the role',
      request(),
      context({ delegate: { roles: [OTHER_STREET] } }),
      'delegateId 400 cannot act in your stead',
    ],
    ['an end before the start', request({ from: '2026-07-10', to: '2026-07-09' }), context(), 'to 400 lies before the first day'],
    ['one day: from and to the same day', request({ from: '2026-07-10', to: '2026-07-10' }), context(), null],
    ['a start today', request({ from: '2026-06-15' }), context(), null],
    ['a start yesterday', request({ from: '2026-06-14' }), context(), 'from 400 has passed'],
    ['90 days', request({ from: '2026-07-01', to: '2026-09-28' }), context(), null],
    ['91 days', request({ from: '2026-07-01', to: '2026-09-29' }), context(), 'to 400 at most 90 days'],
    [
      'overlapping one of the delegator’s own (sharing the last day)',
      request(),
      context({ existing: [delegation({ delegatorId: 'a', delegateId: 'c', from: '2026-07-10', to: '2026-07-20' })] }),
      'from 409 you already delegated to c from 2026-07-10 to 2026-07-20',
    ],
    [
      'next to one of the delegator’s own',
      request(),
      context({ existing: [delegation({ delegatorId: 'a', delegateId: 'c', from: '2026-07-11', to: '2026-07-20' })] }),
      null,
    ],
    [
      'overlapping a revoked one',
      request(),
      context({
        existing: [
          delegation({ delegatorId: 'a', delegateId: 'c', from: '2026-07-01', to: '2026-07-20', revokedAt: '2026-06-10T00:00:00Z' }),
        ],
      }),
      null,
    ],
    [
      'a chain: the delegate delegated their own duties on those days',
      request(),
      context({ existing: [delegation({ delegatorId: 'b', delegateId: 'c', from: '2026-07-05', to: '2026-07-06' })] }),
      'delegateId 409 no chains',
    ],
    [
      'a chain: the delegator acts for someone on those days',
      request(),
      context({ existing: [delegation({ delegatorId: 'z', delegateId: 'a', from: '2026-06-20', to: '2026-07-01' })] }),
      'from 409 no chains',
    ],
    [
      'the same delegate holding another’s delegation (no chain: two who are away, one who acts)',
      request(),
      context({ existing: [delegation({ delegatorId: 'z', delegateId: 'b', from: '2026-07-01', to: '2026-07-10' })] }),
      null,
    ],
  ])('%s', (_, r, c, expected) => {
    const problem = refuseDelegation(r, c);
    if (expected === null) expect(problem).toBeNull();
    else {
      const [field, status, ...words] = expected.split(' ');
      expect(problem).toMatchObject({ field, status: Number(status) });
      expect(problem?.message).toContain(words.join(' '));
    }
  });
});

describe('where a delegation stands on a day', () => {
  const d = delegation({ delegatorId: 'a', delegateId: 'b', from: '2026-07-01', to: '2026-07-10' });
  test.each<[string, string, string | null, string]>([
    ['the day before', '2026-06-30', null, 'upcoming'],
    ['the first day', '2026-07-01', null, 'in-force'],
    ['the last day', '2026-07-10', null, 'in-force'],
    ['the day after', '2026-07-11', null, 'ended'],
    ['revoked, on a day within', '2026-07-05', '2026-07-02T00:00:00Z', 'revoked'],
  ])('%s', (_, day, revokedAt, expected) => {
    expect(delegationState({ ...d, revokedAt }, day)).toBe(expected);
  });
});

describe('whether a delegation holds on a day, for a case type', () => {
  const d = delegation({ delegatorId: 'a', delegateId: 'b', from: '2026-07-01', to: '2026-07-10', caseTypes: ['promotion'] });
  test.each<[string, string, string | undefined, boolean]>([
    ['the day before', '2026-06-30', 'promotion', false],
    ['the first day', '2026-07-01', 'promotion', true],
    ['the last day (inclusive)', '2026-07-10', 'promotion', true],
    ['the day after', '2026-07-11', 'promotion', false],
    ['a type outside its scope', '2026-07-05', 'exit', false],
    ['any type asked', '2026-07-05', undefined, true],
  ])('%s', (_, day, type, expected) => {
    expect(holdsOn(d, day, type)).toBe(expected);
  });
  test('a revoked one holds on no day; an unscoped one covers every type', () => {
    expect(holdsOn({ ...d, revokedAt: '2026-07-02T00:00:00Z' }, '2026-07-05', 'promotion')).toBe(false);
    expect(holdsOn({ ...d, caseTypes: [] }, '2026-07-05', 'exit')).toBe(true);
  });
  test.each<[string, Delegation[], string, RegExp | null]>([
    ['holds', [d], '2026-07-05', null],
    ['none given', [], '2026-07-05', /has not delegated to you/],
    ['outside its days: the refusal names them', [d], '2026-07-11', /holds from 2026-07-01 to 2026-07-10, not today \(2026-07-11\)/],
    ['revoked', [{ ...d, revokedAt: '2026-07-02T00:00:00Z' }], '2026-07-05', /\(2026-07-01 to 2026-07-10\) was revoked/],
  ])('refuseActingFor: %s', (_, list, day, expected) => {
    const problem = refuseActingFor(list, 'b', 'a', day, 'promotion');
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
  test('refuseActingFor names a scope that leaves the type out', () => {
    expect(refuseActingFor([d], 'b', 'a', '2026-07-05', 'exit')).toMatch(/does not cover cases of type "exit"/);
  });
});

describe('the engine: a delegate acts for an assignee; the recusal rules apply to both', () => {
  const two = () =>
    definition([stage({ id: 'community', actor: { level: 'community', department: 'party_organisation' } }), stage({ id: 'street' })]);
  const onBehalf = (command: CaseCommand, userId: string, name = userId): CaseCommand => ({ ...command, delegate: { userId, name } });

  test('the event keeps the delegator as the actor and records the delegate; the delegate counts among the deciders', () => {
    const h = new Harness(two());
    h.act(onBehalf({ action: 'approve', actorId: 'sec', comment: '同意推荐' }, 'x1', '周敏'));
    const event = h.events.find((e) => e.action === 'approve');
    expect(event).toMatchObject({
      actorId: 'sec',
      stage: 'community',
      comment: '同意推荐',
      data: { delegate: { userId: 'x1', name: '周敏' } },
    });
    expect(h.state.deciders).toMatchObject({ sec: 'community', x1: 'community' });
    // Nobody decides a case twice: in someone's name at one stage, in their own at another.
    h.state.current?.assignees.push('x1');
    expect(h.refusal(approve('x1'))?.message).toMatch(/already decided stage "community"/);
  });

  test.each<[string, Partial<ConstructorParameters<typeof Harness>[1]>, CaseCommand, RegExp]>([
    ['the subject', { subjectUserId: 'x1' }, onBehalf(approve('sec'), 'x1'), /subject of a case is recused.*on behalf/],
    ['the applicant', {}, onBehalf(approve('sec'), 'clerk'), /applicant cannot decide.*on behalf/],
    [
      'a decider of the decision an appeal reviews',
      { recused: ['x1'] },
      onBehalf(approve('sec'), 'x1'),
      /appeal is never decided by the same people/,
    ],
    [
      'someone assigned to the stage (one person, one approval)',
      {},
      onBehalf(approve('sec'), 'dep'),
      /assigned to stage "community": act there in your own name/,
    ],
    [
      'a transfer (the duty is not passed on)',
      {},
      onBehalf({ action: 'transfer', actorId: 'sec', toUserId: 'dep' }, 'x1'),
      /not taken on someone's behalf/,
    ],
    ['oneself', {}, onBehalf(approve('sec'), 'sec'), /acts for someone else/],
  ])('refused: %s', (_, options, command, expected) => {
    const h = new Harness(two(), options);
    expect(h.refusal(command)?.message).toMatch(expected);
  });

  test('the delegator’s own checks still apply: someone not assigned cannot have a delegate act for them', () => {
    const h = new Harness(two());
    expect(h.refusal(onBehalf(approve('s1'), 'x1'))?.message).toMatch(/not assigned to the current stage/);
  });

  test('a vote on someone’s behalf counts once, as theirs; a member of the committee votes only in their own name', () => {
    const h = new Harness(
      definition([
        stage({ id: 'vote', mode: 'vote', actor: { level: 'county', department: 'social_work' }, vote: { quorum: 0.5, passShare: 0.5 } }),
      ]),
    );
    h.act(onBehalf({ action: 'vote', actorId: 'm1', choice: 'for' }, 'x1'));
    expect(h.state.current?.votes.map((v) => v.userId)).toEqual(['m1']);
    expect(h.refusal(onBehalf({ action: 'vote', actorId: 'm2', choice: 'for' }, 'm3'))?.message).toMatch(/act there in your own name/);
    expect(h.refusal(onBehalf({ action: 'vote', actorId: 'm1', choice: 'for' }, 'x1'))?.message).toMatch(/already voted|voted/);
  });
});
