import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import type { NoticeFacts } from '../../shared/notices/facts';
import type { RenderedNotice } from '../../shared/notices/render';

export interface LlmSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** Why a polish attempt was not used, in words a reviewer can act on. */
export class NoticePolishError extends Error {
  override name = 'NoticePolishError';
}

const DEFAULT_TIMEOUT_MS = 20_000;

const LlmEnv = z.object({
  RINGMASTER_LLM_BASE_URL: z.url({ message: 'expected the base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1' }).optional(),
  // Local servers (llama.cpp, Ollama, vLLM) ignore the key, but the SDK insists on one.
  RINGMASTER_LLM_API_KEY: z.string().min(1).default('not-needed'),
  RINGMASTER_LLM_MODEL: z.string().min(1).optional(),
  RINGMASTER_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_TIMEOUT_MS),
});

/** LLM polish is opt-in: no base URL, no LLM, and notices come from the template alone. */
export function llmSettingsFromEnv(env: Record<string, string | undefined>): LlmSettings | undefined {
  const parsed = LlmEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new Error(`LLM settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  if (!e.RINGMASTER_LLM_BASE_URL) return undefined;
  if (!e.RINGMASTER_LLM_MODEL) throw new Error('LLM settings: RINGMASTER_LLM_MODEL is required when RINGMASTER_LLM_BASE_URL is set');
  return { baseURL: e.RINGMASTER_LLM_BASE_URL, apiKey: e.RINGMASTER_LLM_API_KEY, model: e.RINGMASTER_LLM_MODEL, timeoutMs: e.RINGMASTER_LLM_TIMEOUT_MS };
}

const PolishedNotice = z.object({
  subject: z.string().trim().min(1).max(300).refine((s) => !s.includes('\n'), { message: 'subject must be one line' }),
  markdown: z.string().trim().min(1),
  text: z.string().trim().min(1),
});

const LANGUAGE = { en: 'English', 'zh-CN': 'Simplified Chinese' } as const;

function instructions(facts: NoticeFacts): string {
  return [
    'You edit customer notices for a B2B software vendor.',
    `Improve the wording and flow of the draft notice in a professional, concise B2B tone, in ${LANGUAGE[facts.locale]}.`,
    'Use only the facts given. Do not add integrations, systems, dates, times, preparation steps, people, e-mail addresses, links or promises that are not in the facts.',
    `Keep the tenant name "${facts.tenant.name}" and the window "${facts.window.local}" exactly as written, and keep the contacts.`,
    'Keep the markdown headings and lists.',
    'Reply with one JSON object and nothing else: {"subject": string, "markdown": string, "text": string}, where "text" is the same notice as plain text without markdown.',
  ].join('\n');
}

/** What the model may see: the facts shown to the tenant, not the steps withheld from it. */
function shownFacts(facts: NoticeFacts) {
  const { notApplicableSteps: _withheld, rolloutId: _rollout, waveId: _wave, ...shown } = facts;
  return shown;
}

/** Models often wrap JSON in a code fence despite being asked not to; the fence carries no meaning. */
function unfence(content: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(content);
  return m ? m[1] : content;
}

function explain(err: unknown, timeoutMs: number, deadline: AbortSignal): NoticePolishError {
  if (err instanceof NoticePolishError) return err;
  // Past the headers the abort surfaces as a bare AbortError, so ask the deadline, not the error.
  if (deadline.aborted || err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) return new NoticePolishError(`LLM did not answer within ${timeoutMs} ms`);
  if (err instanceof APIError && err.status !== undefined) return new NoticePolishError(`LLM endpoint answered HTTP ${err.status}: ${err.message}`);
  if (err instanceof APIError) return new NoticePolishError(`LLM endpoint unreachable: ${err.message}`);
  return new NoticePolishError(`LLM polish failed: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Asks an OpenAI-compatible endpoint to polish the template draft. Resolves with validated text
 * or rejects with a NoticePolishError; it never judges facts (that is the fact check's job).
 */
export async function polishNotice(draft: RenderedNotice, facts: NoticeFacts, opts: LlmSettings): Promise<RenderedNotice> {
  // No SDK retries: the template is a good answer, and a retry would double the wait for it.
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, timeout: opts.timeoutMs, maxRetries: 0 });
  // The SDK's own timeout stops at the response headers; this deadline also covers a stalled body.
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  try {
    const completion = await client.chat.completions.create({
      model: opts.model,
      temperature: 0.2,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: instructions(facts) },
        { role: 'user', content: JSON.stringify({ facts: shownFacts(facts), draft }) },
      ],
    }, { signal: deadline });
    const choice = completion.choices?.[0];
    if (choice?.finish_reason === 'length') throw new NoticePolishError('LLM reply was cut off (finish_reason "length")');
    const content = choice?.message?.content;
    if (!content) throw new NoticePolishError('LLM reply had no content');
    let json: unknown;
    try {
      json = JSON.parse(unfence(content));
    } catch (e) {
      throw new NoticePolishError(`LLM reply is not valid JSON (${(e as Error).message})`);
    }
    const parsed = PolishedNotice.safeParse(json);
    if (!parsed.success) {
      throw new NoticePolishError(`LLM reply does not have the notice shape: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  } catch (err) {
    throw explain(err, opts.timeoutMs, deadline);
  }
}
