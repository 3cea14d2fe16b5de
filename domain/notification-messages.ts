import { definitionOf } from './case-types';
import type { NotificationKind } from './notifications';

/**
 * The words of a notification, by channel. An email goes to one person who may see the case, so it names its
 * subject; a webhook goes to a group (a county system, a DingTalk or WeCom group robot), so it carries only the
 * case number, its type, the stage and what happened — never a name or an ID number (GB/T 35273 minimisation).
 */

export interface MessageFacts {
  kind: NotificationKind;
  caseId: string;
  caseType: string;
  definitionVersion: number;
  stage: string | null;
  /** The status the event left the case in (decides the words of a decision). */
  toStatus: string;
  /** ISO 8601. */
  at: string;
  /** The web UI's address, for the link. */
  appUrl: string;
}

const KIND_WORDS: Record<NotificationKind, { zh: string; en: string }> = {
  task: { zh: '待办', en: 'New task' },
  reminder: { zh: '催办提醒', en: 'Reminder' },
  overdue: { zh: '已超期', en: 'Overdue' },
  escalated: { zh: '已超期并上报', en: 'Escalated' },
  returned: { zh: '退回补正', en: 'Returned for changes' },
  decision: { zh: '办结', en: 'Decided' },
  objection: { zh: '收到异议', en: 'Objection raised' },
  copy: { zh: '抄送', en: 'Copy' },
};

const DECISION_WORDS: Record<string, { zh: string; en: string }> = {
  completed: { zh: '已办结（通过）', en: 'completed (approved)' },
  rejected: { zh: '未通过', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** The case type's and the stage's titles, in both languages (the type's name when the definition is unknown). */
function titles(facts: MessageFacts) {
  const definition = definitionOf(facts.caseType, facts.definitionVersion);
  const type = definition?.title ?? { zh: facts.caseType, en: facts.caseType };
  const stage = facts.stage ? (definition?.stages.find((s) => s.id === facts.stage)?.title ?? { zh: facts.stage, en: facts.stage }) : null;
  return { type, stage };
}

/** What happened, in both languages, without any personal data. */
export function headline(facts: MessageFacts): { zh: string; en: string } {
  const { type, stage } = titles(facts);
  const kind = KIND_WORDS[facts.kind];
  const decision = DECISION_WORDS[facts.toStatus];
  const zhWhat = facts.kind === 'decision' || facts.kind === 'copy' ? `${kind.zh}：${decision?.zh ?? facts.toStatus}` : kind.zh;
  const enWhat = facts.kind === 'decision' || facts.kind === 'copy' ? `${kind.en}: ${decision?.en ?? facts.toStatus}` : kind.en;
  return {
    zh: `【${zhWhat}】${type.zh}${stage ? ` · ${stage.zh}` : ''}`,
    en: `[${enWhat}] ${type.en}${stage ? ` · ${stage.en}` : ''}`,
  };
}

export const caseLink = (facts: Pick<MessageFacts, 'appUrl' | 'caseId'>) => `${facts.appUrl}/cases/${encodeURIComponent(facts.caseId)}`;

/** An email to one person who may see the case: its subject is named. */
export function emailMessage(facts: MessageFacts, subjectName: string, recipientName: string): { subject: string; text: string } {
  const h = headline(facts);
  return {
    subject: `${h.zh}（${subjectName}）`,
    text: [
      `${recipientName}：`,
      '',
      `${h.zh}`,
      `事项对象：${subjectName}`,
      `案件编号：${facts.caseId}`,
      `时间：${facts.at}`,
      `查看：${caseLink(facts)}`,
      '',
      `${h.en} — ${subjectName}, case ${facts.caseId}, ${facts.at}: ${caseLink(facts)}`,
      '',
      '本邮件由系统自动发送，请勿回复。',
    ].join('\n'),
  };
}

/** The JSON of a signed webhook: facts only, no names. */
export function webhookPayload(facts: MessageFacts, deliveryId: string) {
  const { type, stage } = titles(facts);
  return {
    id: deliveryId,
    kind: facts.kind,
    caseId: facts.caseId,
    caseType: facts.caseType,
    caseTypeTitle: type,
    stage: facts.stage,
    stageTitle: stage,
    status: facts.toStatus,
    at: facts.at,
    url: caseLink(facts),
    text: headline(facts),
  };
}

/** DingTalk's group robot (自定义机器人): a markdown message (msgtype markdown: title and text). */
export function dingTalkPayload(facts: MessageFacts) {
  const h = headline(facts);
  return {
    msgtype: 'markdown',
    markdown: { title: h.zh, text: `### ${h.zh}\n\n案件编号：${facts.caseId}\n\n时间：${facts.at}\n\n[查看](${caseLink(facts)})` },
  };
}

/** WeCom's group robot (群机器人): a markdown message (msgtype markdown: content). */
export function weComPayload(facts: MessageFacts) {
  const h = headline(facts);
  return {
    msgtype: 'markdown',
    markdown: { content: `**${h.zh}**\n> 案件编号：${facts.caseId}\n> 时间：${facts.at}\n[查看](${caseLink(facts)})` },
  };
}
