/**
 * The composition root: which real system or embedded stand-in each activity port uses,
 * chosen from the environment. The worker (and the demo) call this; nothing else reads env.
 */
import { DEFAULT_DB_FILE, storeFromEnv } from '../activities/store';
import { flagProviderFromEnv } from '../activities/flags';
import { PostedMetricsProvider, PostedMetricsStore } from '../activities/metrics/posted';
import { PrometheusMetricsProvider, prometheusConfigFromEnv } from '../activities/metrics/prometheus';
import { prepareNotice } from '../activities/notices/prepare';
import { llmSettingsFromEnv } from '../activities/notices/llm';
import { deliveryFromEnv, notifierFromEnv } from '../activities/delivery';
import { noticeRecipient } from '../shared/notices/facts';
import { createReports } from '../activities/reports/reports';
import type { MetricsProvider } from '../activities/ports';
import type { RolloutDeps } from '../activities/rollout';
import type { AppStore } from '../activities/store/types';
import { noticeReviewSecondsFromEnv } from '../activities/notices/review';

export function rolloutDepsFromEnv(env: NodeJS.ProcessEnv = process.env): RolloutDeps & { store: AppStore; close(): Promise<void> } {
  // Checked before anything opens, so a bad value leaves nothing half-started.
  const reviewSeconds = noticeReviewSecondsFromEnv(env);
  const store = storeFromEnv(env);
  const flags = flagProviderFromEnv(env, store);
  let posted: PostedMetricsStore | undefined;
  let metrics: MetricsProvider;
  if (env.RINGMASTER_PROMETHEUS_URL) {
    metrics = new PrometheusMetricsProvider(prometheusConfigFromEnv(env));
  } else {
    // Metrics posted to the API land in this file; the worker reads the same one.
    posted = new PostedMetricsStore({ path: env.RINGMASTER_METRICS_DB || env.RINGMASTER_DB_FILE || DEFAULT_DB_FILE });
    metrics = new PostedMetricsProvider(posted);
  }
  const llm = llmSettingsFromEnv(env);
  const delivery = deliveryFromEnv(env);
  const autoSend = env.RINGMASTER_NOTICE_AUTOSEND === 'true';
  return {
    store, flags, metrics,
    notices: {
      reviewSeconds,
      async prepare({ rolloutId, tenant, feature, wave, allSystemsKnown }) {
        const notice = await prepareNotice(tenant, feature, { id: wave.id, start: wave.plannedStart, end: wave.plannedEnd, monitoringWindowSeconds: wave.monitoringWindowSeconds },
          { rolloutId, now: new Date().toISOString(), llm, allSystemsKnown });
        // By default notices wait as drafts for customer success to review and send (API).
        if (!autoSend) {
          await store.putNotice(notice);
          return notice;
        }
        // Stored once delivered, and as sent in one write: the activity skips a tenant that already
        // has a notice for the wave, so a draft left by a failed delivery would never go out.
        const to = noticeRecipient(tenant);
        const receipt = await delivery.deliver(notice, { email: to?.email, name: to?.name });
        const at = new Date().toISOString();
        const sent = { ...notice, status: 'sent' as const, sentAt: at, sentVia: receipt.channel, updatedAt: at };
        await store.putNotice(sent);
        return sent;
      },
    },
    notifier: notifierFromEnv(env),
    reports: createReports({ store, metrics, llm }),
    async close() {
      posted?.close();
      await store.close();
    },
  };
}
