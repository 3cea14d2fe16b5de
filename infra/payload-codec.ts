import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Config } from './config';
import { writeSecretFile } from './secret-files';

/**
 * Encryption of every payload the API and the worker send to Temporal (workflow inputs, Update arguments,
 * results, activity inputs and outputs, queries, memo, failures' details): AES-256-GCM over the whole serialised
 * payload, so histories (and the Temporal Web UI without the codec endpoint) hold ciphertext only. The codec runs
 * outside the workflow sandbox (DataConverter.payloadCodecs): workflow code sees the same plaintext as before, so
 * turning it on changes no workflow's commands, and histories written before it (plaintext payloads) still decode.
 *
 * A key ring: the first key encrypts, every listed key decrypts; the key id travels in the payload's metadata,
 * so rotating means putting a new key first and keeping the old ones for as long as histories written with them
 * are kept (Temporal's retention after a case closes).
 */

/** The payload encoding of an encrypted payload (the name Temporal's samples and codec servers use). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key that encrypted the payload. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface CodecKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** A payload that names a key the ring does not hold: decoding it cannot succeed until that key is listed again. */
export class UnknownCodecKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `payload encrypted with key "${keyId}", which is not in the payload codec's key ring (PAYLOAD_CODEC_KEYS / PAYLOAD_CODEC_KEYS_FILE)`,
    );
    this.name = 'UnknownCodecKeyError';
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: CodecKey;

  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('the payload codec needs at least one key');
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) throw new Error(`payload codec key id "${k.id}" must be 1–64 of A–Z a–z 0–9 . _ -`);
      if (k.key.length !== 32) throw new Error(`payload codec key "${k.id}" must be 32 bytes (AES-256), not ${k.key.length}`);
    }
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    if (this.byId.size !== keys.length) throw new Error('payload codec key ids must be unique');
    this.current = keys[0] as CodecKey;
  }

  /** The id of the key that encrypts. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      // The key id is authenticated too: a payload relabelled with another key id fails to decrypt.
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv).setAAD(utf8.encode(this.current.id));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(this.current.id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before the codec was turned on stay readable.
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId) throw new Error(`an encrypted payload without the ${KEY_ID_METADATA} metadata`);
      const key = this.byId.get(keyId);
      if (!key) throw new UnknownCodecKeyError(keyId);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`an encrypted payload (key "${keyId}") too short to hold its IV and tag`);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES)).setAAD(utf8.encode(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch (err) {
        throw new Error(`an encrypted payload (key "${keyId}") fails authentication: altered, or another key under the same id`, {
          cause: err,
        });
      }
      const decoded = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: decoded.metadata, data: decoded.data };
    });
  }
}

/**
 * A key ring as configured: `id:base64key` entries, newest (the encrypting key) first, separated by commas or
 * new lines. The source names the variable in errors.
 */
export function parseCodecKeys(value: string, source: string): CodecKey[] {
  const entries = value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'));
  if (entries.length === 0) throw new Error(`${source} lists no key (id:base64key, newest first)`);
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error(`${source}: "${entry.slice(0, 16)}…" is not id:base64key`);
    const id = entry.slice(0, colon);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (!KEY_ID.test(id)) throw new Error(`${source}: key id "${id}" must be 1–64 of A–Z a–z 0–9 . _ -`);
    if (key.length !== 32) throw new Error(`${source}: key "${id}" is ${key.length} bytes once base64-decoded, AES-256 needs 32`);
    return { id, key };
  });
}

/** A new key ring entry: a random 256-bit key under an id that says when it was made. */
export function newCodecKey(now = new Date()): CodecKey {
  return { id: `k${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}`, key: randomBytes(32) };
}

export const formatCodecKeys = (keys: CodecKey[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join('\n') + '\n';

/** Where `npm start` keeps the key ring it generates (owner-only, like every secret in DATA_DIR). */
export const generatedKeysFile = (dataDir: string) => path.join(dataDir, 'secrets', 'payload-codec-keys');

/**
 * The key ring in force, or undefined when PAYLOAD_CODEC=off: PAYLOAD_CODEC_KEYS, else PAYLOAD_CODEC_KEYS_FILE,
 * else (not in production) a ring generated once in DATA_DIR and shared by every process on that folder.
 */
export function resolveCodecKeys(config: Config): CodecKey[] | undefined {
  const { codec } = config.temporal;
  if (!codec.enabled) return undefined;
  if (codec.keys) return parseCodecKeys(codec.keys, 'PAYLOAD_CODEC_KEYS');
  if (codec.keysFile) {
    let content: string;
    try {
      content = fs.readFileSync(codec.keysFile, 'utf8');
    } catch (err) {
      throw new Error(`PAYLOAD_CODEC_KEYS_FILE=${codec.keysFile} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    return parseCodecKeys(content, `PAYLOAD_CODEC_KEYS_FILE=${codec.keysFile}`);
  }
  if (config.production) {
    throw new Error(
      'NODE_ENV=production needs the payload codec keys: set PAYLOAD_CODEC_KEYS_FILE (or PAYLOAD_CODEC_KEYS); keys are generated in DATA_DIR for npm start only',
    );
  }
  const file = generatedKeysFile(config.dataDir);
  writeSecretFile(file, () => formatCodecKeys([newCodecKey()]));
  return parseCodecKeys(fs.readFileSync(file, 'utf8'), file);
}
