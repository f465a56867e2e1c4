import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemCode } from '../../shared/problem-codes.js';
import { MAX_ID_LENGTH } from '../../shared/limits.js';
import { RANGE_BOUND_FORMAT, type Problem } from '../../shared/schemas/common.js';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidRequestError,
  LimitExceededError,
  NotFoundError,
  RateLimitedError,
  StoreUnavailableError,
  UnauthorizedError,
  type FieldError
} from '../errors.js';
import {
  InvalidCursor,
  StoreConflict,
  StoreConstraint,
  StoreError,
  StoreNotFound,
  type StoreField
} from '../store/errors.js';

/*
 * Every error leaves as an RFC 9457 problem document with a `detail` that says what to fix. Bad input is
 * always a 4xx; a 5xx means a fault of ours, and its detail reveals nothing but the request id.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The one code for input the API refuses as malformed or invalid: schema failures, rule breaks in the domain
 * (InvalidRequestError), unreadable bodies and URLs alike.
 */
export const INVALID_REQUEST: ProblemCode = 'invalid-request';

/**
 * Fastify's own client errors in our code vocabulary, so no FST_ERR_* code reaches a caller. Anything not
 * listed falls back on its status (see frameworkCode).
 */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_REQUEST,
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_REQUEST,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: INVALID_REQUEST,
  FST_ERR_BAD_URL: INVALID_REQUEST,
  FST_ERR_INVALID_URL: INVALID_REQUEST,
  FST_ERR_MAX_PARAM_LENGTH: 'path-too-long'
};

const STATUS_CODES_OF_OURS: Record<number, ProblemCode> = {
  400: INVALID_REQUEST,
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  413: 'body-too-large',
  414: 'path-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited'
};

/** Our code for an error Fastify raised: by its code where we know it, else by status. */
export function frameworkCode(error: Pick<FastifyError, 'code'>, status: number): ProblemCode {
  return FASTIFY_CODES[error.code] ?? STATUS_CODES_OF_OURS[status] ?? INVALID_REQUEST;
}
const MAX_FIELD_ERRORS = 20;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type Location = FieldError['location'];

export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: { code?: ProblemCode; errors?: FieldError[] } = {}
): FastifyReply {
  const problem: Problem = {
    type: extra.code ? `urn:interaction-log:problem:${extra.code}` : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: reply.request.url.split('?')[0] ?? '/',
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.errors && extra.errors.length > 0
      ? {
          errors: extra.errors.slice(0, MAX_FIELD_ERRORS).map((e) => ({
            pointer: e.pointer.startsWith('#') ? e.pointer : `#${e.pointer}`,
            location: e.location,
            detail: e.detail
          }))
        }
      : {})
  };
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Ajv's errors as field paths and plain words, the most specific per field. */
export function fieldErrorsFrom(validation: AjvError[], location: Location): FieldError[] {
  const byPointer = new Map<string, FieldError>();
  for (const error of validation) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue; // the branch errors say more
    let pointer = error.instancePath || '';
    let detail = error.message ?? 'is not valid';
    if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
      pointer = `${pointer}/${error.params.missingProperty}`;
      detail = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
      pointer = `${pointer}/${error.params.additionalProperty}`;
      detail = 'is not a known field; remove it';
    } else if (error.keyword === 'format' && error.params.format === 'date-time') {
      detail = 'must be a date and time such as 2026-12-06T09:30:00Z (leap seconds are not accepted)';
    } else if (error.keyword === 'format' && error.params.format === RANGE_BOUND_FORMAT) {
      detail = 'must be a date such as 2026-12-06, or a date and time such as 2026-12-06T09:30:00Z';
    } else if (error.keyword === 'type' && error.params.type === 'null') {
      continue; // "must be null" from a nullable union: the other branch's message is the useful one
    }
    if (!byPointer.has(pointer)) byPointer.set(pointer, { pointer: pointer || '/', location, detail });
  }
  if (byPointer.size === 0) {
    const first = validation[0];
    return [{ pointer: first?.instancePath || '/', location, detail: first?.message ?? 'is not valid' }];
  }
  return [...byPointer.values()];
}

const DOMAIN_STATUS: Array<[new (...args: never[]) => DomainError, number]> = [
  [InvalidRequestError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [LimitExceededError, 413],
  [RateLimitedError, 429],
  [StoreUnavailableError, 503]
];

/** A store field as the request body's pointer: the store's methods take the body's own field names. */
function bodyFieldError({ field, index, detail }: StoreField): FieldError {
  return { location: 'body', pointer: index === undefined ? `/${field}` : `/${field}/${index}`, detail };
}

/** The store's refusal in the API's words: missing is a 404, a broken unique key a 409, the rest bad input. */
export function domainErrorOf(error: StoreError): DomainError {
  if (error instanceof StoreNotFound) return new NotFoundError(error.what);
  if (error instanceof StoreConflict) return new ConflictError(error.message, error.fields.map(bodyFieldError));
  if (error instanceof StoreConstraint) {
    return new InvalidRequestError(error.message, error.fields.map(bodyFieldError));
  }
  if (error instanceof InvalidCursor) {
    return new InvalidRequestError(error.message, [
      { location: 'querystring', pointer: '/cursor', detail: error.detail }
    ]);
  }
  return new InvalidRequestError(error.message);
}

function sendDomainProblem(error: DomainError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = DOMAIN_STATUS.find(([type]) => error instanceof type)?.[1] ?? 400;
  if (error instanceof UnauthorizedError) {
    // RFC 6750: no error code when no token came, invalid_token when one was rejected; never the reason.
    void reply.header('www-authenticate', error.tokenRejected ? 'Bearer error="invalid_token"' : 'Bearer');
    if (error.reason) request.log.info({ reason: error.reason }, 'access token rejected');
  }
  if (error instanceof RateLimitedError) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof StoreUnavailableError) {
    void reply.header('retry-after', String(error.retryAfterSeconds));
    request.log.warn({ err: error.cause }, 'store unavailable');
  }
  const errors = error instanceof InvalidRequestError || error instanceof ConflictError ? error.errors : [];
  return sendProblem(reply, status, error.message, { code: error.code, errors });
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      const location = (error.validationContext ?? 'body') as Location;
      const errors = fieldErrorsFrom(error.validation as unknown as AjvError[], location);
      const where = location === 'querystring' ? 'query string' : location;
      return sendProblem(
        reply,
        400,
        `The ${where} is not valid: ${errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')}.`,
        { code: INVALID_REQUEST, errors }
      );
    }
    if (error instanceof DomainError) return sendDomainProblem(error, request, reply);
    if (error instanceof StoreError) return sendDomainProblem(domainErrorOf(error), request, reply);
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendProblem(reply, status, clientErrorDetail(error, request), { code: frameworkCode(error, status) });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      500,
      `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
      {
        code: 'internal-error'
      }
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, `There is no ${request.method} ${request.url.split('?')[0]}; see /api/openapi.json.`, {
      code: 'no-such-route'
    })
  );
}

/**
 * Errors Fastify's router raises before any route runs (a malformed URL, a path parameter over the length
 * limit): problem documents like every other refusal.
 */
export function frameworkErrorProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void sendProblem(
    reply,
    tooLong ? 414 : 400,
    tooLong ? `A value in the path is too long; ids are at most ${MAX_ID_LENGTH} characters.` : 'The URL is not valid.',
    { code: frameworkCode(error, tooLong ? 414 : 400) }
  );
}

/** Fastify's own 4xx errors, reworded where its message would not tell a caller what to do. */
function clientErrorDetail(error: FastifyError, request: FastifyRequest): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The request body is larger than ${sizeInWords(request.routeOptions.bodyLimit)}, the most ${request.method} ${request.routeOptions.url ?? 'this route'} takes.`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is empty; send a JSON object.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return `The body is not valid JSON: ${error.message}`;
    default:
      return error.message;
  }
}

/** A body limit as people say it: "1 MB", "2 MB", "512 KB". */
function sizeInWords(bytes: number | undefined): string {
  if (bytes === undefined) return 'the limit';
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
