import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../errors.js';

/*
 * JSON bodies nested deeper than any request of ours needs are refused before they are parsed. Parsing is fine
 * at any depth, but every later walk over the value (prototype-poisoning scan, validation, the NUL check) recurses,
 * and 10,000 levels overflowed the stack: a 500 instead of a 400.
 */

/** The deepest nesting a request body may have; Graph messages, the deepest bodies we take, need about 5. */
export const MAX_JSON_DEPTH = 32;

/** Whether `text`'s arrays and objects nest deeper than `max`; one pass, brackets inside strings ignored. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i += 1; // a backslash escapes the next character: it is text
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}

/** Replaces Fastify's JSON body parser with one that refuses deep nesting, then parses as Fastify does. */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new InvalidRequestError(`The body's arrays and objects are nested more than ${MAX_JSON_DEPTH} deep.`, [
          { location: 'body', pointer: '/', detail: `nests deeper than ${MAX_JSON_DEPTH} levels` }
        ]),
        undefined
      );
      return;
    }
    parse(request, text, done);
  });
}
