import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVELOPE_CODES_TABLE } from './common/dax-openapi';

/** Where the document is served: the page and the JSON. */
export const OPENAPI_PAGE = '/docs';
export const OPENAPI_JSON = '/docs-json';

function packageVersion(): string {
  for (const up of ['..', join('..', '..')]) {
    try {
      return (JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // Built (dist/src) or run from source (src): the package file is one or two levels up.
    }
  }
  return '0.0.0';
}

const DESCRIPTION = `Pay order sync, wire-compatible with the DaxPay gateway (single edition 2.0.x).

- **merchant**: \`POST /unipay/sync/pay\`, signed with the merchant's sign secret (DaxPay's algorithm).
- **operator**: \`/admin/*\`, behind \`Authorization: Bearer <UNIPAY_ADMIN_TOKEN>\`; mounted only when a token is set.
- **sandbox**: \`/sandbox/*\`, demo orders and a scriptable channel; mounted only while the sandbox is enabled.
- **platform**: \`/metrics\`, \`/health/live\`, \`/health/ready\` and this document: for the platform, keep them off the merchants' listener.

Merchant, operator and sandbox answers use the DaxPay envelope \`{code, msg, data, traceId}\`:

${ENVELOPE_CODES_TABLE}`;

/** The OpenAPI document of what this application serves. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('unipay-sync')
    .setDescription(DESCRIPTION)
    .setVersion(packageVersion())
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'UNIPAY_ADMIN_TOKEN' }, 'operator')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document at /docs-json and a page at /docs; call before the app is initialised. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PAGE.slice(1), app, () => openApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON.slice(1),
    yamlDocumentUrl: 'docs-yaml',
  });
}
