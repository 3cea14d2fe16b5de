/**
 * 常用语: the opinion phrases an approver keeps to fill the opinion box in one click, as the approval apps people
 * already use offer them (Feishu/DingTalk). Everyone starts from the same four; each person adds and removes their own.
 */

/** What a person who never changed their phrases sees. */
export const DEFAULT_PHRASES: readonly string[] = ['同意推荐', '材料齐全', '情况属实', '请补充材料'];

/** A phrase is one short opinion, not a letter; a list is a handful to choose from, not a notebook. */
export const PHRASE_MAX_LENGTH = 100;
export const PHRASES_MAX = 30;

/** The phrase as stored: trimmed, inner runs of white space as one space. */
export function normalisePhrase(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
