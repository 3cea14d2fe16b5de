import type { WorkingCalendar } from '../../domain/calendar';
import type { ChainedEvent } from '../../domain/history';
import type { ProcessSnapshot, StageSnapshot } from '../../domain/process/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { caseFacts, caseFactsDigest } from '../../domain/process/facts';
import {
  applyCommand,
  assigneesResolved,
  checkCommand,
  copiesResolved,
  eligibilityRechecked,
  joinReason,
  outcomeApplied,
  pendingWork,
  startCase,
  tick,
  type CaseCommand,
  type CaseLimits,
  type CaseState,
} from '../../domain/process/engine';

/**
 * The engine on its own, driven the way the workflow drives it: role holders are plain data (who holds which
 * department's role), standing in for the org tree.
 */

export const CALENDAR: WorkingCalendar = {
  // 2026 National Day and Mid-Autumn: Oct 1–7 off (the weekday ones listed), Sep 20 and Oct 10 worked.
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  makeUpWorkdays: ['2026-09-20', '2026-10-10'],
  years: [2026],
};

export const HOLDERS: Record<string, string[]> = {
  'community/party_organisation': ['sec', 'dep'],
  'street/party_committee': ['s1', 's2', 's3'],
  'county/party_committee': ['c1'],
  'street/discipline': ['d1', 'd2', 'd3'],
  // A committee of nine, for collective decisions.
  'county/social_work': ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
  'county/organisation_hr': ['hr1', 'hr2'],
};

export const stage = (s: Partial<StageSnapshot> & Pick<StageSnapshot, 'id'>): StageSnapshot => ({
  title: { zh: s.id, en: s.id },
  actor: { level: 'street', department: 'party_committee' },
  mode: 'any',
  ...s,
});

export function definition(stages: StageSnapshot[], extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot {
  return {
    type: 'test',
    version: 1,
    title: { zh: '测试', en: 'Test' },
    ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
    payloadSchema: {},
    stages,
    ...extra,
  };
}

export const T0 = new Date('2026-09-28T02:00:00.000Z'); // Monday 10:00 in Beijing
export const at = (iso: string) => new Date(iso);

export class Harness {
  state: CaseState;
  events: ChainedEvent[] = [];
  now = T0;
  constructor(
    def: ProcessSnapshot,
    options: {
      subjectUserId?: string | null;
      attributes?: Record<string, string>;
      type?: string;
      payload?: Record<string, string>;
      limits?: CaseLimits;
      recused?: string[];
      /** The case sends the copies its stages name (as cases started with the workflow's 'copies' patch). */
      copies?: boolean;
    } = {},
  ) {
    const started = startCase(
      {
        caseId: 'case-1',
        type: options.type ?? 'test',
        definition: def,
        applicantId: 'clerk',
        subject: {
          id: 'w-1',
          name: 'Subject',
          userId: options.subjectUserId ?? null,
          orgUnitId: 'c-1',
          orgPath: '/s/c-1/',
          attributes: options.attributes ?? {},
        },
        payload: options.payload ?? { kind: 'regular' },
        calendar: CALENDAR,
        eventFormat: 2,
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.recused ? { recused: options.recused } : {}),
        ...(options.copies ? { copies: true as const } : {}),
      },
      this.now,
    );
    this.state = started.state;
    this.events.push(...started.events);
    this.settle();
  }
  /** Does the pending work the way the workflow does, with HOLDERS as the org tree. */
  settle() {
    for (let work = pendingWork(this.state); work; work = pendingWork(this.state)) {
      if (work.kind === 'resolve-assignees') {
        const eligible = work.fixedAssignee ? [work.fixedAssignee] : (HOLDERS[`${work.actor?.level}/${work.actor?.department}`] ?? []);
        this.events.push(...assigneesResolved(this.state, work, { eligible }, this.now));
      } else if (work.kind === 'resolve-copies') {
        const eligible = work.to.flatMap((to) => HOLDERS[`${to.level}/${to.department}`] ?? []);
        this.events.push(...copiesResolved(this.state, work, { eligible }, this.now));
      } else if (work.kind === 'recheck-eligibility') {
        this.events.push(...eligibilityRechecked(this.state, { eligible: this.eligible, reasons: [] }, this.now));
      } else {
        this.flushed(); // the workflow writes the decision before the outcome is applied
        this.events.push(...outcomeApplied(this.state, this.now, { applied: true }));
      }
    }
    this.flushed();
  }
  /** Where the workflow writes the case row: the newest event covers exactly the facts the row shows. */
  flushed() {
    expect(this.events.at(-1)?.caseDigest).toBe(caseFactsDigest(caseFacts(this.state)));
  }
  eligible = true;
  act(command: CaseCommand) {
    const refusal = checkCommand(this.state, command);
    if (refusal) throw new Error(`${refusal.code}: ${refusal.message}`);
    this.events.push(...applyCommand(this.state, command, this.now));
    this.settle();
    return this;
  }
  refusal(command: CaseCommand) {
    return checkCommand(this.state, command);
  }
  /** A further exit situation from the records check, as the workflow's signal brings it. */
  join(reason: string) {
    this.events.push(...joinReason(this.state, { reason, detail: `档案巡检：${reason}`, by: 'system-records-watch' }, this.now));
    this.settle();
    return this;
  }
  advanceTo(iso: string) {
    this.now = at(iso);
    this.events.push(...tick(this.state, this.now));
    this.settle();
    return this;
  }
  actions() {
    return this.events.map((e) => e.action);
  }
}

export const approve = (actorId: string, data?: Record<string, string | number | boolean>): CaseCommand => ({
  action: 'approve',
  actorId,
  ...(data ? { data } : {}),
});
