import { assessmentLabel, assessmentsByYear, compareAssessment } from './assessments';
import { daysBetween, periodEndInYears, yearOf } from './dates';
import { assertAsOf } from './eligibility/common';
import type { Json } from './history';
import type { Localized } from './localized';
import type { PersonnelRecord } from './personnel';
import type { AssessmentTrigger, ExitReason } from './case-types/exit/rules';
import type { RuleSet } from './rules/rule-set';

/**
 * 退出: the exit situations of the rule set, and the ones the records alone can show (assessment runs, an
 * overdue certificate). A trigger only proposes a case; the street decides, and situations such as
 * dereliction (失职) need facts the records do not hold.
 */

// Aliases rather than interfaces, so both are assignable to Json for history and API answers.
export type ExitTrigger = {
  reasonCode: string;
  ruleId: string;
  detail: { zh: string; en: string };
  data: Record<string, Json>;
};

export type QualificationStatus = {
  /** The last day to obtain the social-work certificate. */
  deadline: string;
  /** The day the years count from: the recorded date of eligibility, or the hire date when that is later. */
  countsFrom: string;
  /** Calendar days from asOf to the deadline: 0 on the deadline, negative once it has passed. */
  daysLeft: number;
  overdue: boolean;
  /** Within the warning window before the deadline (and not yet overdue). */
  warn: boolean;
};

export function exitReasons(rules: RuleSet): ExitReason[] {
  return rules.exit.reasons;
}

function reasonTitle(rules: RuleSet, code: string): Localized {
  return rules.exit.reasons.find((r) => r.code === code)?.title ?? { zh: code, en: code };
}

/**
 * The certificate deadline (取得社会工作者职业资格证书期限): N years after becoming eligible to sit the exam (or
 * after being hired, when hired already eligible and the rules so count), ending with the corresponding day (29
 * February → 28 February). Null when no deadline runs: the worker holds a certificate, no date of eligibility is
 * recorded, or the worker was hired before the rule took effect and the rules bind only those hired after.
 */
export function qualificationStatus(worker: PersonnelRecord, rules: RuleSet, asOf: string): QualificationStatus | null {
  assertAsOf(asOf);
  const { level, obtainedOn, eligibility } = worker.qualification;
  if (level !== 'none' || obtainedOn !== null || eligibility === null) return null;
  const rule = rules.exit.qualification;
  if (rule.appliesTo === 'hired-on-or-after' && worker.hireDate < rule.effectiveFrom) return null;
  const countsFrom =
    rule.countsFrom === 'later-of-eligibility-and-hire' && worker.hireDate > eligibility.since ? worker.hireDate : eligibility.since;
  const deadline = periodEndInYears(countsFrom, rule.years);
  const daysLeft = daysBetween(asOf, deadline);
  const overdue = daysLeft < 0;
  return { deadline, countsFrom, daysLeft, overdue, warn: !overdue && daysLeft <= rule.warningDays };
}

/**
 * The run of years, newest first, that ends with the most recent recorded assessment (not after asOf's
 * year) and matches the trigger. A year with no record breaks the run: consecutive means consecutive years.
 */
function currentRun(worker: PersonnelRecord, trigger: AssessmentTrigger, asOf: string): number[] {
  const byYear = assessmentsByYear(worker);
  const recorded = [...byYear.keys()].filter((y) => y <= yearOf(asOf));
  if (recorded.length === 0) return [];
  const run: number[] = [];
  for (let year = Math.max(...recorded); ; year -= 1) {
    const result = byYear.get(year);
    const matches =
      result !== undefined && (result === trigger.result || (trigger.orWorse === true && compareAssessment(result, trigger.result) < 0));
    if (!matches) return run;
    run.push(year);
  }
}

/** Exit situations the records show for an active worker on asOf, each with the rule and data behind it. */
export function detectExitTriggers(worker: PersonnelRecord, rules: RuleSet, asOf: string): ExitTrigger[] {
  assertAsOf(asOf);
  if (worker.status !== 'active') return [];
  const triggers: ExitTrigger[] = [];
  const byYear = assessmentsByYear(worker);

  for (const trigger of rules.exit.assessmentTriggers) {
    const run = currentRun(worker, trigger, asOf).reverse();
    if (run.length < trigger.consecutiveYears) continue;
    const label = assessmentLabel(trigger.result);
    const results = run.map((y) => byYear.get(y) ?? null);
    const listed = run.map((y) => {
      const r = byYear.get(y);
      return { zh: `${y}年${r ? assessmentLabel(r).zh : ''}`, en: `${y} ${r ? assessmentLabel(r).en.toLowerCase() : ''}` };
    });
    const title = reasonTitle(rules, trigger.reasonCode);
    triggers.push({
      reasonCode: trigger.reasonCode,
      ruleId: 'exit.assessment-run',
      detail: {
        zh: `${title.zh}：连续${run.length}年考核${label.zh}${trigger.orWorse ? '或更差' : ''}（${listed.map((l) => l.zh).join('、')}）`,
        en: `${title.en}: ${run.length} consecutive years ${label.en.toLowerCase()}${trigger.orWorse ? ' or worse' : ''} (${listed.map((l) => l.en).join(', ')})`,
      },
      data: { years: run, results, result: trigger.result, orWorse: trigger.orWorse ?? false, consecutiveYears: trigger.consecutiveYears },
    });
  }

  const code = rules.exit.qualification.reasonCode;
  const qualification = qualificationStatus(worker, rules, asOf);
  if (code !== undefined && qualification?.overdue) {
    const title = reasonTitle(rules, code);
    triggers.push({
      reasonCode: code,
      ruleId: 'exit.qualification-deadline',
      detail: {
        zh: `${title.zh}：取得期限截至${qualification.deadline}，已逾期${-qualification.daysLeft}日`,
        en: `${title.en}: due by ${qualification.deadline}, ${-qualification.daysLeft} day(s) overdue`,
      },
      data: {
        eligibleSince: worker.qualification.eligibility?.since ?? null,
        eligibilityBasis: worker.qualification.eligibility?.basis ?? null,
        countsFrom: qualification.countsFrom,
        deadline: qualification.deadline,
        daysOverdue: -qualification.daysLeft,
        years: rules.exit.qualification.years,
      },
    });
  }
  return triggers;
}
