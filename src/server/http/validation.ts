import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler, HookHandlerDoneFunction } from 'fastify';
import { InvalidRequestError } from '../errors.js';

/*
 * Request validation. JSON bodies are checked exactly as sent: no type coercion, unknown fields refused
 * (schemas say additionalProperties: false), every problem reported. Query strings and path parameters
 * arrive as text, so there numbers are coerced and a repeated parameter becomes an array.
 */

const common: Options = { removeAdditional: false, allErrors: true, useDefaults: true, strict: false };

// ajv-formats' RFC 3339 check (its definition is { validate, compare }).
const rfc3339DateTime = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;

/**
 * RFC 3339 allows a leap second (23:59:60), which JavaScript dates cannot hold: Date.parse gives NaN, and NaN
 * reached the queries. A date-time is valid only when JavaScript can represent it as well.
 */
const isRepresentableDateTime = (value: string): boolean =>
  rfc3339DateTime(value) && Number.isFinite(Date.parse(value));

function compilerWith(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isRepresentableDateTime });
  return ajv;
}

const body = compilerWith({ coerceTypes: false });
const text = compilerWith({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? body : text).compile(schema);

/** The JSON pointer of the first string (or key) holding a NUL character, or null. */
function nulPointer(value: unknown, pointer = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer || '/' : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPointer(item, `${pointer}/${index}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? `${pointer}/${key}` : nulPointer(item, `${pointer}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A preValidation hook: text with a NUL character is refused with a 400 naming the field. PostgreSQL cannot
 * store NUL in text, and no real name, subject or query has one. (Callback style: it runs on every request,
 * and an async hook would cost a promise each time.)
 */
export function rejectNulCharacters(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction
): void {
  for (const [location, part] of [
    ['body', request.body],
    ['querystring', request.query],
    ['params', request.params]
  ] as const) {
    const pointer = nulPointer(part);
    if (pointer) {
      done(
        new InvalidRequestError('Text must not contain NUL characters (\\u0000).', [
          { location, pointer, detail: 'contains a NUL character' }
        ])
      );
      return;
    }
  }
  done();
}
