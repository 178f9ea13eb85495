import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every log line. Tokens, authorization headers, signing secrets and
 * credentials never reach the log, wherever they appear in an object up to two levels deep.
 */
export const redactPaths: string[] = (() => {
  const keys = [
    'authorization', 'Authorization', 'token', 'access_token', 'refresh_token', 'accessToken', 'refreshToken',
    'apiKey', 'api_key', 'apikey', 'password', 'secret', 'client_secret', 'clientSecret', 'signingSecret',
    'signing_secret', 'webhookSecret', 'webhook_secret', 'credentials', 'x-hubspot-signature',
    'x-hubspot-signature-v3', 'cookie', 'set-cookie',
  ];
  const paths: string[] = [];
  for (const k of keys) {
    const p = /^[A-Za-z_]\w*$/.test(k) ? k : `["${k}"]`;
    const sep = p.startsWith('[') ? '' : '.';
    paths.push(p, `*${sep}${p}`, `*.*${sep}${p}`);
  }
  return paths;
})();

export interface LoggerOptions {
  level?: string;
  /** Where lines go. Default is standard output. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.CONCORD_LOG_LEVEL ?? 'info',
      base: { name: 'concord' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that drops everything: for library calls made without one. */
export const silentLogger: Logger = pino({ level: 'silent' });
