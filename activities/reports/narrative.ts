import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { checkNarrative, narrativeFacts, narrativeTemplate } from '../../shared/report/narrative';
import type { Retrospective } from '../../shared/report/retrospective';
import type { LlmSettings } from '../notices/llm';

export interface Narrative {
  text: string;
  /** Which path produced the text. */
  source: 'template' | 'llm';
  /** Why the LLM text was not used, when it was tried. */
  fallbackReason?: string;
}

const LlmNarrative = z.strictObject({
  narrative: z.string().trim().min(80, 'narrative is too short to tell the retrospective').max(8000),
});

const INSTRUCTIONS = [
  'You write the narrative of a feature-rollout retrospective for engineering and customer-success leads.',
  'Tell what happened and what to change, in clear professional English, in 3 to 6 short paragraphs.',
  'Use only the facts given. Do not add tenants, people, numbers, dates, causes or outcomes that are not in the facts;',
  'name tenants exactly as written, and mention every rolled-back tenant.',
  'Reply with one JSON object and nothing else: {"narrative": string}.',
].join('\n');

/**
 * The retrospective as prose. The template always works; with LLM settings the model may write it
 * instead, but its text is used only when it passes the fact check — otherwise the template is
 * returned with the reason, so a reviewer sees why.
 */
export async function narrateRetrospective(retro: Retrospective, llm?: LlmSettings): Promise<Narrative> {
  const template = narrativeTemplate(retro);
  if (!llm) return { text: template, source: 'template' };
  try {
    const text = await askModel(retro, llm);
    const problems = checkNarrative(text, retro);
    if (problems.length > 0) return { text: template, source: 'template', fallbackReason: `LLM narrative failed the fact check: ${problems.join('; ')}` };
    return { text, source: 'llm' };
  } catch (err) {
    return { text: template, source: 'template', fallbackReason: (err as Error).message };
  }
}

async function askModel(retro: Retrospective, llm: LlmSettings): Promise<string> {
  // No SDK retries: the template is a good answer, and a retry would double the wait for it.
  const client = new OpenAI({ baseURL: llm.baseURL, apiKey: llm.apiKey, timeout: llm.timeoutMs, maxRetries: 0 });
  // The SDK's timeout stops at the response headers; this deadline also covers a stalled body.
  const deadline = AbortSignal.timeout(llm.timeoutMs);
  let content: string | null | undefined;
  try {
    const completion = await client.chat.completions.create({
      model: llm.model,
      temperature: 0.2,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: JSON.stringify(narrativeFacts(retro)) },
      ],
    }, { signal: deadline });
    const choice = completion.choices?.[0];
    if (choice?.finish_reason === 'length') throw new Error('LLM reply was cut off (finish_reason "length")');
    content = choice?.message?.content;
  } catch (err) {
    if (deadline.aborted || err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) throw new Error(`LLM did not answer within ${llm.timeoutMs} ms`);
    if (err instanceof APIError) throw new Error(err.status !== undefined ? `LLM endpoint answered HTTP ${err.status}: ${err.message}` : `LLM endpoint unreachable: ${err.message}`);
    throw err;
  }
  if (!content) throw new Error('LLM reply had no content');
  let json: unknown;
  try {
    // Models often fence JSON despite being asked not to; the fence carries no meaning.
    json = JSON.parse(content.replace(/^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/, '$1'));
  } catch (e) {
    throw new Error(`LLM reply is not valid JSON (${(e as Error).message})`);
  }
  const parsed = LlmNarrative.safeParse(json);
  if (!parsed.success) throw new Error(`LLM reply does not have the narrative shape: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data.narrative;
}
