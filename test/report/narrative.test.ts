import type { ServerResponse } from 'node:http';
import { narrateRetrospective } from '../../activities/reports/narrative';
import { buildHealthReport } from '../../shared/report/health';
import { checkNarrative, narrativeTemplate } from '../../shared/report/narrative';
import { buildRetrospective } from '../../shared/report/retrospective';
import { completion, sendJson, startLlmServer, type ChatRequest } from '../notices/llm-server';
import { healthInput, outcomes, plan, ROLLOUT } from './fleet';

const retro = buildRetrospective({
  rolloutId: ROLLOUT, plan, outcomes, health: buildHealthReport(healthInput()), audit: [], asOf: '2026-03-08T19:00:00.000Z',
});

const FAITHFUL = [
  'Smart Sync (smart-sync-2026-03) ran all 4 waves and took 106 h against the 4 d plan, 10 h longer, mostly while waiting for decisions.',
  'Fjord Travel, predicted low, was rolled back automatically in w2 on 2026-03-03 at 10:31 after 3 consecutive samples at or above its critical 2.6 % error rate (latest 8.1 % on 1,210 requests).',
  'The slowest decision was the go for w3, which took 6 h of the 8 h timeout; the median was 1 h.',
  'Dune Analytics also proved under-estimated, while Keystone Bank and Lumen Energy went through cleanly at high risk.',
  'Next time: find what sets Fjord Travel apart, book approvers ahead of w3, have customer success call Cedar Retail, Dune Analytics and Iris Media, and recruit an early tenant that uses SAP. Fjord Travel gets +20 risk points and Dune Analytics +5.',
].join('\n\n');

describe('narrateRetrospective', () => {
  let llm: Awaited<ReturnType<typeof startLlmServer>>;
  beforeAll(async () => { llm = await startLlmServer(); });
  afterAll(async () => { await llm.close(); });
  const settings = (timeoutMs = 2000) => ({ baseURL: llm.baseURL, apiKey: 'sk-local', model: 'local-test', timeoutMs });
  const answering = (narrative: string) => (_req: ChatRequest, res: ServerResponse) => sendJson(res, completion(JSON.stringify({ narrative })));

  it('tells the retrospective from the template when no LLM is configured', async () => {
    const n = await narrateRetrospective(retro);
    expect(n).toEqual({ text: narrativeTemplate(retro), source: 'template' });
    expect(n.text).toContain('1 tenant rolled back: Fjord Travel in w2 (predicted low): 3 consecutive samples at or above critical 2.60 %');
    expect(n.text).toContain('2 tiers proved under-estimated (Dune Analytics, Fjord Travel).');
    expect(n.text).toContain('Proposed risk-profile updates: Fjord Travel +20, Dune Analytics +5, Keystone Bank +0, Lumen Energy +0.');
    expect(checkNarrative(n.text, retro)).toEqual([]);
  });

  it('uses a faithful LLM narrative, written from the facts it was sent', async () => {
    llm.answer(answering(FAITHFUL));
    const n = await narrateRetrospective(retro, settings());
    expect(n).toEqual({ text: FAITHFUL, source: 'llm' });
    const sent = llm.requests[llm.requests.length - 1];
    expect(sent.authorization).toBe('Bearer sk-local');
    expect(sent.body.response_format).toEqual({ type: 'json_object' });
    expect(JSON.parse(sent.body.messages[1].content).rollbacks).toEqual([expect.objectContaining({ tenant: 'Fjord Travel', wave: 'w2' })]);
  });

  it.each<[string, (req: ChatRequest, res: ServerResponse) => void | Promise<void>, number, string]>([
    ['an invented tenant', answering(FAITHFUL.replace('Dune Analytics also', 'Globex Corporation and Dune Analytics also')), 2000,
      'LLM narrative failed the fact check: mentions "Globex", which is not a tenant, wave or term in the facts; mentions "Corporation", which is not a tenant, wave or term in the facts'],
    ['an invented number', answering(FAITHFUL.replace('latest 8.1 %', 'latest 12.4 %')), 2000, 'LLM narrative failed the fact check: mentions the number 12.4, which is not in the facts'],
    ['an invented date', answering(FAITHFUL.replace('2026-03-03', '2026-03-12')), 2000, 'LLM narrative failed the fact check: mentions the date or time "2026-03-12", which is not in the facts'],
    ['a left-out rollback', answering(FAITHFUL.replace(/Fjord Travel/g, 'one tenant')), 2000, 'LLM narrative failed the fact check: leaves out the rollback of Fjord Travel'],
    ['a reply that is not JSON', (_q, res) => sendJson(res, completion('Here is your narrative: it went well.')), 2000, 'LLM reply is not valid JSON'],
    ['a reply of the wrong shape', (_q, res) => sendJson(res, completion(JSON.stringify({ text: FAITHFUL }))), 2000, 'LLM reply does not have the narrative shape: narrative:'],
    ['an endpoint error', (_q, res) => sendJson(res, JSON.stringify({ error: { message: 'model overloaded' } }), 503), 2000, 'LLM endpoint answered HTTP 503'],
    ['a timeout', async (_q, res) => { await new Promise((r) => setTimeout(r, 1500)); sendJson(res, completion(JSON.stringify({ narrative: FAITHFUL }))); }, 300,
      'LLM did not answer within 300 ms'],
  ])('falls back to the template on %s, with the reason', async (_name, reply, timeoutMs, reason) => {
    llm.answer(reply);
    const n = await narrateRetrospective(retro, settings(timeoutMs));
    expect(n.source).toBe('template');
    expect(n.text).toBe(narrativeTemplate(retro));
    expect(n.fallbackReason).toContain(reason);
  });

  it('falls back when the endpoint is not there at all', async () => {
    const n = await narrateRetrospective(retro, { ...settings(), baseURL: 'http://127.0.0.1:9/v1' });
    expect(n).toMatchObject({ source: 'template', fallbackReason: expect.stringMatching(/^LLM endpoint unreachable/) });
  });
});
