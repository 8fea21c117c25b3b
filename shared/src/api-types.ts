/**
 * The public API's types, one source for the gateway and the web frontend: generated from
 * openapi.yaml into public-api.ts by `npm run api:types` (lint fails when that file is stale), and
 * read here by name. Types only: nothing here exists at run time.
 */
import type { components, paths } from './public-api';

export type { components, paths };

/** A schema of openapi.yaml by its name under components.schemas. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

type Method = 'get' | 'put' | 'post' | 'delete';

/** The JSON body a public route takes. */
export type RequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** The JSON body a public route answers with `status`. */
export type ResponseBody<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

/** The query a public route takes. */
export type Query<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;
