import pino, { type Logger, type LevelWithSilent } from 'pino';

/**
 * Paths that must never reach a log line: bearer tokens and national ID numbers (身份证号), wherever a
 * request, response or record object carries them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'nationalId',
  '*.nationalId',
  '*.*.nationalId',
];

export function createLogger(level: LevelWithSilent = 'info', name = 'community-cases'): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
