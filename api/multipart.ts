import busboy from 'busboy';
import type { Request } from 'express';
import { HttpProblem } from '../services/problem';

/**
 * One file from a multipart/form-data request (field `file`) with its text fields, through busboy, the
 * streaming parser Express's own multer builds on. The file is read into memory up to the per-file limit; a
 * larger one, a second file, a missing one or a body cut short is a 4xx naming the problem, and nothing is kept.
 */

export interface ParsedUpload {
  filename: string;
  bytes: Uint8Array;
  fields: Record<string, string>;
}

export function readUpload(req: Request, maxFileBytes: number): Promise<ParsedUpload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new HttpProblem('unsupported-media-type', 'send the file as multipart/form-data in the field "file"'));
  }
  return new Promise<ParsedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxFileBytes, fields: 10, fieldSize: 1000, parts: 12 },
      });
    } catch (err) {
      reject(new HttpProblem('invalid-request', `the multipart body cannot be read: ${(err as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { filename: string; chunks: Buffer[]; tooLarge: boolean } | null = null;
    let failed: HttpProblem | null = null;
    const fail = (problem: HttpProblem) => {
      failed ??= problem;
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new HttpProblem('invalid-request', `the field "${name}" is too long`));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        fail(new HttpProblem('invalid-request', `unexpected file field "${name}"; send the file in the field "file"`));
        stream.resume();
        return;
      }
      const current = { filename: info.filename || '', chunks: [] as Buffer[], tooLarge: false };
      file = current;
      // A body cut short fails the parser (below) and this stream with it: one answer, from the parser.
      stream.on('error', () => undefined);
      stream.on('data', (chunk: Buffer) => current.chunks.push(chunk));
      stream.on('limit', () => {
        current.tooLarge = true;
      });
    });
    parser.on('filesLimit', () => fail(new HttpProblem('invalid-request', 'send one file per request')));
    parser.on('partsLimit', () => fail(new HttpProblem('invalid-request', 'too many parts in the multipart body')));
    parser.on('error', (err: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(new HttpProblem('invalid-request', `the multipart body is incomplete or malformed: ${err.message}`));
    });
    parser.on('close', () => {
      const f = file;
      if (failed) return reject(failed);
      if (!f) return reject(new HttpProblem('invalid-request', 'no file: send it in the multipart field "file"'));
      if (f.tooLarge) return reject(new HttpProblem('payload-too-large', `the file exceeds the limit of ${maxFileBytes} bytes per file`));
      resolve({ filename: f.filename, bytes: new Uint8Array(Buffer.concat(f.chunks)), fields });
    });
    req.on('aborted', () => reject(new HttpProblem('invalid-request', 'the upload was aborted')));
    req.pipe(parser);
  });
}
