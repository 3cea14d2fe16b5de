import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection, WorkflowUpdateFailedError, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';
import { AesGcmPayloadCodec, resolveCodecKeys } from './payload-codec';

/**
 * How the API (`@temporalio/client`) and the worker (`@temporalio/worker`) reach Temporal, from one
 * configuration: the address, TLS (the server's CA, this process's client certificate, a server name) and
 * Temporal Cloud's API key. The files are read on every call, so a process that reconnects (or restarts)
 * picks up rotated certificates. infra/config.ts has already checked that they are readable and complete.
 */

export interface TemporalConnectionSettings {
  address: string;
  tls?: Config['temporal']['tls'];
  apiKey?: string;
}

export interface TemporalConnectionOptions {
  /** For `Connection.connect` (the API, scripts, tests). */
  client: ConnectionOptions;
  /** For `NativeConnection.connect` (the worker). */
  worker: NativeConnectionOptions;
}

function read(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${variable}=${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

function tlsConfig(tls: NonNullable<TemporalConnectionSettings['tls']>): TLSConfig {
  const config: TLSConfig = {};
  if (tls.serverName) config.serverNameOverride = tls.serverName;
  if (tls.caFile) config.serverRootCACertificate = read(tls.caFile, 'TEMPORAL_TLS_CA_FILE');
  if (tls.certFile && tls.keyFile) {
    const crt = read(tls.certFile, 'TEMPORAL_TLS_CERT_FILE');
    const key = read(tls.keyFile, 'TEMPORAL_TLS_KEY_FILE');
    // A swapped or stale key would otherwise surface as an opaque handshake failure on the first call.
    let matches: boolean;
    try {
      matches = new crypto.X509Certificate(crt).checkPrivateKey(crypto.createPrivateKey(key));
    } catch (err) {
      throw new Error(`TEMPORAL_TLS_CERT_FILE / TEMPORAL_TLS_KEY_FILE are not a PEM certificate and key: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!matches) throw new Error(`TEMPORAL_TLS_KEY_FILE=${tls.keyFile} is not the key of TEMPORAL_TLS_CERT_FILE=${tls.certFile}`);
    config.clientCertPair = { crt, key };
  }
  return config;
}

/** Options for both SDK connections; plain gRPC when neither TLS nor an API key is configured. */
export function temporalConnectionOptions(settings: TemporalConnectionSettings): TemporalConnectionOptions {
  const tls = settings.tls ? tlsConfig(settings.tls) : undefined;
  // With an API key and no TLS settings the SDKs turn TLS on by themselves (Temporal Cloud has public certificates).
  const common = { address: settings.address, ...(tls ? { tls } : {}), ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
  return { client: { ...common }, worker: { ...common } };
}

/** What every client and worker of the service sets up towards Temporal besides the address. */
export interface TemporalSecurity {
  /** TLS and API key (TEMPORAL_TLS_*, TEMPORAL_API_KEY). */
  security: Omit<TemporalConnectionSettings, 'address'>;
  /** The payload codec (PAYLOAD_CODEC*), absent when turned off. */
  codec?: AesGcmPayloadCodec;
  /** The data converter with that codec, for `new Client(...)` and `Worker.create(...)`; absent when off. */
  dataConverter?: DataConverter;
}

/**
 * The one place that turns configuration into Temporal connection options and the data converter: the API, the
 * worker, the stack, the history recorder and the benchmark all take theirs from here, so each of them can run
 * against `npm run cluster` (mTLS) and reads and writes the same encrypted payloads.
 */
export function temporalSecurity(config: Config): TemporalSecurity {
  const keys = resolveCodecKeys(config);
  const codec = keys ? new AesGcmPayloadCodec(keys) : undefined;
  return {
    security: { tls: config.temporal.tls, apiKey: config.temporal.apiKey },
    ...(codec ? { codec, dataConverter: { payloadCodecs: [codec] } } : {}),
  };
}

/**
 * A client of the service's Temporal namespace, as configured (TLS, API key, payload codec); close it with
 * `client.connection.close()`. For the scripts and the benchmark beside the API's own (app/runtime.ts).
 */
export async function connectTemporalClient(config: Config, address = config.temporal.address): Promise<Client> {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const { security, dataConverter } = temporalSecurity(config);
  const connection = await Connection.connect(temporalConnectionOptions({ ...security, address }).client);
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter });
}

/**
 * An Update the worker did not take (sdk-core 1.24 drops one that reaches a run while a local activity is in
 * flight, "wasn't processed by worker"): nothing happened, so whoever sent it sends it again with the same Update
 * id (the API, services/temporal.ts; a case group delivering a step, activities/case-groups.ts).
 */
export function isUnprocessedUpdate(err: unknown): boolean {
  return err instanceof WorkflowUpdateFailedError && /wasn't processed by worker/.test(err.cause?.message ?? '');
}
