import { api } from '../api';
import { useI18n } from '../i18n';
import type { Attachment } from '../types';

/**
 * Files sent with a submission or an action: each is uploaded first as the caller's pending file, and the
 * submission or action then names them by id (`attachments`), so the decision and the bytes travel apart.
 */
export async function uploadPending(files: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.set('file', file);
    ids.push((await api<Attachment>('/attachments', { method: 'POST', body: form })).id);
  }
  return ids;
}

/** A file picker for the papers that go with a submission or an action. */
export function AttachField({ onChange, name }: { onChange: (files: File[]) => void; name: string }) {
  const { t } = useI18n();
  return (
    <label className="attach-field">
      {t('files.attachWith')}{' '}
      <input
        type="file"
        multiple
        name={name}
        data-testid={name}
        accept=".pdf,.ofd,.jpg,.jpeg,.png,.docx,.xlsx"
        onChange={(e) => onChange([...(e.currentTarget.files ?? [])])}
      />
    </label>
  );
}
