import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  response_format?: { type: string };
  messages: { role: string; content: string }[];
}

/** How the fake model answers one request: the reply body, or a status and raw body. */
export type Reply = (req: ChatRequest, res: ServerResponse) => void | Promise<void>;

/** A local OpenAI-compatible endpoint: POST /v1/chat/completions, answered by the test's reply. */
export async function startLlmServer() {
  const requests: { body: ChatRequest; authorization?: string }[] = [];
  let reply: Reply = (_req, res) => { res.statusCode = 500; res.end(); };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') { res.statusCode = 404; res.end(); return; }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    requests.push({ body, authorization: req.headers.authorization });
    await reply(body, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    answer(r: Reply) { reply = r; },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A chat completion whose message content is the given string. */
export function completion(content: string, finishReason = 'stop') {
  return JSON.stringify({
    id: 'chatcmpl-test', object: 'chat.completion', created: 1_760_000_000, model: 'local-test',
    choices: [{ index: 0, finish_reason: finishReason, message: { role: 'assistant', content } }],
  });
}

export function sendJson(res: ServerResponse, body: string, status = 200) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(body);
}
