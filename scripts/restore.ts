/**
 * `npm run restore -- --dir /srv/backups/2026-12-01 [--temporal-owner temporal]`: restores a backup made by
 * `npm run backup` with the service and Temporal stopped. The service's dump goes into DATABASE_URL's database,
 * Temporal's into their names from the backup on the same server, owned by the role Temporal's server logs in as
 * (--temporal-owner, default `temporal` as `npm run cluster` names it; created without login when missing); each
 * target is created when missing and refused when it holds tables (infra/backup.ts). Then start Temporal, the
 * workers and the APIs, and check the chains (docs/operations.md).
 */
import { parseArgs } from 'node:util';
import { restore } from '../infra/backup';
import { loadConfig } from '../infra/config';
import { TEMPORAL_DATABASE_ROLE } from '../infra/temporal-schema';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, 'temporal-owner': { type: 'string', default: TEMPORAL_DATABASE_ROLE } },
});

async function main(): Promise<void> {
  const serviceUrl = loadConfig().database.url;
  if (!serviceUrl || !values.dir)
    throw new Error('usage: DATABASE_URL=postgresql://… npm run restore -- --dir <backup folder> [--temporal-owner <role>]');
  const manifest = await restore({
    dir: values.dir,
    targetUrl: ({ role, name }) =>
      role === 'service' ? serviceUrl : Object.assign(new URL(serviceUrl), { pathname: `/${name}` }).toString(),
    owner: ({ role }) => (role === 'service' ? undefined : values['temporal-owner']),
    log: (line) => console.log(line),
  });
  console.log(`restored ${manifest.databases.map((d) => d.name).join(', ')} from the backup of ${manifest.takenAt}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
