import { useEffect, useState, type FormEvent } from 'react';
import { api, blobUrl, download } from '../api';
import { ErrorMessage, Loading } from '../components/common';
import { PdfPreview } from '../components/PdfPreview';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import type { Attachment, AttachmentList, DocumentList } from '../types';

/** Types shown inline in the page; anything else (OFD, DOCX, XLSX) is a download. */
const INLINE = ['application/pdf', 'image/jpeg', 'image/png'];

/**
 * The case's papers: its attachments (upload, preview of PDF and images, download, removal by the uploader) and
 * the official documents generated for it (opened as PDF). Files are fetched with the bearer token and shown
 * from blob: URLs.
 */
export function CaseFiles({
  caseId,
  version,
  canAttach,
  onChange,
}: {
  caseId: string;
  version: number | null;
  canAttach: boolean;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const { me } = useSession();
  const base = `/cases/${encodeURIComponent(caseId)}`;
  const files = useGet<AttachmentList>(`${base}/attachments`, version);
  const documents = useGet<DocumentList>(`${base}/documents`, version);
  const [preview, setPreview] = useState<{ title: string; url: string; type: string; blob: Blob } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => () => (preview ? URL.revokeObjectURL(preview.url) : undefined), [preview]);

  async function show(title: string, path: string) {
    setError(null);
    try {
      const { url, type, blob } = await blobUrl(path);
      setPreview({ title, url, type, blob });
    } catch (err) {
      setError(err);
    }
  }

  async function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    if (!(data.get('file') instanceof File) || (data.get('file') as File).size === 0) {
      setError(new Error(t('files.chooseFile')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api<Attachment>(`${base}/attachments`, { method: 'POST', body: data });
      form.reset();
      files.reload();
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove(a: Attachment) {
    setError(null);
    try {
      await api<undefined>(`/attachments/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
      files.reload();
      onChange();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card" aria-labelledby="files-title" data-testid="case-files">
      <h2 id="files-title">{t('files.title')}</h2>
      {error ? <ErrorMessage error={error} /> : null}
      {files.loading && !files.data ? <Loading /> : null}
      {files.error ? <ErrorMessage error={files.error} onRetry={files.reload} /> : null}
      {files.data && files.data.items.length === 0 && <p className="muted">{t('files.none')}</p>}
      {files.data && files.data.items.length > 0 && (
        <ul className="files" data-testid="attachments">
          {files.data.items.map((a) => (
            <li key={a.id} data-attachment={a.id} className={a.removed ? 'removed' : undefined}>
              <span className="file-name">{a.name}</span>{' '}
              <span className="muted">{[a.kind, `${Math.ceil(a.size / 1024)} KB`].filter(Boolean).join(' · ')}</span>
              {a.removed ? (
                <span className="badge">{t('files.removed')}</span>
              ) : (
                <>
                  {INLINE.includes(a.mediaType) && (
                    <button
                      type="button"
                      className="secondary"
                      data-preview={a.id}
                      onClick={() => void show(a.name, `/attachments/${encodeURIComponent(a.id)}/content`)}
                    >
                      {t('files.preview')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="secondary"
                    onClick={() =>
                      void download(`/attachments/${encodeURIComponent(a.id)}/content?download=1`, a.name, a.mediaType).catch(setError)
                    }
                  >
                    {t('files.download')}
                  </button>
                  {a.uploaderId === me?.id && (
                    <button type="button" className="secondary" data-remove={a.id} onClick={() => void remove(a)}>
                      {t('files.remove')}
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAttach && (
        <form className="upload" onSubmit={(e) => void upload(e)} data-testid="upload-form">
          <label>
            {t('files.file')} <input type="file" name="file" accept=".pdf,.ofd,.jpg,.jpeg,.png,.docx,.xlsx" />
          </label>
          <label>
            {t('files.kind')}{' '}
            <select name="kind" defaultValue="">
              <option value="">—</option>
              {t('files.kinds')
                .split('|')
                .map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t('common.loading') : t('files.upload')}
          </button>
          <p className="muted">{t('files.hint')}</p>
        </form>
      )}

      <h3>{t('files.documents')}</h3>
      {documents.error ? <ErrorMessage error={documents.error} onRetry={documents.reload} /> : null}
      {documents.data && (
        <ul className="files" data-testid="documents">
          {documents.data.items.map((d) => (
            <li key={d.kind} data-document={d.kind}>
              <span className="file-name">{d.title}</span>
              <button
                type="button"
                className="secondary"
                data-open={d.kind}
                onClick={() => void show(d.title, `${base}/documents/${d.kind}`)}
              >
                {t('files.open')}
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => void download(`${base}/documents/${d.kind}`, `${d.title}.pdf`, 'application/pdf').catch(setError)}
              >
                {t('files.download')}
              </button>
            </li>
          ))}
        </ul>
      )}

      {preview && (
        <div className="preview" data-testid="file-preview">
          <div className="preview-head">
            <strong>{preview.title}</strong>
            <button type="button" className="secondary" onClick={() => setPreview(null)}>
              {t('files.close')}
            </button>
          </div>
          {preview.type.startsWith('image/') ? (
            <img src={preview.url} alt={preview.title} />
          ) : (
            <PdfPreview blob={preview.blob} title={preview.title} />
          )}
        </div>
      )}
    </section>
  );
}
