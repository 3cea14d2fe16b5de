import { LANGS, useI18n } from '../i18n';

/** zh-CN / English, remembered in localStorage. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className={l === lang ? 'lang active' : 'lang'}
          aria-pressed={l === lang}
          lang={l}
          data-lang={l}
          onClick={() => setLang(l)}
        >
          {l === 'en' ? t('lang.en') : t('lang.zh')}
        </button>
      ))}
    </div>
  );
}
