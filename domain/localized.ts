/** A text in both languages the service speaks: Chinese (the official wording) and English. */
export interface Localized {
  zh: string;
  en: string;
}
