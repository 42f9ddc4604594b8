import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout stays free for CLI output). Secrets and message bodies are never logged at
 * info level; the redact list is a safety net for fields that might carry them.
 */
export function createLogger(options: { readonly level: string; readonly name?: string }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'tutor',
      redact: {
        paths: ['apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization', 'OPENAI_API_KEY'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
