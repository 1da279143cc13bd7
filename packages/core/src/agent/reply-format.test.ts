import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../schemas/chat-request.ts';
import { plainTextReply, replyFormatOf, structuredReply } from './reply-format.ts';

const withSchema = (schema: Record<string, unknown>) =>
  ({ response_format: { type: 'json_schema', json_schema: { name: 'shape', schema } } }) as ChatCompletionRequest;

const point = {
  type: 'object',
  properties: { x: { type: 'number' } },
  required: ['x'],
  additionalProperties: false,
};

describe('replyFormatOf', () => {
  it('is null for text and absent formats', () => {
    expect(replyFormatOf({} as ChatCompletionRequest)).toBeNull();
    expect(replyFormatOf({ response_format: { type: 'text' } } as ChatCompletionRequest)).toBeNull();
  });

  it('validates replies against a draft-07 schema and names what is wrong', () => {
    const format = replyFormatOf(withSchema({ $schema: 'http://json-schema.org/draft-07/schema#', ...point }))!;
    expect(structuredReply(format, { x: 1 })).toEqual({ json: '{"x":1}' });
    expect(structuredReply(format, { x: 'one' })).toEqual({ problem: '/x must be number' });
  });

  it('compiles 2020-12 schemas, and the same $id twice', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/point.json',
      ...point,
    };
    replyFormatOf(withSchema(schema));
    const format = replyFormatOf(withSchema({ ...schema }))!;
    expect(format.check({ x: 2 })).toBeNull();
  });

  it('refuses a malformed schema with a 422 at the schema field', () => {
    expect(() => replyFormatOf(withSchema({ type: 'banana' }))).toThrow(
      expect.objectContaining({ status: 422, param: 'response_format.json_schema.schema' }),
    );
  });

  it('accepts the JSON sent as a string, and plain-text JSON answers', () => {
    const format = replyFormatOf(withSchema(point))!;
    expect(structuredReply(format, '{"x": 3}')).toEqual({ json: '{"x":3}' });
    expect(plainTextReply(format, ' {"x": 3}\n')).toEqual({ json: '{"x":3}' });
    expect(plainTextReply(format, 'Sure! {"x": 3}')).toEqual({ problem: 'the reply is not valid JSON' });
  });

  it('json_object takes any JSON object and nothing else', () => {
    const format = replyFormatOf({ response_format: { type: 'json_object' } } as ChatCompletionRequest)!;
    expect(structuredReply(format, { any: ['thing'] })).toEqual({ json: '{"any":["thing"]}' });
    expect(structuredReply(format, [1])).toEqual({ problem: 'the reply is not a JSON object' });
  });
});
