/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region code, 8-digit birth date,
 * 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function nationalIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/** Why a number is not a valid 18-character ID, or null when it is. */
export function nationalIdProblem(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits followed by a digit or X';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const parsed = new Date(`${birth}T00:00:00.000Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth) return 'contains an invalid birth date';
  if (nationalIdCheckChar(id.slice(0, 17)) !== id[17]) return 'has a wrong check character';
  return null;
}

/** The birth date and gender an ID number encodes. */
export function nationalIdFacts(id: string): { birthDate: string; gender: 'male' | 'female' } {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Masks everything but the region code and the last four characters: 320106********123X. */
export function maskNationalId(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Builds a valid ID number (for seeds and tests). */
export function makeNationalId(region: string, birthDate: string, sequence: number, gender: 'male' | 'female'): string {
  const seq = sequence * 2 + (gender === 'male' ? 1 : 0);
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
}
