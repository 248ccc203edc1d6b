import { servedRoutes } from '../src/create-app';
import { UnipayErrorCode } from '../src/common/unipay-error-code';
import { verifySign } from '../src/sign/daxpay-sign';
import { TestApp } from './support/test-app';

interface Operation {
  tags?: string[];
  description?: string;
  requestBody?: { content: Record<string, { schema: unknown; examples?: Record<string, { value: Record<string, unknown> }> }> };
  responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> }; examples?: Record<string, { value: Record<string, unknown> }> }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

const isDocsRoute = (url: string) => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs-');
/** Fastify's `/a/:id` in OpenAPI's form, `/a/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the OpenAPI document (/docs-json) and its page (/docs)', () => {
  let t: TestApp;
  let paths: Paths;

  beforeAll(async () => {
    t = await TestApp.start({ UNIPAY_ADMIN_TOKEN: 'test-only-admin-token-0123456789abcdef', UNIPAY_SANDBOX_ENABLED: 'true' });
    const response = await fetch(`${t.url}/docs-json`);
    expect(response.status).toBe(200);
    paths = ((await response.json()) as { paths: Paths }).paths;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists every route the app serves, with its method, and no route it does not serve', () => {
    const served = servedRoutes(t.app);
    expect(served.filter((route) => isDocsRoute(route.url)).map((route) => route.url)).toEqual(expect.arrayContaining(['/docs', '/docs-json']));
    const routes = served.filter((route) => !isDocsRoute(route.url)).map((route) => `${route.method} ${openApiPath(route.url)}`);
    // The operator API, the sandbox, the merchant endpoint and the platform routes are all mounted here.
    expect(routes).toEqual(expect.arrayContaining(['POST /unipay/sync/pay', 'POST /admin/sync', 'PUT /sandbox/trades/{orderNo}', 'GET /metrics', 'GET /health/ready']));
    const documented = Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect([...documented].sort()).toEqual([...new Set(routes)].sort());
  });

  it('describes the sync endpoint: the envelope, every outer code and data.status, and a signed example request and answers', () => {
    const operation = paths['/unipay/sync/pay'].post;
    expect(operation.tags).toEqual(['merchant']);
    for (const code of Object.values(UnipayErrorCode).filter((value) => typeof value === 'number')) {
      expect(operation.description).toContain(`| ${code} |`);
    }
    for (const status of ['pay_success', 'pay_progress', 'pay_closed', 'pay_refund', 'pay_not_found', 'pay_not_found_unknown', 'pay_timeout', 'pay_fail']) {
      expect(operation.description).toContain(`\`${status}\``);
    }
    const body = operation.requestBody!.content['application/json'];
    const example = body.examples!.signed.value;
    // The spec's second test vector, signed with its secret 123456.
    expect(example).toMatchObject({ orderNo: '1753370980523384832', bizOrderNo: 'P0001', reqTime: 1715500231 });
    expect(example.sign).toBe('d38874fbc5a9b8fa46dc1511229b2ed38d92a8fdb02b3d3b502af944e8eaab85');

    const answer = operation.responses['200'].content!['application/json'];
    expect(Object.keys(answer.schema.properties!)).toEqual(['code', 'msg', 'data', 'traceId']);
    const answers = answer.examples!;
    for (const name of ['repaired', 'notFound']) {
      const data = answers[name].value.data as Record<string, unknown>;
      expect(verifySign(data, '123456', 'HMAC_SHA256')).toBe(true);
    }
    expect(Object.values(answers).map((entry) => entry.value.code)).toEqual(expect.arrayContaining([0, 1, 10006, 10007, 20052]));
  });

  it('tags the operator API (with its bearer token) and the sandbox', () => {
    for (const [path, operations] of Object.entries(paths)) {
      const tag = path.startsWith('/admin/') ? 'operator' : path.startsWith('/sandbox/') ? 'sandbox' : path.startsWith('/unipay/') ? 'merchant' : 'platform';
      for (const operation of Object.values(operations)) expect(operation.tags).toEqual([tag]);
    }
    expect((paths['/admin/anomalies/{id}/resolve'].post as unknown as { security: unknown }).security).toEqual([{ operator: [] }]);
    expect(paths['/sandbox/orders'].post.requestBody).toBeDefined();
  });

  it('serves the page and its assets', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const css = await fetch(`${t.url}/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
  });
});
