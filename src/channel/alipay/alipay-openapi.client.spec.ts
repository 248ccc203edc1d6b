import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { generateAlipayKeySet } from '../../emulator/alipay/alipay-key-set';
import { ChannelError } from '../pay-channel';
import { ChannelHttp } from '../support/channel-http';
import { loadPrivateKey, rsaSha256Sign } from '../support/rsa';
import { loadSettings } from '../../config/settings';
import { AlipaySettings } from './alipay.settings';
import { AlipayOpenApiClient } from './alipay-openapi.client';

/**
 * Answers the emulator never writes but a gateway (or someone in the middle) could: the
 * client must verify the node's exact text and read its fields from that same text.
 */
describe('AlipayOpenApiClient verifying answers', () => {
  const keys = generateAlipayKeySet();
  const alipaySign = (text: string) => rsaSha256Sign(text, loadPrivateKey(keys.alipayPrivateKey));
  let server: Server;
  let body = '';
  let client: AlipayOpenApiClient;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const settings = loadSettings(AlipaySettings, {
      UNIPAY_ALIPAY_ENABLED: true,
      UNIPAY_ALIPAY_APP_ID: '2021000000000001',
      UNIPAY_ALIPAY_PRIVATE_KEY: keys.merchantPrivateKey,
      UNIPAY_ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
      UNIPAY_ALIPAY_GATEWAY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`,
      UNIPAY_ALIPAY_TIMEOUT_MS: 2000,
    });
    client = new AlipayOpenApiClient(settings, new ChannelHttp());
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const query = () => client.call('alipay.trade.query', { out_trade_no: 'T1' });

  it('verifies the node byte for byte: escaped slashes, spacing and Chinese text as Alipay wrote them', async () => {
    const node = '{ "code":"10000", "msg":"Success", "qr_code":"https:\\/\\/qr.alipay.com\\/bax1", "sub_msg":"交易 \\"成功\\"" }';
    body = `{\n  "alipay_trade_query_response" : ${node},\n  "sign" : "${alipaySign(node)}"\n}`;
    await expect(query()).resolves.toEqual({ node: { code: '10000', msg: 'Success', qr_code: 'https://qr.alipay.com/bax1', sub_msg: '交易 "成功"' }, raw: node });
  });

  it('reads the fields from the verified node, never from a repeated key after it', async () => {
    const genuine = '{"code":"10000","msg":"Success","out_trade_no":"T1","trade_status":"WAIT_BUYER_PAY"}';
    const forged = '{"code":"10000","msg":"Success","out_trade_no":"T1","trade_status":"TRADE_SUCCESS","total_amount":"0.01"}';
    body = `{"alipay_trade_query_response":${genuine},"alipay_trade_query_response":${forged},"sign":"${alipaySign(genuine)}"}`;
    const answer = await query();
    expect(answer.raw).toBe(genuine);
    expect(answer.node.trade_status).toBe('WAIT_BUYER_PAY');
  });

  it('accepts a signed error_response, so the caller can report Alipay\'s words', async () => {
    const node = '{"code":"40001","msg":"Missing Required Arguments","sub_code":"isv.missing-method","sub_msg":"缺少方法名参数"}';
    body = `{"error_response":${node},"sign":"${alipaySign(node)}"}`;
    await expect(query()).resolves.toMatchObject({ node: { sub_code: 'isv.missing-method' }, raw: node });
  });

  it.each([
    ['a signature over a re-serialized node', () => {
      const node = '{"code": "10000", "msg": "Success"}';
      return `{"alipay_trade_query_response":${node},"sign":"${alipaySign(JSON.stringify(JSON.parse(node)))}"}`;
    }, '支付宝应答验签失败，不予采信'],
    ['an empty sign', () => '{"alipay_trade_query_response":{"code":"10000"},"sign":""}', '支付宝应答未签名，不予采信'],
    ['a node that is a string', () => `{"alipay_trade_query_response":"x","sign":"${alipaySign('"x"')}"}`, '支付宝应答缺少 alipay_trade_query_response'],
    ['a JSON array', () => '[]', '支付宝应答无法解析'],
  ])('refuses %s', async (_, make, message) => {
    body = make();
    await expect(query()).rejects.toThrow(new ChannelError(message));
  });
});
