import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

/**
 * A PDF shown in the page with PDF.js (pdfjs-dist): each page drawn on a canvas with its text layer above it, so
 * the text can be selected and found, in any browser, also one without a PDF viewer of its own (headless
 * Chromium shows an <iframe> of a PDF blank). PDF.js and its worker are loaded only when a PDF is shown; Vite
 * bundles both, nothing comes from a CDN.
 */
export function PdfPreview({ blob, title }: { blob: Blob; title: string }) {
  const { t } = useI18n();
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let cancelled = false;
    const container = pages.current;
    if (!container) return;
    container.replaceChildren();
    setState('loading');
    const task = (async () => {
      const pdfjs = await import('pdfjs-dist');
      const worker = await import('pdfjs-dist/build/pdf.worker.min.mjs?url');
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      // From the bytes, not a URL: nothing to fetch, so the page's connect-src needs no blob:..
      const loading = pdfjs.getDocument({ data: new Uint8Array(await blob.arrayBuffer()) });
      const doc = await loading.promise;
      try {
        for (let n = 1; n <= doc.numPages && !cancelled; n++) {
          const page = await doc.getPage(n);
          const width = Math.min(container.clientWidth || 800, 900);
          const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
          const pageDiv = document.createElement('div');
          pageDiv.className = 'pdf-page';
          pageDiv.dataset.page = String(n);
          pageDiv.style.setProperty('--scale-factor', String(viewport.scale));
          pageDiv.style.setProperty('--total-scale-factor', String(viewport.scale));
          pageDiv.style.width = `${viewport.width}px`;
          pageDiv.style.height = `${viewport.height}px`;
          const canvas = document.createElement('canvas');
          const ratio = window.devicePixelRatio || 1;
          canvas.width = Math.floor(viewport.width * ratio);
          canvas.height = Math.floor(viewport.height * ratio);
          canvas.style.width = `${viewport.width}px`;
          canvas.style.height = `${viewport.height}px`;
          const text = document.createElement('div');
          text.className = 'textLayer';
          pageDiv.append(canvas, text);
          container.append(pageDiv);
          await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
          await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
        }
      } finally {
        await loading.destroy();
      }
    })();
    task.then(
      () => !cancelled && setState('ready'),
      () => !cancelled && setState('failed'),
    );
    return () => {
      cancelled = true;
    };
  }, [blob]);

  return (
    <div className="pdf-preview" data-testid="pdf-preview" data-state={state} aria-label={title}>
      {state === 'failed' && <p className="error">{t('files.previewFailed')}</p>}
      <div ref={pages} />
    </div>
  );
}
