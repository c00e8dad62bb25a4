import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { loadPolicy, localDateOf, rebasePolicy } from '@certflow/domain';
import { createDataSource, poolSettingsFromEnv, PostgresEventStore } from '@certflow/event-store';
import { DEFAULT_STEP_DEADLINE_SECONDS } from '@certflow/parties';
import { connectClient, TASK_QUEUE, temporalSettings, workspaceRoot } from '@certflow/temporal-runtime';
import { AppModule, type ApiDependencies } from './app.module';
import { withPendingSteps, withProblemSchema } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';
import { bodyParserErrors, IdParamPipe, refuseBadText } from './http/input-grammar';
import { validationPipe } from './http/validation.pipe';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;

/** A positive number of seconds from the environment; anything else stops the start, naming it. */
function seconds(name: string, fallback: number): number {
  const value = Number(env(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${process.env[name]}: a number of seconds > 0`);
  return value;
}

/** Configuration and connections: what the use cases are made from. */
async function dependencies(): Promise<ApiDependencies> {
  const policyFile = env('CERTFLOW_POLICY', path.join(workspaceRoot(), 'policies/changzhou-2023.json'));
  let policy = loadPolicy(JSON.parse(readFileSync(policyFile, 'utf8')));
  const rebase = process.env['CERTFLOW_REBASE'];
  if (rebase) policy = rebasePolicy(policy, rebase === 'today' ? localDateOf(Date.now(), policy.timeZone) : rebase);
  const db = await createDataSource(
    env('DATABASE_URL', `postgres://postgres:postgres@localhost:${env('CERTFLOW_PG_PORT', '5433')}/certflow`),
    { role: env('CERTFLOW_DB_ROLE', 'certflow_app'), ...poolSettingsFromEnv() },
  ).initialize();
  const temporal = temporalSettings();
  const client = new Client({ connection: await connectClient(temporal), namespace: temporal.namespace });
  return {
    client,
    taskQueue: env('TEMPORAL_TASK_QUEUE', TASK_QUEUE),
    policy,
    store: new PostgresEventStore(db),
    db,
    now: Date.now,
    // Index sets for the Web UI; off where the server lacks the search attributes.
    indexed: env('TEMPORAL_SEARCH_ATTRIBUTES', 'on') !== 'off',
    stepDeadlineSeconds: seconds('CERTFLOW_STEP_DEADLINE_SECONDS', DEFAULT_STEP_DEADLINE_SECONDS),
  };
}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(await dependencies()), {
    logger: ['error', 'warn', 'log'],
    bodyParser: false,
  });
  // A launch list of 50,000 parties is ~15 MB of JSON; every other body is small.
  app.useBodyParser('json', { limit: env('API_BODY_LIMIT', '32mb') });
  app.use(bodyParserErrors);
  app.use(refuseBadText);
  app.useGlobalPipes(new IdParamPipe(), validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CertFlow staff API')
      .setDescription('CA-certificate and e-seal campaigns')
      .setVersion('0.1')
      .build(),
  );
  withPendingSteps(withProblemSchema(doc));
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/openapi.json' });
  const port = Number(env('PORT', '3000'));
  await app.listen(port, env('HOST', '127.0.0.1'));
  process.stdout.write(`api: http://localhost:${port}  docs: http://localhost:${port}/docs\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`api failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
