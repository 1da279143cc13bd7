import { describe, expect, it } from 'vitest';
import { parseImageSource } from './image-source.ts';

const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0];

describe('parseImageSource', () => {
  it('keeps https and http URLs as they are', () => {
    expect(parseImageSource('https://a.example/cat.png')).toEqual({ kind: 'url', url: 'https://a.example/cat.png' });
    expect(parseImageSource('HTTP://a.example/x')).toMatchObject({ kind: 'url' });
  });

  it('reads a base64 data URI and its decoded size without decoding it', () => {
    expect(parseImageSource(`data:image/png;base64,${base64(PNG)}`)).toEqual({
      kind: 'data',
      mediaType: 'image/png',
      base64: base64(PNG),
      byteSize: PNG.length,
    });
    expect(parseImageSource(`data:image/jpeg;base64,${base64([0xff, 0xd8, 0xff, 0xe0])}`)).toMatchObject({
      kind: 'data',
      byteSize: 4,
    });
  });

  it.each([
    ['ftp://a.example/x.png', /got "ftp:"/],
    ['javascript:alert(1)', /got "javascript:"/],
    ['/relative/cat.png', /got no scheme/],
    ['https://', /not a valid URL/],
    [`https://a.example/${'x'.repeat(9000)}`, /at most 8192/],
    ['data:image/png,rawbytes', /Malformed data URI/],
    ['data:;base64,AAAA', /Malformed data URI/],
    ['data:image/svg+xml;base64,PHN2Zz4=', /must hold an image of type/],
    ['data:image/png;base64,', /not valid base64/],
    ['data:image/png;base64,iVBORw0KGgo', /not valid base64/],
    ['data:image/png;base64,iVBO Rw0K', /not valid base64/],
    [`data:image/gif;base64,${base64(PNG)}`, /not a image\/gif image/],
  ])('refuses %s', (url, reason) => {
    const source = parseImageSource(url);
    expect(source.kind).toBe('invalid');
    if (source.kind === 'invalid') expect(source.reason).toMatch(reason);
  });
});
