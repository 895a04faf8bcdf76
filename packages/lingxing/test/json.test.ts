import { parse } from 'lossless-json';
import { parseLosslessJson, quoteUnsafeIntegers } from '../src/json.js';

describe('parseLosslessJson', () => {
  it('keeps integers above 2^53 as their digits and every other number as a number', () => {
    const body = '{"sid":110283406273996288,"neg":-110283406273996289,"safe":9007199254740991,"big16":9007199254740993,"n":42,"f":1.25,"e":1.5e300,"long_fraction":0.12345678901234567890}';
    expect(parseLosslessJson(body)).toEqual({
      sid: '110283406273996288',
      neg: '-110283406273996289',
      safe: 9007199254740991,
      big16: '9007199254740993',
      n: 42,
      f: 1.25,
      e: 1.5e300,
      long_fraction: Number('0.12345678901234567890'),
    });
  });

  it('leaves digits inside strings alone, escaped quotes included', () => {
    const body = '{"note":"id 110283406273996288, \\"quoted 220283406273996288\\"","ids":[330283406273996288,"440283406273996288"],"tail":550283406273996288}';
    expect(parseLosslessJson(body)).toEqual({
      note: 'id 110283406273996288, "quoted 220283406273996288"',
      ids: ['330283406273996288', '440283406273996288'],
      tail: '550283406273996288',
    });
  });

  it('returns a body without long digit runs unchanged, and throws SyntaxError on a body that is not JSON', () => {
    const body = '{"a":[1,2,{"b":"c"}],"d":null}';
    expect(quoteUnsafeIntegers(body)).toBe(body);
    expect(() => parseLosslessJson('<html>502</html>')).toThrow(SyntaxError);
    expect(() => parseLosslessJson('{"sid":110283406273996288')).toThrow(SyntaxError);
  });

  it('agrees with a lossless JSON parser on generated bodies', () => {
    const reviveLikeLingxing = (digits: string) => (/^-?\d+$/.test(digits) && !Number.isSafeInteger(Number(digits)) ? digits : Number(digits));
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const value = (depth: number): string => {
      const pick = next() % 7;
      if (depth > 3 || pick === 0) return String((next() % 2 ? -1 : 1) * next() * 1e9 + next());
      if (pick === 1) return `"${'x\\"9'.repeat(next() % 3)}${next()}${next()}"`;
      if (pick === 2) return `${next()}.${next()}e${next() % 20}`;
      if (pick === 3) return `[${Array.from({ length: next() % 4 }, () => value(depth + 1)).join(',')}]`;
      if (pick === 4) return 'true';
      return `{${Array.from({ length: next() % 4 }, (_, i) => `"k${i}":${value(depth + 1)}`).join(',')}}`;
    };
    for (let i = 0; i < 300; i++) {
      const body = `{"v":${value(0)}}`;
      expect(parseLosslessJson(body)).toEqual(parse(body, null, reviveLikeLingxing));
    }
  });
});
