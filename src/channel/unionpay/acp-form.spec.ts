import { AcpFormError, acpJoin, acpSortedString, parseAcpResponse } from './acp-form';

describe('acpSortedString', () => {
  it('sorts by name in code-unit order, joins raw values, leaves out signature only', () => {
    const fields = {
      txnTime: '20251231235958',
      version: '5.1.0',
      signature: 'c2lnbmF0dXJl',
      accessType: '0',
      Zeta: 'upper case sorts first',
      reqReserved: '{a=1&b=2}',
      respMsg: '成功[0000000]',
      backUrl: 'http://x/notify?a=1&b=2',
      empty: '',
      certId: '69026276696',
    };
    expect(acpSortedString(fields)).toBe(
      'Zeta=upper case sorts first&accessType=0&backUrl=http://x/notify?a=1&b=2&certId=69026276696&empty=' +
        '&reqReserved={a=1&b=2}&respMsg=成功[0000000]&txnTime=20251231235958&version=5.1.0',
    );
  });

  it('acpJoin leaves out the named fields and keeps the signature unless named', () => {
    const fields = { b: '2', signature: 's=', signPubKeyCert: '-----BEGIN CERTIFICATE-----', a: '1' };
    expect(acpJoin(fields)).toBe('a=1&b=2&signPubKeyCert=-----BEGIN CERTIFICATE-----&signature=s=');
    expect(acpJoin(fields, ['signature', 'signPubKeyCert'])).toBe('a=1&b=2');
  });
});

describe('parseAcpResponse', () => {
  const pem = '-----BEGIN CERTIFICATE-----\r\nMIIB+zCCAWSgAwIBAgIJAK/3==\r\n-----END CERTIFICATE-----';

  it('reads a raw UnionPay answer: a {…} block keeps its & and =, base64 values keep their trailing =', () => {
    const body =
      'accessType=0&bizType=000000&merId=777290058110048&orderId=T1&origRespCode=00&origRespMsg=成功[0000000]' +
      `&reqReserved={a=1&b=2}&respCode=00&respMsg=成功[0000000]&signPubKeyCert=${pem}&signature=ab+/cd==&txnAmt=1999&version=5.1.0`;
    expect(parseAcpResponse(body)).toEqual({
      accessType: '0',
      bizType: '000000',
      merId: '777290058110048',
      orderId: 'T1',
      origRespCode: '00',
      origRespMsg: '成功[0000000]',
      reqReserved: '{a=1&b=2}',
      respCode: '00',
      respMsg: '成功[0000000]',
      signPubKeyCert: pem,
      signature: 'ab+/cd==',
      txnAmt: '1999',
      version: '5.1.0',
    });
  });

  it('nests blocks, reads [...] blocks, and a trailing line break is not part of the last value', () => {
    const body = 'a={x={y=1&z=2}&w=[1&2]}&b=[{k=v&l=m}]&c=&d=x=y\r\n';
    expect(parseAcpResponse(body)).toEqual({ a: '{x={y=1&z=2}&w=[1&2]}', b: '[{k=v&l=m}]', c: '', d: 'x=y' });
  });

  it('a closing bracket that opens nothing is just a character', () => {
    expect(parseAcpResponse('respMsg=失败]&respCode=01')).toEqual({ respMsg: '失败]', respCode: '01' });
  });

  it('the parsed fields sort back into the string that was signed', () => {
    const body = 'a=1&m={p=1&q=2}&signature=xyz=&z=成功';
    expect(acpSortedString(parseAcpResponse(body))).toBe('a=1&m={p=1&q=2}&z=成功');
  });

  it('decodes a body that arrives URL-encoded after all', () => {
    const fields = { reqReserved: '{a=1&b=2}', respMsg: '成功[0000000]', signPubKeyCert: pem, signature: 'ab+/cd==', txnAmt: '1999' };
    expect(parseAcpResponse(new URLSearchParams(fields).toString())).toEqual(fields);
  });

  it.each([
    ['an empty body', ''],
    ['a page', '<html><body>系统繁忙</body></html>'],
    ['a pair without =', 'respCode=00&garbage&txnAmt=1'],
    ['an empty name', '=00&txnAmt=1'],
    ['a trailing &', 'respCode=00&'],
    ['a name that is no field name', 'resp Code=00'],
    ['a field twice', 'respCode=00&respCode=34'],
    ['a block never closed', 'reqReserved={a=1&respCode=00'],
    ['JSON', '{"respCode":"00"}'],
    ['bad URL encoding', 'respCode=%E4%B8&x=%ZZ%41'],
  ])('refuses %s', (_, body) => {
    expect(() => parseAcpResponse(body)).toThrow(AcpFormError);
  });
});
