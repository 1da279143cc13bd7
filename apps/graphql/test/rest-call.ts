/** A REST answer: its status and its JSON body (null for a 204). */
export interface RestAnswer {
  status: number;
  body: unknown;
}

/** One REST request as any client sends it, whatever its status (RestSetup throws on errors). */
export async function restCall(
  baseUrl: string,
  apiKey: string,
  request: { method?: string; path: string; body?: unknown; headers?: Record<string, string> },
): Promise<RestAnswer> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method ?? 'GET',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...request.headers },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}
