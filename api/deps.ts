import type { NoticeDelivery } from '../activities/delivery/types';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppStore } from '../activities/store/types';
import type { PostedMetricsStore } from '../activities/metrics/posted';
import type { ofrepRouter } from './ofrep';

export interface TemporalDeps {
  client: Client;
  taskQueue: string;
  namespace: string;
  /** Temporal Web UI, for the links the API hands out. */
  uiBaseUrl?: string;
}

export interface AppDeps {
  store: AppStore;
  temporal: TemporalDeps;
  /** What the OFREP endpoints evaluate flags against. */
  flags: Parameters<typeof ofrepRouter>[0];
  /** How an approved notice is sent (file, Slack, SMTP); without it sending only records the send. */
  delivery?: NoticeDelivery;
  /** Where POST /api/v1/metrics writes; without it that endpoint answers 404. */
  postedMetrics?: PostedMetricsStore;
  logger?: Logger;
  /** Review time for notice drafts that plan previews give, as the worker's rollouts do (none if unset). */
  noticeReviewSeconds?: number;
}

export const DEFAULT_UI_URL = 'http://localhost:8233';

export function workflowUiUrl(temporal: TemporalDeps, workflowId: string): string {
  const base = (temporal.uiBaseUrl ?? DEFAULT_UI_URL).replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
