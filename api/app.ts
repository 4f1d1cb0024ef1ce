/**
 * The REST API: the one door for people and tools. Routes come from the route table; this file
 * only orders the middleware around them.
 */
import express from 'express';
import type { AppDeps } from './deps';
import { ApiError, errorHandler } from './errors';
import { requestLogging, requestMetrics } from './observability';
import { ofrepRouter } from './ofrep';
import { mountRoutes } from './route';
import { routes } from './routes';

export type { AppDeps } from './deps';

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(deps.logger));
  app.use(requestMetrics());
  // OFREP answers in its own error format, so it reads its own bodies, before our routes.
  app.use(ofrepRouter(deps.flags));
  const router = express.Router();
  mountRoutes(router, routes, deps);
  app.use(router);
  app.use((req) => {
    throw new ApiError(404, 'not-found', `no endpoint ${req.method} ${req.path}; the endpoints are listed at /docs and /openapi.json`);
  });
  app.use(errorHandler);
  return app;
}
