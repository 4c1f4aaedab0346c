/**
 * `GET /docs`: Swagger UI from the package's own files. The page, every script and stylesheet
 * it names and the document it loads answer 200 from this server, under a Content-Security-Policy
 * that allows this server only (no CDN, nothing inline but styles).
 */
import { describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../../../src/http/api-docs/api-docs.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';

let context: TestContext;
useTestContext((given) => {
  context = given;
});

const get = (url: string) => context.app.inject({ method: 'GET', url });

describe('GET /docs', () => {
  it('serves the page and each asset it names from this server, under a strict CSP', async () => {
    const page = await get('/docs/');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
    expect(DOCS_CSP).not.toMatch(/https?:|\*/);
    expect(DOCS_CSP).toContain("script-src 'self'");
    // Every script and stylesheet is local and loads.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.some((a) => a.endsWith('swagger-ui-bundle.js'))).toBe(true);
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\ssrc=)[^>]*>/);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const response = await get(new URL(asset, 'http://itinera.test/docs/').pathname);
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers['content-security-policy'], asset).toBe(DOCS_CSP);
      if (asset.endsWith('.js')) expect(response.headers['content-type']).toMatch(/javascript/);
      if (asset.endsWith('.css')) expect(response.headers['content-type']).toMatch(/css/);
    }
  });

  it('loads the same OpenAPI document as /openapi.json, and answers /docs without a slash', async () => {
    const initializer = await get('/docs/static/swagger-initializer.js');
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain("resolveUrl('./json')");
    const fromPage = await get('/docs/json');
    const document = await get('/openapi.json');
    expect(fromPage.statusCode).toBe(200);
    expect(fromPage.json()).toEqual(document.json());
    const bare = await get('/docs');
    expect(bare.statusCode).toBe(200);
    expect(bare.body).toContain('/docs/static/swagger-ui-bundle.js');
  });
});
