import { type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';
import { requireInstalledPackage } from './installed-package.js';

export type { Logger };

export interface LoggerOptions {
  readonly level: string;
  readonly name?: string;
  /**
   * Human-readable lines (time, level, message, fields) instead of JSON lines. @default whether stderr is a terminal:
   * a person starting the tutor reads it, a log shipper parses it
   */
  readonly pretty?: boolean;
}

/**
 * Structured logs on stderr (stdout stays free for CLI output): JSON lines, or readable lines on a terminal. Secrets and
 * message bodies are never logged at info level; the redact list is a safety net for fields that might carry them.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'tutor',
    redact: {
      paths: ['apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization', 'OPENAI_API_KEY'],
      censor: '[redacted]',
    },
  };
  if (options.pretty ?? process.stderr.isTTY === true) {
    // Loaded only here: a log shipper's JSON lines (no terminal) never pay for pino-pretty and its colour modules.
    const pretty = requireInstalledPackage<{ default: typeof PinoPretty }>('pino-pretty').default;
    return pino(
      settings,
      pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' }),
    );
  }
  return pino(settings, pino.destination({ fd: 2, sync: true }));
}
