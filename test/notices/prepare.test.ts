import { llmSettingsFromEnv } from '../../activities/notices/llm';
import { noticeId, prepareNotice } from '../../activities/notices/prepare';
import { noticeFacts } from '../../shared/notices/facts';
import { renderNotice } from '../../shared/notices/render';
import { acme, approvalsV2, fleetSystems, lotus, wave2 } from './fixtures';
import { completion, sendJson, startLlmServer, type ChatRequest } from './llm-server';

const now = '2026-12-01T09:00:00.000Z';
const draftOf = (req: ChatRequest) => (JSON.parse(req.messages[1].content) as { draft: { subject: string; markdown: string; text: string } }).draft;
/** What a well-behaved model does: rewords the opening and keeps every fact. */
const reword = (s: string) => s.replace('We will enable', 'We are pleased to let you know that we will enable').replace('我们将在', '我们计划在');

describe('prepareNotice', () => {
  let llm: Awaited<ReturnType<typeof startLlmServer>>;
  beforeAll(async () => { llm = await startLlmServer(); });
  afterAll(async () => { await llm.close(); });

  const settings = () => ({ baseURL: llm.baseURL, apiKey: 'sk-local', model: 'local-test', timeoutMs: 1500 });
  const prepare = (tenant = acme, timeoutMs?: number) => prepareNotice(tenant, approvalsV2, wave2, {
    rolloutId: 'rel-2026-12', now, allSystemsKnown: fleetSystems, llm: { ...settings(), ...(timeoutMs ? { timeoutMs } : {}) },
  });
  const template = (tenant = acme) => renderNotice(noticeFacts(tenant, approvalsV2, wave2, { rolloutId: 'rel-2026-12' }));

  it('without an LLM, the template is the notice', async () => {
    const n = await prepareNotice(acme, approvalsV2, wave2, { rolloutId: 'rel-2026-12', now, allSystemsKnown: fleetSystems });
    expect(n).toEqual({
      id: noticeId('rel-2026-12', 'w2', 'acme'), rolloutId: 'rel-2026-12', waveId: 'w2', tenantId: 'acme', locale: 'en',
      ...template(), source: 'template', status: 'draft', createdAt: now, updatedAt: now,
    });
  });

  it('a good polish is accepted and recorded as the LLM\'s', async () => {
    llm.answer((req, res) => {
      const d = draftOf(req);
      sendJson(res, completion(JSON.stringify({ subject: d.subject, markdown: reword(d.markdown), text: reword(d.text) })));
    });
    const n = await prepare();
    expect(n.source).toBe('llm');
    expect(n.fallbackReason).toBeUndefined();
    expect(n.markdown).toContain('We are pleased to let you know that we will enable **Approvals v2**');
    expect(n.text).toContain('We are pleased to let you know');

    const sent = llm.requests.at(-1)!;
    expect(sent.authorization).toBe('Bearer sk-local');
    expect(sent.body.model).toBe('local-test');
    expect(sent.body.response_format).toEqual({ type: 'json_object' });
    expect(sent.body.messages[0].content).toContain('Tue 8 Dec 2026, 09:00–11:00 (America/New_York)');
    // The model never sees the steps withheld from this tenant.
    expect(sent.body.messages[1].content).not.toMatch(/slack/i);
  });

  it('a Chinese polish for a zh-CN tenant is asked for in Simplified Chinese, fences and all', async () => {
    llm.answer((req, res) => {
      const d = draftOf(req);
      sendJson(res, completion('```json\n' + JSON.stringify({ subject: d.subject, markdown: reword(d.markdown), text: reword(d.text) }) + '\n```'));
    });
    const n = await prepare(lotus);
    expect(llm.requests.at(-1)!.body.messages[0].content).toContain('in Simplified Chinese');
    expect(n).toMatchObject({ source: 'llm', locale: 'zh-CN' });
    expect(n.markdown).toContain('我们计划在以下时间窗口');
  });

  it('an invented integration sends it back to the template, with the reason', async () => {
    llm.answer((req, res) => {
      const d = draftOf(req);
      const add = '\nYour Slack workspace will also receive approval requests.';
      sendJson(res, completion(JSON.stringify({ subject: d.subject, markdown: d.markdown + add, text: d.text + add })));
    });
    const n = await prepare();
    expect(n.source).toBe('template');
    expect(n.fallbackReason).toBe('LLM text failed the fact check: mentions Slack, an integration Acme Logistics does not have');
    expect({ subject: n.subject, markdown: n.markdown, text: n.text }).toEqual(template());
  });

  it.each([
    ['malformed JSON', completion('Sure! Here is your notice: {"subject": "Change'), /^LLM reply is not valid JSON \(/],
    ['the wrong shape', completion(JSON.stringify({ subject: 'Heads up', body: 'Approvals v2 is coming' })), /^LLM reply does not have the notice shape: markdown: .*; text: /],
    ['an empty reply', completion(''), /^LLM reply had no content$/],
    ['a cut-off reply', completion('{"subject": "Sched', 'length'), /^LLM reply was cut off/],
  ])('%s falls back to the template', async (_name, body, reason) => {
    llm.answer((_req, res) => sendJson(res, body));
    const n = await prepare();
    expect(n.source).toBe('template');
    expect(n.fallbackReason).toMatch(reason);
    expect(n.markdown).toBe(template().markdown);
  });

  it('an endpoint error falls back with its status', async () => {
    llm.answer((_req, res) => sendJson(res, JSON.stringify({ error: { message: 'model not loaded', type: 'invalid_request_error' } }), 400));
    const n = await prepare();
    expect(n).toMatchObject({ source: 'template', fallbackReason: 'LLM endpoint answered HTTP 400: 400 model not loaded' });
  });

  it('a slow endpoint times out into the template', async () => {
    llm.answer(async (req, res) => {
      await new Promise((r) => setTimeout(r, 2000));
      if (!res.destroyed) sendJson(res, completion(JSON.stringify(draftOf(req))));
    });
    const n = await prepare(acme, 300);
    expect(n).toMatchObject({ source: 'template', fallbackReason: 'LLM did not answer within 300 ms' });
  });

  it('a body that stalls after the headers also times out', async () => {
    llm.answer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"id":'); });
    const n = await prepare(acme, 300);
    expect(n).toMatchObject({ source: 'template', fallbackReason: 'LLM did not answer within 300 ms' });
  });

  it('an unreachable endpoint falls back', async () => {
    const n = await prepareNotice(acme, approvalsV2, wave2, {
      rolloutId: 'rel-2026-12', now, allSystemsKnown: fleetSystems, llm: { ...settings(), baseURL: 'http://127.0.0.1:9/v1' },
    });
    expect(n.source).toBe('template');
    expect(n.fallbackReason).toMatch(/^LLM endpoint unreachable: /);
  });
});

describe('noticeId', () => {
  it('is the same for the same rollout, wave and tenant, and differs otherwise', () => {
    expect(noticeId('r1', 'w2', 'acme')).toBe(noticeId('r1', 'w2', 'acme'));
    expect(new Set([noticeId('r1', 'w2', 'acme'), noticeId('r1', 'w3', 'acme'), noticeId('r1', 'w2', 'lotus'), noticeId('r1.w2', '', 'acme')]).size).toBe(4);
  });
});

describe('llmSettingsFromEnv', () => {
  it.each([
    [{}, undefined],
    [{ RINGMASTER_LLM_BASE_URL: '' }, undefined],
    [{ RINGMASTER_LLM_BASE_URL: 'http://127.0.0.1:11434/v1', RINGMASTER_LLM_MODEL: 'qwen2.5:7b' }, { baseURL: 'http://127.0.0.1:11434/v1', apiKey: 'not-needed', model: 'qwen2.5:7b', timeoutMs: 20000 }],
    [{ RINGMASTER_LLM_BASE_URL: 'https://api.example.com/v1', RINGMASTER_LLM_MODEL: 'gpt-x', RINGMASTER_LLM_API_KEY: 'sk-1', RINGMASTER_LLM_TIMEOUT_MS: '5000' }, { baseURL: 'https://api.example.com/v1', apiKey: 'sk-1', model: 'gpt-x', timeoutMs: 5000 }],
  ])('%j', (env, expected) => {
    expect(llmSettingsFromEnv(env)).toEqual(expected);
  });

  it.each([
    [{ RINGMASTER_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'LLM settings: RINGMASTER_LLM_MODEL is required when RINGMASTER_LLM_BASE_URL is set'],
    [{ RINGMASTER_LLM_BASE_URL: 'localhost', RINGMASTER_LLM_MODEL: 'm' }, /^LLM settings: RINGMASTER_LLM_BASE_URL: expected the base URL/],
    [{ RINGMASTER_LLM_BASE_URL: 'http://x/v1', RINGMASTER_LLM_MODEL: 'm', RINGMASTER_LLM_TIMEOUT_MS: 'soon' }, /^LLM settings: RINGMASTER_LLM_TIMEOUT_MS: /],
  ])('rejects %j', (env, message) => {
    expect(() => llmSettingsFromEnv(env)).toThrow(message);
  });
});
