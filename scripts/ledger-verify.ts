/**
 * Verifies a ledger export offline (`npm run -s ledger:verify -- <export.json> --public-key <public.pem>`): the
 * export from GET /api/v1/ledger/export, the public key from GET /api/v1/ledger/public-key, taken from a source
 * you trust (not from the same export); after a rotation, pass every key the ledger was signed with. Needs no database and no network. Prints the result as one JSON line,
 * then a summary; exits 0 when everything holds, 1 when anything is broken, 2 on bad usage or input.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LEDGER_EXPORT_FORMAT, verifyLedger } from '../domain/ledger';
import { signatureCheck } from '../infra/ledger-key';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const exportFile = z.object({
  format: z.literal(LEDGER_EXPORT_FORMAT),
  entries: z.array(
    z.object({
      ledgerSeq: z.number().int(),
      caseId: z.string(),
      seq: z.number().int(),
      eventHash: z.string(),
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
  checkpoints: z.array(z.object({ size: z.number().int().min(1), headHash: hex64, at: z.string(), keyId: hex64, signature: z.string() })),
});

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'public-key': { type: 'string', multiple: true } } });
  const [file] = positionals;
  if (!file || !values['public-key']?.length) {
    console.error('usage: npm run -s ledger:verify -- <export.json> --public-key <public.pem> [--public-key <older.pem> …]');
    return 2;
  }
  const parsed = exportFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    console.error(`${file} is not a ledger export: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return 2;
  }
  const result = verifyLedger(parsed.data, signatureCheck(...values['public-key'].map((f) => fs.readFileSync(f, 'utf8'))));
  console.log(JSON.stringify(result));
  const sure = result.sureSince
    ? `sure since ${result.sureSince.at} (checkpoint of ${result.sureSince.size} entries); signed up to ${result.coveredUpTo!.size} entries at ${result.coveredUpTo!.at}`
    : 'no checkpoint holds: nothing is proven by a signature';
  if (result.ok) {
    console.log(`ledger intact: ${result.verifiedEntries} entries; ${sure}`);
    return 0;
  }
  if (result.firstBadEntry)
    console.log(`ledger BROKEN: first bad entry: #${result.firstBadEntry.ledgerSeq} (${result.firstBadEntry.problem})`);
  for (const c of result.badCheckpoints) console.log(`checkpoint of ${c.size} entries at ${c.at}: ${c.problem}`);
  console.log(`${result.verifiedEntries} entries chain from the start; ${sure}`);
  return 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
}
