import type { RouteDef } from '../route';
import { controlRoutes } from './controls';
import { decisionRoutes } from './decisions';
import { featureRoutes } from './features';
import { metricsRoutes } from './metrics';
import { noticeRoutes } from './notices';
import { planRoutes } from './plans';
import { rolloutRoutes } from './rollouts';
import { systemRoutes } from './system';
import { tenantRoutes } from './tenants';

/** Every route of the API, in the order the docs list them. */
export const routes: readonly RouteDef[] = [
  ...tenantRoutes,
  ...featureRoutes,
  ...planRoutes,
  ...rolloutRoutes,
  ...decisionRoutes,
  ...controlRoutes,
  ...noticeRoutes,
  ...metricsRoutes,
  ...systemRoutes(() => routes),
];
