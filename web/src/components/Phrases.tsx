import { useEffect, useState } from 'react';
import { api, query } from '../api';
import { useI18n } from '../i18n';
import { ErrorMessage } from './common';

/**
 * 常用语 under an opinion box: one click puts a saved phrase into it (after what is there); the person adds the
 * box's text as a new phrase or removes one they no longer use. The list is theirs (GET/POST/DELETE /me/phrases).
 */
export function Phrases({ value, onPick }: { value: string; onPick: (text: string) => void }) {
  const { t } = useI18n();
  const [items, setItems] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    let live = true;
    api<{ items: string[] }>('/me/phrases').then(
      (r) => live && setItems(r.items),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  const change = async (run: () => Promise<{ items: string[] }>) => {
    setError(null);
    try {
      setItems((await run()).items);
    } catch (e) {
      setError(e);
    }
  };
  const text = value.trim();
  if (items === null && !error) return null;
  return (
    <div className="phrases" data-testid="phrases">
      <span className="phrases-label" id="phrases-label">
        {t('phrases.title')}
      </span>
      <ul aria-labelledby="phrases-label">
        {(items ?? []).map((p) => (
          <li key={p}>
            <button type="button" className="chip" data-phrase={p} onClick={() => onPick(value.trim() ? `${value.trimEnd()} ${p}` : p)}>
              {p}
            </button>
            {editing && (
              <button
                type="button"
                className="link-button"
                data-remove-phrase={p}
                aria-label={t('phrases.remove', { phrase: p })}
                onClick={() => void change(() => api(`/me/phrases${query({ text: p })}`, { method: 'DELETE' }))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" data-testid="phrases-edit" aria-expanded={editing} onClick={() => setEditing(!editing)}>
        {editing ? t('phrases.done') : t('phrases.edit')}
      </button>
      {editing && (
        <button
          type="button"
          className="link-button"
          data-testid="phrases-add"
          disabled={!text || (items ?? []).includes(text)}
          onClick={() => void change(() => api('/me/phrases', { method: 'POST', body: { text } }))}
        >
          {t('phrases.addFromBox')}
        </button>
      )}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
