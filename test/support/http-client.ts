/** HTTP helpers shared by the integration tests: one way to post JSON and to read a server-sent event stream. */

/** POSTs `body` (a string is sent as is, anything else as JSON) to `baseUrl + route`. */
export function postJson(baseUrl: string, route: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `POST /api/chat`. */
export function postChat(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return postJson(baseUrl, '/api/chat', body, headers);
}

export interface ServerSentEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Reads a server-sent event stream to its end: the events in order, with their parsed data. */
export async function readServerSentEvents(response: Response): Promise<ServerSentEvent[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}
