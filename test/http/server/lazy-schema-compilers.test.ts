/**
 * Route schemas compiled on first use (src/http/server/lazy-schema-compilers.ts): a request meets
 * the validation and serialization Fastify's own compilers give, and every schema of the real
 * app compiles when the background pass asks for it.
 */
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS } from '../../../src/http/schema-validation.js';
import {
  compileRemaining,
  lazySchemaController,
  uncompiledSchemas,
} from '../../../src/http/server/lazy-schema-compilers.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';

let context: TestContext;
useTestContext((given) => {
  context = given;
});

function probeApp() {
  const app = Fastify({ ajv: AJV_OPTIONS, schemaController: lazySchemaController() });
  app.get(
    '/probe/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) }),
        querystring: Type.Object({
          size: Type.Optional(Type.String({ default: 'small' })),
          need: Type.String(),
        }),
        // Written with capitals: header names arrive in lower case.
        headers: Type.Object({ 'X-Probe': Type.String({ minLength: 2 }) }),
        response: { 200: Type.Object({ id: Type.String(), size: Type.String() }) },
      },
    },
    async (request) => {
      const { size } = request.query as { size: string };
      // `extra` is not in the response schema: the serializer leaves it out.
      return { id: (request.params as { id: string }).id, size, extra: 'dropped' };
    },
  );
  return app;
}

describe('lazy schema compilers', () => {
  it('validate, apply defaults and serialize as Fastify compiles them', async () => {
    const app = probeApp();
    const headers = { 'x-probe': 'ok' };
    const ok = await app.inject({ url: '/probe/abc?need=1', headers });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ id: 'abc', size: 'small' });
    const badParam = await app.inject({ url: '/probe/ABC?need=1', headers });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().message).toMatch(/params\/id must match pattern/);
    const missing = await app.inject({ url: '/probe/abc', headers });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/must have required property 'need'/);
    const shortHeader = await app.inject({ url: '/probe/abc?need=1', headers: { 'x-probe': 'x' } });
    expect(shortHeader.statusCode).toBe(400);
    expect(shortHeader.json().message).toMatch(/headers\/x-probe/);
    await app.close();
  });

  it('compile every schema of the app in the background pass', async () => {
    await context.app.ready();
    expect(uncompiledSchemas()).toBeGreaterThan(0);
    await compileRemaining();
    expect(uncompiledSchemas()).toBe(0);
    // Still answering as before once compiled.
    const response = await context.app.inject({ method: 'GET', url: '/api/travel/trip/v1.1' });
    expect(response.statusCode).toBe(401);
  });
});
