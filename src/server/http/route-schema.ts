import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';

/* The schema a route declares for validation and for the OpenAPI document (openapi.ts finishes the document). */

/** Routes documented together: their tags, and the problems each of them may answer with. */
export interface RouteGroup<Errors extends Record<number, TSchema>> {
  tags: string[];
  errors: Errors;
}

/** The Fastify instance a routes plugin registers its routes on (the TypeBox type provider's). */
export type RouteApp = Parameters<FastifyPluginAsyncTypebox>[0];

type RequestParts = { params?: TSchema; querystring?: TSchema; body?: TSchema };

/**
 * A route's schema in its group: its operationId and summary, its own answers and request parts, and the group's
 * problems. Every type is kept as given, so that the handler's request and return are still checked against them.
 */
export function routeSchema<
  Errors extends Record<number, TSchema>,
  Answers extends Record<number, TSchema>,
  Parts extends RequestParts = object
>(group: RouteGroup<Errors>, operationId: string, summary: string, answers: Answers, parts?: Parts) {
  return { operationId, tags: group.tags, summary, ...(parts as Parts), response: { ...answers, ...group.errors } };
}
