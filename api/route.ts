/**
 * A route is declared once — method, path, roles, zod schemas of its inputs and outputs, handler —
 * and both the Express router and the OpenAPI document are built from that declaration, so the
 * docs cannot drift from what the code accepts.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { TokenRole } from '../activities/store/records';
import type { Actor } from '../shared/model/rollout';
import { authenticate, requireRole } from './auth';
import type { AppDeps } from './deps';
import { ApiError, validationError } from './errors';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** 'json' bodies are capped at 100 kB; 'document' bodies (imports) are raw text up to 5 MB. */
export type BodyKind = 'json' | 'document';

export const JSON_LIMIT = '100kb';
export const DOCUMENT_LIMIT = '5mb';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The authenticated principal; a system actor only on public routes. */
  actor: Actor;
  deps: AppDeps;
  req: Request;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  /** Send `body` as this content type (a string body) instead of JSON. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteDef<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** OpenAPI style: /api/v1/tenants/{id}. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it; 'public' needs no token. */
  roles: readonly TokenRole[] | 'public';
  /** Verb used in a 403 message: "role viewer cannot <action>". */
  action: string;
  params?: P;
  query?: Q;
  body?: B;
  bodyKind?: BodyKind;
  /** Overrides the JSON limit, for batch endpoints. */
  bodyLimit?: string;
  /** Media types documented for a 'document' body. */
  documentTypes?: string[];
  responses: Record<number, ResponseSpec>;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult>;
}

/** Identity helper that lets TypeScript infer the handler's input types from the schemas. */
export function route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(def: RouteDef<P, Q, B>): RouteDef {
  return def as unknown as RouteDef;
}

export function expressPath(openapiPath: string): string {
  return openapiPath.replace(/\{(\w+)\}/g, ':$1');
}

const SYSTEM: Actor = { id: 'anonymous', role: 'system' };

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}

/** JSON routes insist on a JSON content type, so a form post is a clear 415, not a confusing 400. */
function requireJson(req: Request): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new ApiError(415, 'unsupported-media-type', `this endpoint takes application/json, not ${req.headers['content-type'] ?? 'a body without Content-Type'}`);
  }
}

function bodyParsers(def: RouteDef): RequestHandler[] {
  if (!def.body) return [];
  if (def.bodyKind === 'document') {
    // Imported documents stay raw text so every error can name its line.
    return [express.text({ type: () => true, limit: DOCUMENT_LIMIT })];
  }
  return [
    (req, _res, next) => next(safely(() => requireJson(req))),
    express.json({ limit: def.bodyLimit ?? JSON_LIMIT, strict: true }),
  ];
}

function safely(fn: () => void): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
}

function send(res: Response, result: RouteResult): void {
  res.status(result.status ?? 200);
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  if (result.body === undefined) {
    res.end();
  } else if (result.contentType) {
    res.type(result.contentType).send(result.body);
  } else {
    res.json(result.body);
  }
}

export function mountRoutes(router: express.Router, routes: readonly RouteDef[], deps: AppDeps): void {
  for (const def of routes) {
    const guard: RequestHandler[] = def.roles === 'public' ? [] : [authenticate(deps.store), requireRole(def.roles, def.action)];
    const handler: RequestHandler = async (req, res) => {
      const params = parsePart(def.params, req.params, 'params');
      const query = parsePart(def.query, req.query, 'query');
      let rawBody: unknown = req.body;
      if (def.body && def.bodyKind !== 'document' && rawBody === undefined) rawBody = {};
      const body = parsePart(def.body, rawBody, 'body');
      const actor = res.locals.actor ?? SYSTEM;
      send(res, await def.handler({ params, query, body, actor, deps, req }));
    };
    // Auth runs before the body is read: an anonymous client cannot make us parse 5 MB.
    router[def.method](expressPath(def.path), ...guard, ...bodyParsers(def), handler);
  }
}
