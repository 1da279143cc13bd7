import { DEFAULT_MAX_ATTACHMENT_BYTES } from '@memgate/core';
import { expect, it } from 'vitest';
import { pngDataUri } from '../image-fixtures.ts';
import { sendMessage } from '../mock-upstream/index.ts';
import { type ConformanceTarget, type ProtocolClient, turnIdsOf } from './protocol-client.ts';
import type { RestSetup } from './rest-setup.ts';
import { expectWellFormedStream, streamedText } from './stream-assertions.ts';

/** What the image cases need from the suite's current test. */
export interface ImageCaseContext {
  target: ConformanceTarget;
  client: ProtocolClient;
  rest: RestSetup;
  agentId: string;
}

const CAT_URL = 'https://images.example.com/cat.png';

function lastUserContent(target: ConformanceTarget, request: number): unknown {
  const body = target.upstream.requests[request]?.body;
  return body?.messages.findLast((message) => message.role === 'user')?.content;
}

/** Image parts (issue 11, item 3): the same answers, stored parts and errors on every protocol. */
export function describeImageConformance(current: () => ImageCaseContext): void {
  it('stores images with the message, sends them upstream while in the window and shows them as sent', async () => {
    const { target, client, rest, agentId } = current();
    const data = pngDataUri(2048);
    const parts = [
      { type: 'text', text: 'What is in these pictures?' },
      { type: 'image_url', image_url: { url: CAT_URL, detail: 'low' } },
      { type: 'image_url', image_url: { url: data } },
    ];
    target.upstream.script(sendMessage('A cat and a PNG.'), sendMessage('Still the cat.'));
    const first = await client.complete({
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: parts }],
    });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.completion.choices[0]?.message.content).toBe('A cat and a PNG.');
    expect(lastUserContent(target, 0)).toEqual(parts);

    const stored = await rest.messages(agentId);
    expect(stored[0]).toMatchObject({ role: 'user', content: parts });

    // The next turn (streamed) still sends the images: their message is in the window.
    const second = await client.stream({
      model: 'mock-model',
      user: agentId,
      stream: true,
      messages: [{ role: 'user', content: 'And now?' }],
    });
    if (!second.ok) throw new Error(second.error.message);
    expectWellFormedStream(second.chunks, false, turnIdsOf(client));
    expect(streamedText(second.chunks)).toBe('Still the cat.');
    const upstreamMessages = target.upstream.requests[1]?.body.messages ?? [];
    expect(upstreamMessages.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
      parts,
      'And now?',
    ]);
  });

  const refusals: [string, number, RegExp, () => unknown[]][] = [
    [
      'an image URL with a file: scheme',
      422,
      /https:, http: or a base64 data: URI/,
      () => [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }],
    ],
    [
      'a malformed data URI',
      422,
      /Malformed data URI/,
      () => [{ type: 'image_url', image_url: { url: 'data:image/png;base64,@@' } }],
    ],
    [
      'an input_audio part',
      422,
      /not supported: input_audio/,
      () => [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
    ],
    ['a file part', 422, /not supported: (input_)?file/, () => [{ type: 'file', file: { file_id: 'file-abc' } }]],
    [
      'an image one byte over the attachment limit',
      413,
      /images may be at most/,
      () => [{ type: 'image_url', image_url: { url: pngDataUri(DEFAULT_MAX_ATTACHMENT_BYTES + 1) } }],
    ],
  ];
  for (const [label, status, message, extraParts] of refusals) {
    it(`refuses ${label} with ${status} and stores nothing`, async () => {
      const { target, client, rest, agentId } = current();
      const outcome = await client.complete({
        model: 'mock-model',
        user: agentId,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Look' }, ...extraParts()] }],
      });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.status).toBe(status);
      expect(outcome.error.message).toMatch(message);
      expect(await rest.messages(agentId)).toEqual([]);
      expect(target.upstream.requests).toHaveLength(0);
    });
  }

  it('refuses an image in a system message with 422, as OpenAI does', async () => {
    const { client, agentId } = current();
    const outcome = await client.complete({
      model: 'mock-model',
      user: agentId,
      messages: [
        { role: 'system', content: [{ type: 'image_url', image_url: { url: CAT_URL } }] },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(outcome.ok ? 200 : outcome.error.status).toBe(422);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/only allowed in user messages/);
  });

  it('accepts an image of exactly the attachment limit (the default body limit leaves room for it)', async () => {
    const { target, client, rest, agentId } = current();
    target.upstream.script(sendMessage('Big picture.'));
    const url = pngDataUri(DEFAULT_MAX_ATTACHMENT_BYTES);
    const outcome = await client.complete({
      model: 'mock-model',
      user: agentId,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.completion.choices[0]?.message.content).toBe('Big picture.');
    const [stored] = await rest.messages(agentId);
    expect(stored?.content).toEqual([{ type: 'image_url', image_url: { url } }]);
  });
}
