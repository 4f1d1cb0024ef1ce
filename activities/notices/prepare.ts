import { createHash } from 'node:crypto';
import type { Feature } from '../../shared/model/feature';
import type { Tenant } from '../../shared/model/tenant';
import { checkNoticeAgainstFacts } from '../../shared/notices/fact-check';
import { noticeFacts, type NoticeFacts, type NoticeWave } from '../../shared/notices/facts';
import { renderNotice, type RenderedNotice } from '../../shared/notices/render';
import type { Notice } from '../ports';
import { type LlmSettings, NoticePolishError, polishNotice } from './llm';

/** One notice per rollout, wave and tenant: a retried activity overwrites it instead of adding one. */
export function noticeId(rolloutId: string, waveId: string, tenantId: string): string {
  return `notice-${createHash('sha256').update(JSON.stringify([rolloutId, waveId, tenantId])).digest('hex').slice(0, 24)}`;
}

type Outcome = { text: RenderedNotice; source: 'llm' } | { text: RenderedNotice; source: 'template'; fallbackReason?: string };

async function polishedOrTemplate(draft: RenderedNotice, facts: NoticeFacts, llm: LlmSettings | undefined, allSystemsKnown: string[]): Promise<Outcome> {
  if (!llm) return { text: draft, source: 'template' };
  let polished: RenderedNotice;
  try {
    polished = await polishNotice(draft, facts, llm);
  } catch (err) {
    return { text: draft, source: 'template', fallbackReason: err instanceof NoticePolishError ? err.message : String(err) };
  }
  const check = checkNoticeAgainstFacts(polished, facts, allSystemsKnown);
  return check.ok
    ? { text: polished, source: 'llm' }
    : { text: draft, source: 'template', fallbackReason: `LLM text failed the fact check: ${check.problems.join('; ')}` };
}

/**
 * The tenant's notice for a wave, as a draft for customer success to review. The template is
 * always rendered; an LLM polish replaces it only when it passes the fact check.
 */
export async function prepareNotice(
  tenant: Tenant,
  feature: Feature,
  wave: NoticeWave,
  ctx: { rolloutId: string; now: string; llm?: LlmSettings; allSystemsKnown: string[] },
): Promise<Notice> {
  const facts = noticeFacts(tenant, feature, wave, { rolloutId: ctx.rolloutId });
  const outcome = await polishedOrTemplate(renderNotice(facts), facts, ctx.llm, ctx.allSystemsKnown);
  return {
    id: noticeId(ctx.rolloutId, wave.id, tenant.id),
    rolloutId: ctx.rolloutId,
    waveId: wave.id,
    tenantId: tenant.id,
    locale: facts.locale,
    ...outcome.text,
    source: outcome.source,
    ...(outcome.source === 'template' && outcome.fallbackReason ? { fallbackReason: outcome.fallbackReason } : {}),
    status: 'draft',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}
