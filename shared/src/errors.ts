import * as Sentry from '@sentry/node';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from './logger';
import type { RuleError } from './rule-error';
import { StoreUnavailableError } from './store/types';
import { traceIds } from './telemetry';

export * from './failure-kind';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem type URIs: a stable name per kind of failure that clients can switch on. */
export const problemType = (slug: string) => `urn:casino:problem:${slug}`;

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId: string;
  errors?: FieldError[];
}

export interface AppErrorOptions {
  /** Short, stable slug: `insufficient-funds`. */
  slug: string;
  title: string;
  detail?: string;
  /** Operational errors are expected outcomes (bad input, a dependency down); others are bugs. */
  operational?: boolean;
  errors?: FieldError[];
  cause?: unknown;
  /** A failure kind the platform declares (see KnownFailure); Sentry makes one issue of it. */
  failureKind?: string;
}

/** The one error type. Anything else reaching the handler is a bug and answers 500. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly operational: boolean;
  readonly errors?: FieldError[];
  readonly failureKind?: string;

  constructor(status: number, options: AppErrorOptions) {
    super(options.detail ?? options.title, { cause: options.cause });
    this.status = status;
    this.slug = options.slug;
    this.title = options.title;
    this.operational = options.operational ?? true;
    if (options.errors) this.errors = options.errors;
    if (options.failureKind) this.failureKind = options.failureKind;
  }

  get type(): string {
    return problemType(this.slug);
  }

  static badRequest(detail: string, errors?: FieldError[]) {
    return new AppError(400, { slug: 'invalid-request', title: 'Invalid request', detail, errors });
  }
  static unauthorized(detail = 'A valid bearer token is required.') {
    return new AppError(401, { slug: 'unauthorized', title: 'Unauthorized', detail });
  }
  static forbidden(slug: string, detail: string) {
    return new AppError(403, { slug, title: 'Forbidden', detail });
  }
  static notFound(slug: string, detail: string) {
    return new AppError(404, { slug, title: 'Not found', detail });
  }
  static conflict(slug: string, detail: string) {
    return new AppError(409, { slug, title: 'Conflict', detail });
  }
  static unprocessable(slug: string, title: string, detail: string) {
    return new AppError(422, { slug, title, detail });
  }
}

/** Each issue with the path of the field at fault; one about the value as a whole is named `whole`. */
export function zodFieldErrors(err: ZodError, whole = '(body)'): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.join('.') || whole, message: i.message }));
}

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } };

/** Parses with a zod schema; bad input becomes a 400 problem listing each bad field. */
export function parseInput<T>(schema: Schema<T>, value: unknown, what = 'request', whole = '(body)'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = zodFieldErrors(result.error, whole);
  throw AppError.badRequest(`The ${what} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Parses a request header with a zod schema; a bad value is a 400 problem naming the header. */
export function parseHeader<T>(schema: Schema<T>, value: string | undefined, name: string): T {
  return parseInput(schema, value, `${name} header`, name);
}

/** Errors from express.json(): malformed JSON, oversized or wrongly encoded bodies. */
function fromBodyParser(err: unknown): AppError | undefined {
  const e = err as BodyParserError;
  if (typeof e?.type !== 'string' || typeof e.status !== 'number' || e.status >= 500) return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return AppError.badRequest('The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(413, {
        slug: 'payload-too-large',
        title: 'Payload too large',
        detail: 'The request body is larger than allowed.',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, { slug: 'unsupported-encoding', title: 'Unsupported encoding', detail: 'Send the body as UTF-8 JSON.' });
    default:
      return new AppError(e.status, { slug: 'invalid-request', title: 'Invalid request', detail: 'The request body could not be read.' });
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return AppError.badRequest('The request is invalid.', zodFieldErrors(err));
  if (err instanceof StoreUnavailableError) {
    return new AppError(503, {
      slug: 'store-unavailable',
      title: 'Service unavailable',
      detail: 'The database is unreachable right now; retry shortly.',
      cause: err,
    });
  }
  return (
    fromBodyParser(err) ??
    new AppError(500, {
      slug: 'internal',
      title: 'Internal error',
      detail: 'Something went wrong on our side. Quote the trace id when you report it.',
      operational: false,
      cause: err,
    })
  );
}

export function toProblem(error: AppError): Problem {
  return {
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.message,
    traceId: traceIds().traceId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function sendProblem(res: Response, error: AppError): void {
  // A 503 is temporary: tell well-behaved clients when to come back.
  if (error.status === 503 && !res.getHeader('retry-after')) res.setHeader('retry-after', '2');
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).json(toProblem(error));
}

/** Unknown routes answer a 404 problem, not Express' HTML page. */
export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(AppError.notFound('route-not-found', `No route for ${req.method} ${req.path}.`));
}

/**
 * The central handler: every error becomes problem+json; 5xx are reported to Sentry. A bug (an
 * error that is not operational) is reported as unhandled, as Sentry's own Express handler does, so
 * the request's session counts as crashed in release health.
 */
export function problemHandler(logger: Logger) {
  // Express recognises error handlers by their four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const error = toAppError(err);
    if (error.status >= 500) {
      Sentry.captureException(error.operational ? error : (error.cause ?? error), {
        mechanism: { type: 'auto.middleware.express', handled: error.operational },
        captureContext: { tags: { 'problem.type': error.slug }, level: error.operational ? 'warning' : 'error' },
      });
      logger.error({ err: error.cause ?? error, problem: error.slug }, error.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, error);
  };
}

/**
 * An error handler for a service's routes: its rule errors become problems, each rule with its
 * status and title and the error's words as the detail; `also` may turn other errors into problems.
 * Anything left goes on to the central handler as it is.
 */
export function ruleProblems<R extends string>(
  Rule: abstract new (rule: R, detail: string) => RuleError<R>,
  problems: Record<R, { status: number; title: string }>,
  also: (err: unknown) => unknown = (err) => err,
): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    if (!(err instanceof Rule)) return next(also(err));
    const { status, title } = problems[err.rule];
    next(new AppError(status, { slug: err.rule, title, detail: err.message }));
  };
}
