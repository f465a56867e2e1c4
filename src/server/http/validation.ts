import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/*
 * Request validation. JSON bodies are checked exactly as sent: no type coercion, unknown fields refused
 * (schemas say additionalProperties: false), every problem reported. Query strings and path parameters
 * arrive as text, so there numbers are coerced and a repeated parameter becomes an array.
 */

const common: Options = { removeAdditional: false, allErrors: true, useDefaults: true, strict: false };

function compilerWith(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  return ajv;
}

const body = compilerWith({ coerceTypes: false });
const text = compilerWith({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? body : text).compile(schema);
