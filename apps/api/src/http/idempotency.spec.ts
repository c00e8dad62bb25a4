import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { AppModule, CONTROLLERS, type ApiDependencies } from '../app.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { idempotencyKeyFrom } from './idempotency-key.decorator';

/** Every route of the controllers, and whether it keeps its Idempotency-Key's first answer. */
function routes(): { route: string; idempotent: boolean }[] {
  return CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (name === 'constructor' || path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
      return [
        {
          route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`,
          idempotent: interceptors.includes(IdempotencyInterceptor),
        },
      ];
    });
  });
}

// Built, never called: no connection is needed.
const offline = {
  db: {},
  client: {},
  store: {},
  policy: {},
  taskQueue: 'q',
  now: () => 0,
} as unknown as ApiDependencies;

describe('Idempotency-Key on the staff API', () => {
  it('is kept by every route that changes something (register, apply, launch, steps, filings), and no read', () => {
    const all = routes();
    const writes = all.filter((r) => r.route.startsWith('POST '));
    expect(writes.map((r) => r.route).sort()).toEqual([
      'POST /credential-sets',
      'POST /credential-sets/:setId/bind-new',
      'POST /credential-sets/:setId/collect',
      'POST /credential-sets/:setId/filing',
      'POST /credential-sets/:setId/issue',
      'POST /credential-sets/:setId/reissue',
      'POST /credential-sets/:setId/renew',
      'POST /credential-sets/:setId/revoke',
      'POST /credential-sets/:setId/unbind-old',
      'POST /launches',
      'POST /parties',
      'POST /parties/:partyId/filings',
      'POST /parties/:partyId/filings/:filingId/decision',
    ]);
    expect(writes.filter((r) => !r.idempotent)).toEqual([]);
    expect(all.filter((r) => !r.route.startsWith('POST ') && r.idempotent)).toEqual([]);
  });

  it('has its interceptor wired in the module', async () => {
    const app = await NestFactory.createApplicationContext(AppModule.register(offline), {
      logger: ['error'],
      abortOnError: false,
    });
    try {
      expect(app.get(IdempotencyInterceptor)).toBeInstanceOf(IdempotencyInterceptor);
    } finally {
      await app.close();
    }
  });

  it('is the id grammar (a UUID is one); anything else is refused naming the header', () => {
    expect(idempotencyKeyFrom({ 'idempotency-key': '0f8e6a1c-3f5b-4c1a-9a7e-2b4d6f8a0c1e' })).toBe(
      '0f8e6a1c-3f5b-4c1a-9a7e-2b4d6f8a0c1e',
    );
    expect(idempotencyKeyFrom({})).toBeUndefined();
    const refusal = (key: string): unknown => {
      try {
        idempotencyKeyFrom({ 'idempotency-key': key });
      } catch (e) {
        return e;
      }
      return undefined;
    };
    for (const bad of ['', 'not a key!', 'x'.repeat(129), '_a']) {
      expect(refusal(bad)).toMatchObject({ code: 'INVALID_FIELD', errors: [{ path: 'Idempotency-Key' }] });
    }
  });
});
