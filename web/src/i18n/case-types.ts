import type { CaseTypeName, PayloadField } from '../../../domain/case-types';
import type { Localized } from '../types';

/**
 * The texts each case type needs in the web UI: the labels of its payload fields. Typed by the case types'
 * payload schemas (type-only import), so a case type, or a payload field, without labels does not compile.
 * Values of fixed enums are labelled in the translation files (option.<field>.<value>); values a rule set
 * lists (exit reasons) carry their titles in the rule set.
 */
export const PAYLOAD_FIELD_LABELS: { [T in CaseTypeName]: Record<PayloadField<T>, Localized> } = {
  promotion: {
    kind: { zh: '晋升类型', en: 'Kind of promotion' },
    newPostType: { zh: '新岗位类型（岗位变动晋升时填写）', en: 'New post type (for a change of post)' },
    reason: { zh: '理由', en: 'Reason' },
  },
  recruitment: {
    post: { zh: '报考岗位', en: 'Post applied for' },
    targetOrg: { zh: '招录（聘）单位', en: 'Recruiting body' },
    track: { zh: '招录类别', en: 'Track' },
  },
  'error-tolerance': {
    accountabilityRef: { zh: '问责程序文号', en: 'Accountability proceedings reference' },
    accountabilityStartedOn: { zh: '问责程序启动日期', en: 'Accountability proceedings started on' },
    accountabilityDecidedOn: { zh: '问责决定作出日期（如已作出）', en: 'Accountability decision made on (if made)' },
    description: { zh: '情况说明', en: 'What happened and why' },
    emergency: { zh: '属于紧急情况下临机处置', en: 'Handled on the spot in an emergency' },
    incidentDate: { zh: '发生日期', en: 'Date of the incident' },
  },
  'name-clearing': {
    accusationRef: { zh: '信访件编号', en: 'Complaint reference' },
    findingSummary: { zh: '经查失实的具体内容', en: 'Allegations found false' },
    initiatedBy: { zh: '启动方式', en: 'Initiated by' },
    verifiedBy: { zh: '核实机关（谁核实谁澄清）', en: 'Body that verified the complaint (it clears the name)' },
    requestedMethod: { zh: '本人申请的澄清方式（书面申请时填写）', en: 'Form of clearance asked for (written application)' },
    requestedScope: { zh: '本人申请的澄清范围（书面申请时填写）', en: 'Scope asked for (written application)' },
  },
  commendation: {
    achievements: { zh: '主要事迹', en: 'Achievements' },
    awardTitle: { zh: '表彰名称', en: 'Award' },
    level: { zh: '表彰级别', en: 'Issuing level' },
  },
  exit: {
    detail: { zh: '事实说明', en: 'Facts' },
    reason: { zh: '退出情形', en: 'Exit reason' },
    additionalReasons: { zh: '并入的其他退出情形', en: 'Further exit situations joined' },
  },
  appeal: {
    appealOf: { zh: '原决定（案件编号）', en: 'Decision appealed (case id)' },
    ground: { zh: '申请复核事项', en: 'What is appealed' },
    reason: { zh: '申请理由', en: 'Grounds of the appeal' },
  },
  secondment: {
    borrowingBody: { zh: '借调单位', en: 'Borrowing body' },
    reason: { zh: '借调事由', en: 'Why the worker is needed' },
    from: { zh: '借调开始日期', en: 'From' },
    to: { zh: '借调结束日期', en: 'To (last day)' },
    extensionOf: { zh: '延期的原借调（案件编号）', en: 'Extends secondment (case id)' },
  },
  assessment: {
    year: { zh: '考核年度', en: 'Year assessed' },
  },
};

/** The labels as translation keys (field.<type>.<name>), for the dictionaries of one language. */
export function caseTypeTexts(lang: keyof Localized): Record<string, string> {
  return Object.fromEntries(
    Object.entries(PAYLOAD_FIELD_LABELS).flatMap(([type, fields]) =>
      Object.entries<Localized>(fields).map(([name, label]) => [`field.${type}.${name}`, label[lang]]),
    ),
  );
}
