import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../infra/config';
import { ensureClusterCertificates, type ClusterCertificates } from '../infra/temporal-certs';
import { temporalConnectionOptions } from '../infra/temporal-connection';

/** One place turns configuration into the client's and the worker's connection options. */
describe('Temporal connection options', () => {
  let base: string;
  let certs: ClusterCertificates;
  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-connection-'));
    certs = await ensureClusterCertificates({ dir: path.join(base, 'certs') });
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const fromEnv = (env: NodeJS.ProcessEnv) => {
    const { temporal } = loadConfig(env);
    return temporalConnectionOptions({ address: temporal.address!, tls: temporal.tls, apiKey: temporal.apiKey });
  };

  it('is plain gRPC when nothing secures it', () => {
    const { client, worker } = fromEnv({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(client).toEqual({ address: 'temporal:7233' });
    expect(worker).toEqual({ address: 'temporal:7233' });
  });

  it('carries the CA, the client certificate and the server name to both the client and the worker', () => {
    const { client, worker } = fromEnv({
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_CA_FILE: certs.caBundleFile,
      TEMPORAL_TLS_CERT_FILE: certs.clients.worker.certFile,
      TEMPORAL_TLS_KEY_FILE: certs.clients.worker.keyFile,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.county.example',
    });
    const expected = {
      address: '10.0.0.5:7233',
      tls: {
        serverNameOverride: 'temporal.county.example',
        serverRootCACertificate: fs.readFileSync(certs.caBundleFile),
        clientCertPair: { crt: fs.readFileSync(certs.clients.worker.certFile), key: fs.readFileSync(certs.clients.worker.keyFile) },
      },
    };
    expect(client).toEqual(expected);
    expect(worker).toEqual(expected);
  });

  it("sends Temporal Cloud's API key and leaves TLS to the SDK's default for it", () => {
    const { client, worker } = fromEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-123' });
    expect(client).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key-123' });
    expect(worker).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key-123' });
  });

  it('refuses a key that is not the certificate’s, naming both variables', () => {
    expect(() =>
      fromEnv({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_TLS_CERT_FILE: certs.clients.api.certFile,
        TEMPORAL_TLS_KEY_FILE: certs.clients.worker.keyFile,
      }),
    ).toThrow(/TEMPORAL_TLS_KEY_FILE=.*client-worker-key\.pem is not the key of TEMPORAL_TLS_CERT_FILE=.*client-api\.pem/);
  });
});
