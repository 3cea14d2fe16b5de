/**
 * `npm run certs -- --dir deploy/certs --host temporal`: the private CA and the certificates of a container
 * deployment (the Temporal server's, the API's and the worker's), made and renewed as `npm run cluster` makes
 * its own (infra/temporal-certs.ts). Give the folder to the containers as deploy/compose.yaml mounts it, or to
 * Kubernetes as the secret temporal-certs (`kubectl create secret generic temporal-certs --from-file=deploy/certs`).
 */
import { parseArgs } from 'node:util';
import { ensureClusterCertificates } from '../infra/temporal-certs';

const { values } = parseArgs({
  options: { dir: { type: 'string', default: 'deploy/certs' }, host: { type: 'string', multiple: true, default: ['temporal'] } },
});

ensureClusterCertificates({ dir: values.dir, hostNames: values.host, log: (line) => console.log(line) }).then(
  (certs) => console.log(`certificates in ${certs.dir} for ${certs.hostNames.join(', ')}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
