/** Headers that carry a client's address: proxies' `X-Forwarded-For`, `Forwarded`, `X-Real-IP` and kin. */
export const CLIENT_ADDRESS_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'true-client-ip', 'cf-connecting-ip', 'x-client-ip'];

/**
 * One definition of "sensitive" for logs and for everything sent to Sentry: passwords, tokens,
 * secrets, the Authorization header, cookies, card data, idempotency keys and client addresses.
 */
export const SENSITIVE_KEY =
  /pass(word|wd)?|secret|token|authori[sz]ation|cookie|card|cvv|cvc|\bpan\b|iban|api[-_]?key|idempotency[-_]?key|dsn|forwarded|real[-_]?ip|client[-_]?ip|connecting[-_]?ip/i;

export const FILTERED = '[Filtered]';

/** Deep copy with every sensitive key's value replaced; bounded depth so cycles cannot hang it. */
export function scrub<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object') return value;
  // Past the depth bound nothing is inspected, so nothing is let through.
  if (depth > 8) return FILTERED as T;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1)) as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SENSITIVE_KEY.test(key) ? FILTERED : scrub(v, depth + 1);
  }
  return out as T;
}

/** pino `redact` paths: the request and response fields that can carry credentials. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  'accessToken',
  'authorization',
  'cookie',
  'card',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.cookie',
  '*.card',
  '*.cardNumber',
  '*.cvv',
  'body.password',
  'err.config.headers.authorization',
];
