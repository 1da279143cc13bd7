/** Small fetch helpers for REST tests. */
export function api(baseUrl: string, key: string | null) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    return {
      status: response.status,
      headers: response.headers,
      body: json as Record<string, unknown> & { data?: unknown[] },
    };
  };
}
