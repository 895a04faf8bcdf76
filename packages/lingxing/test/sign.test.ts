import { createDecipheriv, createHash } from 'node:crypto';
import { canonicalize, sign, stableStringify } from '@dlsync/lingxing';

const APP_ID = 'ak_boWbe9uTtCURT';
const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

describe('sign', () => {
  it('reproduces the published vector (canonical string, MD5, AES-128-ECB sign)', () => {
    const result = sign(
      { timestamp: '1639734344', app_key: APP_ID, access_token: 'a4d671b9-778b-487d-b169-fda4806826a1' },
      APP_ID,
    );
    expect(result.canonical).toBe('access_token=a4d671b9-778b-487d-b169-fda4806826a1&app_key=ak_boWbe9uTtCURT&timestamp=1639734344');
    expect(result.md5).toBe('449292A6FD7F7B8B7632CBD940F6C879');
    // Computed independently with `openssl enc -aes-128-ecb -K <hex(appId)> -base64`.
    expect(result.sign).toBe('eqrLB3c9SMgI8XqL4MFDDov4XjAj70oEzmRPjUy0vQwiIkoWTdeKuEaxgBHWuHCk');
  });

  it('encrypts the uppercase MD5 with PKCS#5 padding under the appId bytes (decrypts back)', () => {
    const result = sign({ a: 1, access_token: 't', app_key: APP_ID, timestamp: '1700000000' }, APP_ID);
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(APP_ID), null);
    const plain = Buffer.concat([decipher.update(Buffer.from(result.sign, 'base64')), decipher.final()]).toString();
    expect(plain).toBe(result.md5);
    expect(result.md5).toBe(md5(result.canonical));
    expect(Buffer.from(result.sign, 'base64')).toHaveLength(48); // 32 bytes + one full padding block
  });

  it('refuses an appId that cannot key AES-128', () => {
    expect(() => sign({ a: 1 }, 'short')).toThrow(/16 bytes/);
  });
});

describe('canonicalize', () => {
  it('sorts keys in ASCII order (uppercase before lowercase, "_" between)', () => {
    expect(canonicalize({ b: 1, B: 2, a_b: 3, a: 4, aB: 5 })).toBe('B=2&a=4&aB=5&a_b=3&b=1');
  });

  it('skips empty strings, undefined and sign itself, but keeps null, 0 and false', () => {
    expect(canonicalize({ empty: '', missing: undefined, sign: 'xyz', none: null, zero: 0, no: false })).toBe(
      'no=false&none=null&zero=0',
    );
  });

  it('writes numbers and booleans as JSON does', () => {
    expect(canonicalize({ i: 42, f: 1.5, neg: -3, big: 1e21, t: true })).toBe('big=1e+21&f=1.5&i=42&neg=-3&t=true');
  });

  it('writes nested objects as compact JSON with keys sorted at every depth', () => {
    const params = { orders: [{ z: 1, a: { y: [3, { d: null, c: 'x' }], b: '' } }], store_id: '7' };
    expect(canonicalize(params)).toBe('orders=[{"a":{"b":"","y":[3,{"c":"x","d":null}]},"z":1}]&store_id=7');
  });

  it('writes arrays of strings and numbers as compact JSON', () => {
    expect(canonicalize({ sid_arr: [1, 2], platform_order_no_arr: ['PO-1', 'PO-2'], empty: [] })).toBe(
      'empty=[]&platform_order_no_arr=["PO-1","PO-2"]&sid_arr=[1,2]',
    );
  });

  it('keeps unicode as is in plain values and inside JSON, escaping only what JSON must', () => {
    expect(canonicalize({ name: '张三 Zoë', note: { text: '发货 "快" \\ 😀\n' } })).toBe(
      'name=张三 Zoë&note={"text":"发货 \\"快\\" \\\\ 😀\\n"}',
    );
    expect(md5(canonicalize({ name: '张三' }))).toBe(md5('name=张三'));
  });

  it('uses byte for byte the JSON the request body carries', () => {
    const body = { orders: [{ platform_order_no: 'PO-1', items: [{ quantity: 2, msku: 'M' }] }], platform_code: 10008 };
    const text = stableStringify(body);
    expect(text).toBe('{"orders":[{"items":[{"msku":"M","quantity":2}],"platform_order_no":"PO-1"}],"platform_code":10008}');
    expect(canonicalize(body)).toBe(`orders=${stableStringify(body.orders)}&platform_code=10008`);
    expect(JSON.parse(text)).toEqual(body);
  });
});

describe('stableStringify', () => {
  it('drops undefined properties, writes undefined array items and non-finite numbers as null', () => {
    expect(stableStringify({ a: undefined, b: [undefined, NaN, Infinity], c: 1 })).toBe('{"b":[null,null,null],"c":1}');
  });

  it('honours toJSON (dates)', () => {
    expect(stableStringify({ at: new Date('2025-01-02T03:04:05Z') })).toBe('{"at":"2025-01-02T03:04:05.000Z"}');
  });
});
