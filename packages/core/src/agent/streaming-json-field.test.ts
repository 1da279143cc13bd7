import { describe, expect, it } from 'vitest';
import { createJsonStringFieldExtractor } from './streaming-json-field.ts';

function expected(json: string, field: string): string {
  const value: unknown = (JSON.parse(json) as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

function extract(pieces: string[], field: string): string[] {
  const extractor = createJsonStringFieldExtractor(field);
  return pieces.map((piece) => extractor.push(piece));
}

function endsWithHighSurrogate(text: string): boolean {
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xd800 && code <= 0xdbff;
}

/** Every input is checked whole, split at every position, split at every pair of positions, and char by char. */
function splits(json: string): string[][] {
  const result: string[][] = [[json], Array.from(json)];
  for (let first = 0; first <= json.length; first++) {
    result.push([json.slice(0, first), json.slice(first)]);
    if (json.length > 80) continue;
    for (let second = first; second <= json.length; second++) {
      result.push([json.slice(0, first), json.slice(first, second), json.slice(second)]);
    }
  }
  return result;
}

const CASES: Array<[name: string, json: string]> = [
  ['plain', '{"message":"Hello, world!"}'],
  ['empty value', '{"message":""}'],
  ['whitespace around colon', '{ "message" \n:\t "spaced out" }'],
  ['simple escapes', String.raw`{"message":"line\nbreak \"quoted\" back\\slash \/ \b\f\r\t end"}`],
  ['unicode escapes', String.raw`{"message":"caf\u00e9 \u00E9\u20ac"}`],
  ['escaped surrogate pair', String.raw`{"message":"smile \ud83d\ude00 and \uD83C\uDF89!"}`],
  ['raw surrogate pair', '{"message":"raw 😀🎉 emoji"}'],
  ['field after others', '{"request_heartbeat":false,"message":"second"}'],
  [
    'nested values containing the field name and braces',
    '{"meta":{"message":"decoy","list":[1,{"a":"}"}],"s":"{\\"message\\":\\"x\\"}"},"arr":["message",[]],"message":"real"}',
  ],
  ['decoy string value mentioning the field', '{"note":"\\"message\\": \\"no\\"","message":"yes"}'],
  ['numbers, literals and nulls before', '{"n":-1.5e3,"t":true,"f":false,"z":null,"message":"after literals"}'],
  ['escaped key', String.raw`{"mess\u0061ge":"escaped key"}`],
  ['fields after the value are ignored', '{"message":"first","other":"ignored","x":{"message":"no"}}'],
  ['missing field', '{"other":"value"}'],
  ['non-string field', '{"message":42,"other":"x"}'],
  ['empty object', '{}'],
  ['longer prose', JSON.stringify({ message: 'Multi\nline\ttext with "quotes", émojis 🚀 and \\ slashes / here.' })],
];

describe('createJsonStringFieldExtractor', () => {
  for (const [name, json] of CASES) {
    it(`matches JSON.parse for every split: ${name}`, () => {
      const want = expected(json, 'message');
      for (const pieces of splits(json)) {
        const outputs = extract(pieces, 'message');
        expect(outputs.join(''), JSON.stringify(pieces)).toBe(want);
        for (const output of outputs) expect(endsWithHighSurrogate(output), JSON.stringify(pieces)).toBe(false);
      }
    });
  }

  it('streams the value before the closing quote arrives', () => {
    const extractor = createJsonStringFieldExtractor('message');
    expect(extractor.push('{"message": "Hel')).toBe('Hel');
    expect(extractor.push('lo wor')).toBe('lo wor');
    expect(extractor.push('ld\\')).toBe('ld');
    expect(extractor.push('n')).toBe('\n');
    expect(extractor.push('\\u00')).toBe('');
    expect(extractor.push('e9"')).toBe('é');
  });

  it('holds a high surrogate until its low half arrives', () => {
    const extractor = createJsonStringFieldExtractor('message');
    expect(extractor.push('{"message":"a\\ud83d')).toBe('a');
    expect(extractor.push('\\ude00b"}')).toBe('😀b');
  });

  it('returns nothing after the value closed', () => {
    const extractor = createJsonStringFieldExtractor('message');
    expect(extractor.push('{"message":"done"')).toBe('done');
    expect(extractor.push(',"message":"again"}')).toBe('');
    expect(extractor.push('"more"')).toBe('');
  });

  it('extracts other field names', () => {
    const json = '{"message":"not this","content":"this one"}';
    for (const pieces of splits(json)) expect(extract(pieces, 'content').join('')).toBe('this one');
  });

  it('gives up quietly on input that is not a JSON object', () => {
    expect(extract(['["message","x"]'], 'message').join('')).toBe('');
    expect(extract(['plain text'], 'message').join('')).toBe('');
    expect(extract(['{"message" "no colon"}'], 'message').join('')).toBe('');
  });
});
