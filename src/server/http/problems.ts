import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../shared/schemas/common.js';
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

/*
 * Every error leaves as an RFC 9457 problem document with a `detail` that says what to fix. Bad input is
 * always a 4xx; a 5xx means a fault of ours, and its detail reveals nothing but the request id.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
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
  extra: { code?: string; errors?: FieldError[] } = {}
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
        {
          code: 'validation-error',
          errors
        }
      );
    }
    if (error instanceof DomainError) {
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
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return sendProblem(reply, status, clientErrorDetail(error, request), {
        code: error.code ? error.code.toLowerCase() : 'bad-request'
      });
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
    tooLong ? 'A value in the path is too long; ids are at most 64 characters.' : 'The URL is not valid.',
    { code: tooLong ? 'path-too-long' : 'bad-url' }
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
