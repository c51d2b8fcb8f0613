import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs for the operator. Never log what a person typed or a card's content:
 * only ids, verbs, codes and timings (the correlation id ties a turn's lines together).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gbg-rutinstod' },
      redact: { paths: ['text', '*.text', 'value', '*.value', 'card', '*.card'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
