import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { DocumentModel } from '../domain/documents/compose';

/**
 * Prints a document model on A4 with PDFKit and an embedded CJK font. PDFKit embeds only the glyphs used (a
 * subset) and maps each to the character it was typed as (its ToUnicode map), so 工, 人, 日, 月 and 见 are
 * extracted and searched as themselves — not as the Kangxi radicals that share their glyphs, which is what a
 * browser's print-to-PDF produced. The font is Debian's fonts-noto-cjk (Noto Serif CJK SC, the Song style of
 * official documents), a collection file read by its PostScript name.
 */

export interface PdfFont {
  file: string;
  /** The face inside a collection (.ttc); omit for a single-face file. */
  postscriptName?: string;
}

export const DEFAULT_PDF_FONT: PdfFont = {
  file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  postscriptName: 'NotoSerifCJKsc-Regular',
};

/** Refuses to start with a font that cannot be read (checked once, at start-up). */
export function checkPdfFont(font: PdfFont): void {
  try {
    fs.accessSync(font.file, fs.constants.R_OK);
  } catch (err) {
    throw new Error(`DOCUMENT_FONT_FILE ${font.file} cannot be read (install fonts-noto-cjk, or name a CJK font)`, { cause: err });
  }
}

const MM = 72 / 25.4;
// GB/T 9704 (党政机关公文格式): A4, margins about 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
const MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };

export function renderPdf(model: DocumentModel, font: PdfFont, meta: { subject: string; createdAt: Date }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    info: { Title: model.title, Subject: meta.subject, Creator: 'community-worker-cases', CreationDate: meta.createdAt },
    lang: 'zh-CN',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', font.file, font.postscriptName);
  doc.font('body');
  const width = doc.page.width - MARGINS.left - MARGINS.right;

  for (const block of model.blocks) {
    switch (block.kind) {
      case 'title':
        doc.fontSize(20).text(block.text, { align: 'center' }).moveDown(0.8);
        break;
      case 'number':
        doc.fontSize(14).text(block.text, { align: 'center' }).moveDown(0.8);
        break;
      case 'recipient':
        doc.fontSize(14).text(block.text).moveDown(0.3);
        break;
      case 'heading':
        doc.moveDown(0.4).fontSize(14).text(block.text).moveDown(0.2);
        break;
      case 'paragraph':
        // First-line indent of two characters, as official documents are set.
        doc.fontSize(14).text(block.text, { indent: 28, lineGap: 6, align: 'justify' }).moveDown(0.3);
        break;
      case 'note':
        doc.moveDown(0.5).fontSize(10).text(block.text, { lineGap: 2 });
        break;
      case 'table':
        table(doc, block.rows, width);
        break;
      case 'signature':
        doc.moveDown(2).fontSize(14).text(block.issuer, { align: 'right' }).text(block.date, { align: 'right' });
        break;
      case 'page-break':
        doc.addPage();
        break;
    }
  }

  // Page numbers on every page: "— 1 —" centred at the foot, as official documents number them.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(12)
      .text(`— ${i + 1} —\u3000第${i + 1}页，共${range.count}页`, MARGINS.left, doc.page.height - bottom / 2, { width, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** A two-column table with ruled cells; rows break across pages whole. */
function table(doc: PDFKit.PDFDocument, rows: [string, string][], width: number) {
  const labelWidth = 90;
  const pad = 5;
  doc.fontSize(11);
  for (const [label, value] of rows) {
    const valueWidth = width - labelWidth;
    const height =
      Math.max(
        doc.heightOfString(label, { width: labelWidth - 2 * pad }),
        doc.heightOfString(value || ' ', { width: valueWidth - 2 * pad }),
      ) +
      2 * pad;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const x = doc.page.margins.left;
    const y = doc.y;
    doc
      .rect(x, y, labelWidth, height)
      .rect(x + labelWidth, y, valueWidth, height)
      .lineWidth(0.5)
      .stroke();
    doc.text(label, x + pad, y + pad, { width: labelWidth - 2 * pad });
    doc.text(value || ' ', x + labelWidth + pad, y + pad, { width: valueWidth - 2 * pad });
    doc.x = x;
    doc.y = y + height;
  }
  doc.moveDown(0.5);
}
