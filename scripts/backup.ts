/**
 * `npm run backup -- --dir /srv/backups/2026-12-01 [--temporal]`: dumps DATABASE_URL's database (the service's
 * cases, hash-chained events, users and records), and with --temporal Temporal's two databases on the same server
 * (the names in infra/deployment.ts) with the same credentials, into a new folder (infra/backup.ts). Restore with
 * `npm run restore`; the procedure is in docs/operations.md ("Backups").
 */
import { parseArgs } from 'node:util';
import { backUp, type DatabaseToBackUp } from '../infra/backup';
import { loadConfig } from '../infra/config';
import { DEPLOYMENT } from '../infra/deployment';

const { values } = parseArgs({ options: { dir: { type: 'string' }, temporal: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const serviceUrl = loadConfig().database.url;
  if (!serviceUrl || !values.dir) throw new Error('usage: DATABASE_URL=postgresql://… npm run backup -- --dir <new folder> [--temporal]');
  const on = (name: string) => Object.assign(new URL(serviceUrl), { pathname: `/${name}` }).toString();
  const databases: DatabaseToBackUp[] = [
    { role: 'service', name: decodeURIComponent(new URL(serviceUrl).pathname.slice(1)), url: serviceUrl },
  ];
  if (values.temporal) {
    databases.push({ role: 'temporal', name: DEPLOYMENT.databases.temporal, url: on(DEPLOYMENT.databases.temporal) });
    databases.push({ role: 'visibility', name: DEPLOYMENT.databases.visibility, url: on(DEPLOYMENT.databases.visibility) });
  }
  const manifest = await backUp({ databases, dir: values.dir, log: (line) => console.log(line) });
  console.log(`backup of ${manifest.databases.map((d) => d.name).join(', ')} in ${values.dir}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
