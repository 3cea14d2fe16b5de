import { reachesShare, smallestReaching, type CollectiveDecisionRules, type HeadcountVoteRules } from '../rules/rule-set';
import type { Attendance, VoteChoice } from './vocabulary';

/**
 * Counting a collective decision (集体研究决定) of a party committee, and a vote of the residents' meeting. Pure
 * arithmetic over the record of one meeting; the stage actions (stage-actions.ts) apply it.
 */

export type MemberAtMeeting =
  | { userId: string; attendance: 'present'; vote: VoteChoice }
  | { userId: string; attendance: Exclude<Attendance, 'present'>; reason: string };

// Type aliases rather than interfaces, so a tally can be recorded in an event as it is (assignable to Json).
export type MeetingTally = {
  /** 应到: the members who should attend. */
  expected: number;
  /** 实到. */
  present: number;
  absent: number;
  recused: number;
  for: number;
  against: number;
  abstain: number;
  /** The least attendance and the least votes for that the rules ask, for this 应到. */
  quorumNeeds: number;
  passingNeeds: number;
  quorate: boolean;
  passed: boolean;
};

/**
 * The tally of a committee meeting: quorum and passing both counted against 应到 (passing: of the members who
 * should attend, not of those present). A recused member counts among 应到 when the rules say so.
 */
export function tallyMeeting(members: MemberAtMeeting[], rules: CollectiveDecisionRules): MeetingTally {
  const count = (test: (m: MemberAtMeeting) => boolean) => members.filter(test).length;
  const recused = count((m) => m.attendance === 'recused');
  const expected = members.length - (rules.recusedCountAsExpected ? 0 : recused);
  const present = count((m) => m.attendance === 'present');
  const votes = (choice: VoteChoice) => count((m) => m.attendance === 'present' && m.vote === choice);
  const quorate = expected > 0 && reachesShare(present, expected, rules.quorum);
  const votesFor = votes('for');
  return {
    expected,
    present,
    absent: count((m) => m.attendance === 'absent'),
    recused,
    for: votesFor,
    against: votes('against'),
    abstain: votes('abstain'),
    quorumNeeds: smallestReaching(expected, rules.quorum),
    passingNeeds: smallestReaching(expected, rules.passing),
    quorate,
    passed: quorate && reachesShare(votesFor, expected, rules.passing),
  };
}

/** Problems with a meeting record against the members who should attend: each exactly once, nobody else. */
export function attendanceProblems(members: MemberAtMeeting[], expected: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.userId)) problems.push(`members: ${m.userId} is listed twice`);
    seen.add(m.userId);
    if (!expected.includes(m.userId)) problems.push(`members: ${m.userId} is not a member of the deciding body for this case`);
  }
  const missing = expected.filter((u) => !seen.has(u));
  if (missing.length) problems.push(`members: every member who should attend must be listed; missing ${missing.join(', ')}`);
  return problems;
}

export type HeadcountTally = {
  entitled: number;
  present: number;
  votesFor: number;
  quorate: boolean;
  passed: boolean;
};

/** A vote of the residents' meeting: held with enough of those entitled present, passed by a share of those present. */
export function tallyHeadcount(entitled: number, present: number, votesFor: number, rules: HeadcountVoteRules): HeadcountTally {
  const quorate = entitled > 0 && reachesShare(present, entitled, rules.quorum);
  return { entitled, present, votesFor, quorate, passed: quorate && reachesShare(votesFor, present, rules.passing) };
}
