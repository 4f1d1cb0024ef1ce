import type { NoticeFacts } from './facts';
import type { RenderedNotice } from './render';
import { mentionsSystem, systemDisplayName, withoutSystems } from './systems';

export type FactCheck = { ok: true } | { ok: false; problems: string[] };

/** Compares text the way a reader would: markup, case, dash style and spacing do not count. */
function normalise(s: string): string {
  return s.replace(/[*`]/g, '').replace(/[‐‑‒–—−]/g, '-').replace(/\s+/g, ' ').toLowerCase().trim();
}

/** Everything the facts themselves say; a system named here may be named in the notice. */
function factText(facts: NoticeFacts): string {
  return [facts.feature.name, facts.feature.summary, facts.rollback.how, ...facts.changes.map((c) => c.description), ...facts.preparationSteps].join('\n');
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Holds a candidate notice (typically an LLM's polish) against the facts it was written from:
 * it must name the tenant, its window and a contact in both bodies, and must not bring in an
 * integration the tenant lacks, a preparation step for another configuration, or an unknown address.
 */
export function checkNoticeAgainstFacts(candidate: RenderedNotice, facts: NoticeFacts, allSystemsKnown: string[]): FactCheck {
  const problems: string[] = [];
  const tenant = facts.tenant.name;
  const bodies = { markdown: candidate.markdown, text: candidate.text };

  for (const [name, body] of Object.entries(bodies)) {
    const b = normalise(body);
    if (!b.includes(normalise(tenant))) problems.push(`${name} does not name the tenant "${tenant}"`);
    if (!b.includes(normalise(facts.window.local))) problems.push(`${name} does not state the window "${facts.window.local}"`);
    const named = facts.contacts.some((c) => b.includes(normalise(c.name)) || (c.email !== undefined && b.includes(normalise(c.email))));
    if (!named) problems.push(`${name} names none of the contacts (${facts.contacts.map((c) => c.name).join(', ')})`);
  }

  const all = `${candidate.subject}\n${candidate.markdown}\n${candidate.text}`;
  const allowed = new Set([...facts.tenant.systems, ...allSystemsKnown.filter((s) => mentionsSystem(factText(facts), s))].map((s) => s.toLowerCase()));
  const foreign = withoutSystems(all, [...allowed]);
  for (const system of new Set(allSystemsKnown.map((s) => s.toLowerCase()))) {
    if (!allowed.has(system) && mentionsSystem(foreign, system)) {
      problems.push(`mentions ${systemDisplayName(system)}, an integration ${tenant} does not have`);
    }
  }

  const normalisedAll = normalise(all);
  for (const step of facts.notApplicableSteps) {
    if (normalisedAll.includes(normalise(step))) problems.push(`includes the preparation step "${step}", which does not apply to ${tenant}`);
  }

  const knownEmails = new Set(facts.contacts.flatMap((c) => (c.email ? [c.email.toLowerCase()] : [])));
  for (const email of new Set(all.match(EMAIL) ?? [])) {
    if (!knownEmails.has(email.toLowerCase())) problems.push(`names the e-mail address ${email}, which is not one of the notice's contacts`);
  }

  return problems.length ? { ok: false, problems } : { ok: true };
}
