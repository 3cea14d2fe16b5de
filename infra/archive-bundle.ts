import { constants } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import {
  ARCHIVE_BUNDLE_FORMAT,
  ARCHIVE_BUNDLE_FORMAT_V1,
  BUNDLE_MANIFEST,
  fromV1,
  manifestBytes,
  type ArchiveBundle,
  type BundleEntries,
} from '../domain/archive';

/**
 * An archive bundle (domain/archive.ts) as a tar stream, written and read without holding the case's files: the
 * manifest first, then each document and attachment as it comes from its store, with the SHA-256 of the whole file
 * and of each entry computed as the bytes pass. Memory stays at a few chunks whatever the files weigh.
 */

/** One entry after the manifest: its name, its size (the tar header needs it first) and where its bytes come from. */
export interface BundleFile {
  name: string;
  size: number;
  open: () => Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
}

/** What passed through a stream: its bytes counted and hashed; `sha256` once it has ended. */
export interface Measured {
  size: number;
  readonly sha256: string;
}

function measure(): { hash: Hash; measured: Measured } {
  const hash = createHash('sha256');
  let digest: string | undefined;
  const measured = {
    size: 0,
    get sha256() {
      digest ??= hash.digest('hex');
      return digest;
    },
  };
  return { hash, measured };
}

async function* counted(source: AsyncIterable<Uint8Array>, hash: Hash, measured: Measured): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    measured.size += chunk.length;
    yield chunk;
  }
}

/**
 * The bundle's bytes as a stream, and what passed (its size and SHA-256, read once the stream has ended). The
 * entries carry the archival's time and no owner, so the same bundle always gives the same bytes.
 */
export function bundleStream(manifest: ArchiveBundle, files: BundleFile[]): { stream: Readable; written: Measured } {
  const pack = tar.pack();
  const header = { mtime: new Date(manifest.archivedAt), mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' };
  const fill = async () => {
    const json = Buffer.from(manifestBytes(manifest));
    await new Promise<void>((resolve, reject) =>
      pack.entry({ ...header, name: BUNDLE_MANIFEST, size: json.length }, json, (err) => (err ? reject(err) : resolve())),
    );
    for (const file of files) {
      await new Promise<void>((resolve, reject) => {
        // Called once the entry is whole; tar-stream refuses one whose bytes are not the size its header gave.
        const entry = pack.entry({ ...header, name: file.name, size: file.size }, (err) => (err ? reject(err) : resolve()));
        (async () => {
          for await (const chunk of await file.open()) {
            // The pack reads on as its reader does: wait while it holds a chunk's worth, so nothing piles up here.
            if (!entry.write(chunk)) await new Promise<void>((drained) => entry.once('drain', () => drained()));
          }
          entry.end(undefined);
        })().catch((err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          entry.destroy(error);
          reject(error);
        });
      });
    }
    pack.finalize();
  };
  fill().catch((err: unknown) => pack.destroy(err as Error));
  const { hash, measured } = measure();
  return {
    stream: Readable.from(counted(pack as unknown as AsyncIterable<Uint8Array>, hash, measured), { objectMode: false }),
    written: measured,
  };
}

/** A bundle that is not one: not a tar archive, no manifest first, an entry twice, a manifest that is not JSON. */
export class BundleFormatError extends Error {}

/** The manifest is canonical JSON of the case's rows and events; past this it is not a bundle this service wrote. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** A v1 bundle is one JSON document, read whole into one string as v1 always was: at most the longest string. */
const MAX_V1_BYTES = constants.MAX_STRING_LENGTH;

/** A v1 bundle's files are handed on in slices of this size, as a stream's chunks would come. */
const V1_SLICE_BYTES = 1024 * 1024;

export interface ReadBundle {
  manifest: ArchiveBundle;
  /** Each entry after the manifest, measured as it passed. */
  entries: BundleEntries;
  /** The whole file. */
  file: Measured;
  /** The file's own format: a v1 file (one JSON document) is presented as the v2 manifest and entries. */
  format: typeof ARCHIVE_BUNDLE_FORMAT | typeof ARCHIVE_BUNDLE_FORMAT_V1;
}

type OnEntry = (name: string, bytes: AsyncIterable<Uint8Array>, manifest: ArchiveBundle) => Promise<void>;

/** JSON's white space: what may come before a v1 document's `{`. */
const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Reads a bundle stream through, measuring the whole file and each entry as they pass. `onEntry`, when given, gets
 * each entry after the manifest (its bytes as they pass) and must consume them; otherwise they are only measured.
 * A v2 bundle is a tar file; a v1 bundle (its first byte other than white space is `{`) is read whole and presented
 * the same way: the v2 manifest, and each file's bytes as an entry under the name v2 gives it. Throws
 * BundleFormatError for a file that is not a bundle.
 */
export async function readBundle(source: AsyncIterable<Uint8Array>, onEntry?: OnEntry): Promise<ReadBundle> {
  const { hash, measured: file } = measure();
  const input = counted(source, hash, file);
  // The first chunks, up to the first byte that is not white space, say which format the file is.
  const head: Uint8Array[] = [];
  let first: number | undefined;
  while (first === undefined) {
    const next = await input.next();
    if (next.done) break;
    head.push(next.value);
    first = next.value.find((b) => !JSON_SPACE.has(b));
  }
  const bytes = (async function* () {
    yield* head;
    yield* input;
  })();
  return first === 0x7b ? readV1(bytes, file, onEntry) : readTar(bytes, file, onEntry);
}

async function readV1(source: AsyncIterable<Uint8Array>, file: Measured, onEntry?: OnEntry): Promise<ReadBundle> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_V1_BYTES)
      throw new BundleFormatError(`a JSON document over ${MAX_V1_BYTES} bytes: not a v1 bundle, which is read whole`);
    chunks.push(chunk);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BundleFormatError('neither a tar archive nor a JSON document (a v1 bundle)');
  }
  chunks.length = 0;
  const v1 = fromV1(doc);
  if (typeof v1 === 'string') throw new BundleFormatError(v1);
  const entries = new Map<string, { size: number; sha256: string }>();
  for (const { name, bytes } of v1.files) {
    if (entries.has(name)) throw new BundleFormatError(`the entry ${JSON.stringify(name)} is there twice`);
    const { hash, measured } = measure();
    const slices = (async function* () {
      for (let at = 0; at < bytes.length; at += V1_SLICE_BYTES) yield bytes.subarray(at, at + V1_SLICE_BYTES);
    })();
    const passing = counted(slices, hash, measured);
    if (onEntry) await onEntry(name, passing, v1.manifest);
    for await (const _ of passing); // what onEntry left (or all of it) is measured too
    entries.set(name, { size: measured.size, sha256: measured.sha256 });
  }
  return { manifest: v1.manifest, entries, file, format: ARCHIVE_BUNDLE_FORMAT_V1 };
}

async function readTar(source: AsyncIterable<Uint8Array>, file: Measured, onEntry?: OnEntry): Promise<ReadBundle> {
  const extract = tar.extract();
  const feeding = (async () => {
    for await (const chunk of source) {
      if (!extract.write(chunk)) await new Promise<void>((resolve) => extract.once('drain', () => resolve()));
    }
    extract.end(undefined);
  })();
  feeding.catch((err: unknown) => extract.destroy(err as Error));
  let manifest: ArchiveBundle | undefined;
  const entries = new Map<string, { size: number; sha256: string }>();
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (!manifest) {
        if (name !== BUNDLE_MANIFEST) throw new BundleFormatError(`the first entry is ${JSON.stringify(name)}, not ${BUNDLE_MANIFEST}`);
        if ((entry.header.size ?? 0) > MAX_MANIFEST_BYTES)
          throw new BundleFormatError(`${BUNDLE_MANIFEST} is over ${MAX_MANIFEST_BYTES} bytes`);
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        try {
          manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ArchiveBundle;
        } catch {
          throw new BundleFormatError(`${BUNDLE_MANIFEST} is not JSON`);
        }
        continue;
      }
      if (entries.has(name) || name === BUNDLE_MANIFEST) throw new BundleFormatError(`the entry ${JSON.stringify(name)} is there twice`);
      const { hash: entryHash, measured } = measure();
      const bytes = counted(entry as AsyncIterable<Uint8Array>, entryHash, measured);
      if (onEntry) await onEntry(name, bytes, manifest);
      for await (const _ of bytes); // what onEntry left (or all of it) is measured too
      entries.set(name, { size: measured.size, sha256: measured.sha256 });
    }
    await feeding;
  } catch (err) {
    if (err instanceof BundleFormatError) throw err;
    // tar-stream's own refusals (a header that is not tar's, a file cut short) say the file is not a bundle.
    if (err instanceof Error && /header|unexpected end|invalid/i.test(err.message))
      throw new BundleFormatError(`not a tar archive: ${err.message}`);
    throw err;
  }
  if (!manifest) throw new BundleFormatError(`no ${BUNDLE_MANIFEST}: not an archive bundle`);
  return { manifest, entries, file, format: ARCHIVE_BUNDLE_FORMAT };
}
