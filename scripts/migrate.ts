/** Applies pending migrations to DATABASE_URL (`npm run migrate`). */
import { loadConfig } from '../infra/config';
import { ensureDatabase, migrate } from '../infra/migrate';

async function main() {
  const config = loadConfig();
  if (!config.database.url) throw new Error('set DATABASE_URL to the database to migrate');
  await ensureDatabase(config.database.url);
  const result = await migrate(config.database.url);
  console.log(`${result.tool}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'database is up to date'}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
