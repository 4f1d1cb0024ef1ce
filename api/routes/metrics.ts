import { PostedMetrics } from '../../activities/metrics/posted';
import { ApiError } from '../errors';
import { can } from '../roles';
import { route } from '../route';
import { MetricsAccepted } from '../schemas';

export const metricsRoutes = [
  route({
    method: 'post', path: '/api/v1/metrics', operationId: 'postMetrics', tag: 'metrics',
    summary: 'Post per-tenant request/error/usage counts for the built-in metrics provider (one batch per tick)',
    description: 'A batch is all or nothing: one bad sample rejects it, with the sample index in the issue path.',
    roles: can.postMetrics, action: 'post metrics', body: PostedMetrics, bodyLimit: '5mb',
    responses: {
      202: { description: 'Recorded', schema: MetricsAccepted },
      404: { description: 'This API runs without the built-in metrics provider' },
    },
    async handler({ body, deps }) {
      if (!deps.postedMetrics) throw new ApiError(404, 'not-found', 'this API runs without the built-in metrics provider (the rollouts read another metrics source)');
      deps.postedMetrics.recordAll(body.samples);
      return { status: 202, body: { accepted: body.samples.length } };
    },
  }),
];
