/**
 * Prints a bearer token for a seeded user (`npm run -s token -- <userId>`), or the seeded users as JSON lines
 * (`npm run -s token -- --list`). Signs with AUTH_JWT_SECRET, or the demo secret `npm start` uses.
 */
import { issueToken } from '../api/auth';
import { resolveJwtSecret } from '../infra/auth-keys';
import { loadConfig } from '../infra/config';
import { SEED_USERS } from '../prisma/seed';

async function main() {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: npm run -s token -- <userId> | --list');
    process.exit(2);
  }
  if (arg === '--list') {
    for (const u of SEED_USERS) console.log(JSON.stringify({ id: u.id, name: u.name, roles: u.roles }));
    return;
  }
  const user = SEED_USERS.find((u) => u.id === arg);
  if (!user) {
    console.error(`no seeded user "${arg}"; see npm run -s token -- --list`);
    process.exit(2);
  }
  const config = loadConfig();
  const { secret } = resolveJwtSecret(config);
  console.log(
    await issueToken(
      { issuer: config.auth.issuer, audience: config.auth.audience, jwtSecret: secret, jwksAlgorithms: [] },
      user.id,
      user.name,
    ),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
