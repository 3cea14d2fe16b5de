import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * The text of a PDF as a reader's copy-and-paste or a search would get it, with PDF.js (pdfjs-dist, in a child
 * process: pdf-text.mjs): every page's text items in order, pages joined by a form feed.
 */
export function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number; title: string | undefined }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, 'pdf-text-worker.mjs')],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`pdf-text failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as { text: string; pages: number; title: string | undefined });
      },
    );
    child.stdin?.end(Buffer.from(bytes));
  });
}
