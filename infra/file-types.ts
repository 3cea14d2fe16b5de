import { unzipSync } from 'fflate';

/**
 * What an uploaded file is, from its bytes, never from its name or the client's Content-Type: the types a case
 * file may hold (PDF, OFD, JPEG, PNG, DOCX, XLSX). OFD (GB/T 33190, China's fixed-layout format), DOCX and XLSX
 * are all zip containers, told apart by the parts inside. A file that starts right but ends wrong (a truncated
 * upload) is refused too, so no half file is ever stored as a whole one.
 */

export const ATTACHMENT_TYPES = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  ofd: { mediaType: 'application/ofd', extension: 'ofd' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg' },
  png: { mediaType: 'image/png', extension: 'png' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

export type Sniffed = { ok: true; type: AttachmentType; mediaType: string } | { ok: false; problem: string };

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const PDF = [...Buffer.from('%PDF-')];

function lastIndexOf(bytes: Uint8Array, needle: number[], from = bytes.length - needle.length): number {
  for (let i = from; i >= 0; i -= 1) if (startsWith(bytes, needle, i)) return i;
  return -1;
}

const found = (type: AttachmentType): Sniffed => ({ ok: true, type, mediaType: ATTACHMENT_TYPES[type].mediaType });
const refused = (problem: string): Sniffed => ({ ok: false, problem });

/** The names of a zip's parts, read from its central directory; null when it is not a complete zip. */
function zipEntries(bytes: Uint8Array): string[] | null {
  const names: string[] = [];
  try {
    // The filter sees every entry of the central directory and decompresses none of them.
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return null;
  }
  return names;
}

function sniffZip(bytes: Uint8Array): Sniffed {
  const entries = zipEntries(bytes);
  if (!entries) return refused('the file is a damaged or truncated zip container');
  const has = (name: string) => entries.includes(name);
  if (has('OFD.xml')) return found('ofd');
  if (has('[Content_Types].xml') && has('word/document.xml')) return found('docx');
  if (has('[Content_Types].xml') && has('xl/workbook.xml')) return found('xlsx');
  return refused('the zip container is not an OFD, DOCX or XLSX document');
}

export function sniffAttachment(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return refused('the file is empty');
  if (startsWith(bytes, PDF)) {
    // A complete PDF ends with %%EOF (a little trailing whitespace or garbage is common, so look at the tail).
    return lastIndexOf(bytes, [...Buffer.from('%%EOF')]) >= Math.max(0, bytes.length - 1024)
      ? found('pdf')
      : refused('the PDF is truncated (no %%EOF at its end)');
  }
  if (startsWith(bytes, PNG)) return lastIndexOf(bytes, PNG_IEND) >= 0 ? found('png') : refused('the PNG is truncated (no IEND chunk)');
  if (startsWith(bytes, JPEG)) {
    return lastIndexOf(bytes, [0xff, 0xd9]) >= Math.max(0, bytes.length - 1024)
      ? found('jpeg')
      : refused('the JPEG is truncated (no end-of-image marker)');
  }
  if (startsWith(bytes, ZIP)) return sniffZip(bytes);
  return refused('the file is not one of the accepted types (PDF, OFD, JPEG, PNG, DOCX, XLSX)');
}
