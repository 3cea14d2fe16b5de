/** Loads the demo organisation, staff and workers into DATABASE_URL (`npm run seed`); safe to repeat. */
import { loadConfig } from '../infra/config';
import { createPrisma } from '../infra/prisma';
import { seedDemoData } from '../prisma/seed';

async function main() {
  const config = loadConfig();
  if (!config.database.url) throw new Error('set DATABASE_URL to the database to seed');
  const prisma = createPrisma(config.database.url);
  try {
    console.log('seeded', await seedDemoData(prisma));
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
