import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { FILTERED, LOG_REDACT_PATHS } from './redact';
import { OPS_PATH } from './sentry';
import { appliedScenarios } from './scenarios/marking';
import { Attr, traceIds } from './telemetry';

export type Logger = pino.Logger;

export interface LoggerOptions {
  service: string;
  version: string;
  level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
}

/** JSON lines with service, version, trace_id and span_id on every line, credentials redacted. */
export function createLogger({ service, version, level, destination }: LoggerOptions): Logger {
  // Lines go out in batches of up to 4 KB (a write a line was 11-22% of the user and wager
  // services' CPU under load), at least every 100 ms and at exit. The writes stay synchronous:
  // sonic-boom's asynchronous mode flushes at exit with flushSync, which retries a broken pipe
  // forever when whoever read stdout (the demo launcher) is gone; a synchronous write reports it.
  const stdout = destination ? undefined : pino.destination({ dest: 1, sync: true, minLength: 4096 });
  if (stdout) {
    setInterval(() => stdout.flush(), 100).unref();
    process.once('exit', () => stdout.flush());
  }
  const logger = pino(
    {
      level,
      base: { service, version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: LOG_REDACT_PATHS, censor: FILTERED },
      mixin() {
        const { traceId, spanId } = traceIds();
        const scenario = appliedScenarios();
        return { trace_id: traceId, ...(spanId ? { span_id: spanId } : {}), ...(scenario ? { [Attr.scenario]: scenario } : {}) };
      },
    },
    destination ?? stdout!,
  );
  // Nobody reads stdout any more (EPIPE): stop writing to it rather than fail every request.
  stdout?.on('error', () => {
    logger.level = 'silent';
  });
  return logger;
}

/** One line per request. Health and metrics probes log at debug so they don't drown the rest. */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
      if (OPS_PATH.test(req.url ?? '')) return 'debug';
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    // The request line is written when the response finishes, which may be outside the request's
    // async context: take the scenarios that affected it from the response instead.
    // pino-http calls this as the request starts too, and makes one more child logger for anything
    // but undefined: none is made for a request no scenario touched.
    customProps: ((_req: IncomingMessage, res: ServerResponse) => {
      const names = (res as ServerResponse & { locals?: { scenarios?: Set<string> } }).locals?.scenarios;
      return names?.size ? { [Attr.scenario]: [...names].join(',') } : undefined;
    }) as (req: IncomingMessage, res: ServerResponse) => pino.Bindings,
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(ms)}ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    // The serializers read the request and response themselves: wrapping them would first copy every
    // header into pino's standard shapes, only for these to keep three fields.
    wrapSerializers: false,
    serializers: {
      req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: pathOf(req) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

// Query strings stay out of logs: they can carry tokens.
function pathOf(req: { url?: string; originalUrl?: string }): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
