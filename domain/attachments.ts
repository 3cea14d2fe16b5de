import { z } from 'zod';

/**
 * Attachments (附件) as the case knows them: the reference the case workflow receives and records in the hash
 * chain (never the bytes), the kinds of paper a case carries, and the pure rules for a file's name as stored
 * and as sent back (RFC 6266 Content-Disposition).
 */

/** Kinds of paper a case carries; free text beyond these is accepted (a county names its own). */
export const ATTACHMENT_KINDS = ['考核表', '证书', '会议纪要', '情况说明', '澄清函', '谈话记录', '其他'] as const;

/** An attachment as the case's history records it: what identifies the bytes, and who attached it where. */
export const attachmentRef = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  mediaType: z.string().min(1).max(200),
  size: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.string().max(40).nullable(),
});
export type AttachmentRef = z.output<typeof attachmentRef>;

/** Ids of the caller's pending uploads, as a submission or an action names them. */
export const attachmentIds = z
  .array(z.string().min(1).max(100))
  .max(20)
  .describe('ids of files uploaded with POST /attachments, attached with this submission or action');

const MAX_NAME = 120;
// Characters that mean something to a file system, a shell or a header; control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f"*/:<>?\\|]/g;

/**
 * The name an upload is stored under: the last path segment only, without characters a file system or header
 * would read, at most 120 characters, and ending in the extension of what the bytes are (a "报告.exe" that is
 * a PDF is stored as "报告.exe.pdf").
 */
export function sanitizeFileName(raw: string, extension: string): string {
  const last = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = last.replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const ext = `.${extension}`;
  const hasExt = name.toLowerCase().endsWith(ext) || (extension === 'jpg' && /\.jpe?g$/i.test(name));
  if (!hasExt) name = name ? `${name}${ext}` : '';
  if (!name || name === ext) name = `attachment${ext}`;
  const chars = [...name];
  if (chars.length > MAX_NAME) {
    const tail = hasExt ? [...name.slice(name.lastIndexOf('.'))] : [...ext];
    name = chars.slice(0, MAX_NAME - tail.length).join('') + tail.join('');
  }
  return name;
}

/** RFC 5987 encoding of a header parameter value (filename*). */
const rfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Content-Disposition per RFC 6266: an ASCII `filename` for old clients (non-ASCII replaced) and `filename*` in
 * UTF-8 for the real name, so "考核表.pdf" arrives as itself.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** A file a submission or an action names, as the attachment store holds it. */
export interface NamedFile {
  id: string;
  uploaderId: string;
  /** The case it is claimed for or attached to; null while it is pending. */
  caseId: string | null;
  /** uploading, stored or removed. */
  state: string;
  /** Whether its case's history holds it (attachment_added). */
  recorded: boolean;
}

/**
 * Why the files a submission or a stage action names cannot be attached to `caseId` by `uploaderId`, or null.
 * The one check for both (the API before it asks the workflow, the admission when a case opens): each file must
 * exist, be the caller's own upload, be stored and not removed, and be pending or claimed for this very case
 * without being recorded there yet; none may be named twice. Someone else's file answers as one that does not
 * exist, so the refusal tells nobody which ids other people uploaded.
 */
export function refuseNamedFiles(ids: string[], files: ReadonlyMap<string, NamedFile>, uploaderId: string, caseId: string): string | null {
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) return `attachments: file "${twice}" is named twice`;
  for (const id of ids) {
    const file = files.get(id);
    if (!file || file.uploaderId !== uploaderId) return `attachments: "${id}" is not a file you uploaded`;
    if (file.state === 'removed') return `attachments: file "${id}" was removed`;
    if (file.state !== 'stored') return `attachments: file "${id}" has not finished uploading`;
    if (file.caseId !== null && file.caseId !== caseId)
      return file.recorded
        ? `attachments: file "${id}" is already attached to another case`
        : `attachments: file "${id}" is being attached to another case`;
    if (file.recorded) return `attachments: file "${id}" is already attached to this case`;
  }
  return null;
}
