import { alipayErrorText, responseNodeText } from './alipay-response-node';

describe('responseNodeText', () => {
  const key = 'alipay_trade_query_response';

  it('returns the node exactly as written, whitespace and key order included', () => {
    const node = '{ "code":"10000",\n  "msg" : "Success","total_amount":"19.99" }';
    expect(responseNodeText(`{"${key}":${node},"sign":"abc=="}`, key)).toBe(node);
    expect(responseNodeText(`  {\n "${key}" :\t${node} ,\n "sign":"abc=="}\n`, key)).toBe(node);
  });

  it('skips nested objects and arrays, and braces or quotes inside strings', () => {
    const node =
      '{"code":"10000","fund_bill_list":[{"amount":"1.00","fund_channel":"ALIPAYACCOUNT"},{"x":{"y":[1,{}]}}],' +
      '"sub_msg":"a } b { c ] [ \\"quoted }\\" and \\\\","trade_status":"TRADE_SUCCESS"}';
    const body = `{"sign":"s}{\\"",${JSON.stringify('decoy')}:{"${key}":{"code":"99999"}},"${key}":${node}}`;
    expect(responseNodeText(body, key)).toBe(node);
    expect(JSON.parse(responseNodeText(body, key)!)).toMatchObject({ sub_msg: 'a } b { c ] [ "quoted }" and \\' });
  });

  it('matches the key only as a top-level member name, not as a value or a nested key', () => {
    const body = `{"note":"${key}","inner":{"${key}":{"code":"1"}},"${key}":{"code":"10000"}}`;
    expect(responseNodeText(body, key)).toBe('{"code":"10000"}');
    expect(responseNodeText(`{"note":"${key}"}`, key)).toBeUndefined();
  });

  it('finds a key written with JSON escapes', () => {
    expect(responseNodeText('{"alipay_trade_query\\u005fresponse":{"code":"10000"}}', key)).toBe('{"code":"10000"}');
  });

  it('returns the first of repeated keys', () => {
    expect(responseNodeText(`{"${key}":{"code":"10000"},"${key}":{"code":"40004"}}`, key)).toBe('{"code":"10000"}');
  });

  it.each([
    ['', 'empty'],
    ['[1,2]', 'an array'],
    [`{"${key}":{"code":"10000"`, 'a truncated node'],
    [`{"${key}":{"code":"100`, 'a truncated string'],
    [`{"${key}"{"code":"10000"}}`, 'a missing colon'],
    ['<html>502 Bad Gateway</html>', 'HTML'],
    ['{"error_response":{"code":"40002"}}', 'another member only'],
  ])('is undefined for %p (%s)', (body) => {
    expect(responseNodeText(body, key)).toBeUndefined();
  });
});

describe('alipayErrorText', () => {
  it('prefers sub_code and sub_msg, then msg', () => {
    expect(alipayErrorText({ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' })).toBe('ACQ.SYSTEM_ERROR 系统错误');
    expect(alipayErrorText({ code: '20000', msg: 'Service Currently Unavailable' })).toBe('Service Currently Unavailable');
    expect(alipayErrorText({ code: '20000' })).toBe('支付宝返回码 20000');
  });
});
