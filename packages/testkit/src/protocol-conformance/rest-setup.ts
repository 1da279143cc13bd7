/** Minimal REST calls the conformance suite uses to arrange state, whatever protocol is under test. */
export class RestSetup {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async createAgent(body: Record<string, unknown> = {}): Promise<string> {
    return (await this.request<{ id: string }>('POST', '/v1/agents', body)).id;
  }

  /** The stored history; `content` is a string, or the parts of a user message with images. */
  async messages(agentId: string): Promise<{ role: string; content: unknown; tool_call_id?: string }[]> {
    return (
      await this.request<{ data: { role: string; content: unknown }[] }>(
        'GET',
        `/v1/agents/${agentId}/messages?limit=1000`,
      )
    ).data;
  }

  async memory(agentId: string): Promise<{ label: string; value: string }[]> {
    return (await this.request<{ blocks: { label: string; value: string }[] }>('GET', `/v1/agents/${agentId}/memory`))
      .blocks;
  }
}
