import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ConnectionOptions, TLSConfig } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

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
