import 'reflect-metadata';
import {
  Controller,
  Get,
  Module,
  Post,
  RequestMethod,
  type DynamicModule,
  type INestApplicationContext,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, NestFactory, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { PERMISSIONS } from '@certflow/domain';
import { AppModule, type ApiDependencies } from './app.module';
import { Permission, PERMISSION_METADATA } from './http/permission.decorator';

interface Route {
  readonly route: string;
  readonly permission: string | undefined;
}

/** Every route Nest registered, with the permission it declares (undefined when none). */
async function registeredRoutes(module: DynamicModule): Promise<Route[]> {
  @Module({ imports: [DiscoveryModule, module] })
  class Probe {}
  const app: INestApplicationContext = await NestFactory.createApplicationContext(Probe, { logger: false });
  try {
    const reflector = app.get(Reflector);
    const scanner = app.get(MetadataScanner);
    return app
      .get(DiscoveryService)
      .getControllers()
      .flatMap(({ metatype, instance }) => {
        const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
        const base = String(Reflect.getMetadata(PATH_METADATA, metatype as object) ?? '');
        return scanner.getAllMethodNames(prototype).flatMap((name) => {
          const handler = prototype[name]!;
          const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
          if (path === undefined) return [];
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          return [
            {
              route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`,
              permission: reflector.get<string | undefined>(PERMISSION_METADATA, handler),
            },
          ];
        });
      });
  } finally {
    await app.close();
  }
}

// The use cases are built but never called: a walk over the routes needs no connection.
const offline = {
  db: {},
  client: {},
  store: {},
  policy: {},
  taskQueue: 'q',
  now: () => 0,
} as unknown as ApiDependencies;

describe('routes of the staff API', () => {
  it('every registered route declares who may call it, with a known permission', async () => {
    const routes = await registeredRoutes(AppModule.register(offline));
    expect(routes).toHaveLength(22);
    expect(routes.filter((r) => r.permission === undefined).map((r) => r.route)).toEqual([]);
    const known: readonly string[] = PERMISSIONS;
    expect(routes.filter((r) => !known.includes(r.permission!)).map((r) => r.route)).toEqual([]);
  });

  it('health and readiness are declared public, and nothing else is', async () => {
    const routes = await registeredRoutes(AppModule.register(offline));
    expect(routes.filter((r) => r.permission === 'public').map((r) => r.route)).toEqual(['GET /health', 'GET /ready']);
  });

  it('the walk finds a route whose decorator was left off', async () => {
    @Controller('probe')
    class ProbeController {
      @Get()
      @Permission('party.read')
      declared() {
        return 1;
      }

      @Post()
      undeclared() {
        return 2;
      }
    }
    @Module({ controllers: [ProbeController] })
    class ProbeModule {}
    const routes = await registeredRoutes({ module: ProbeModule });
    expect(routes.filter((r) => r.permission === undefined).map((r) => r.route)).toEqual(['POST /probe']);
  });
});
