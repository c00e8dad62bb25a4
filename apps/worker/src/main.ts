import 'reflect-metadata';
import { Client } from '@temporalio/client';
import {
  appendSignals,
  createDataSource,
  poolSettingsFromEnv,
  PostgresEventStore,
  Projector,
} from '@certflow/event-store';
import {
  createCredentialSetStartActivities,
  createEventActivities,
  createLaunchActivities,
  createPolicyActivities,
  createSetEndActivities,
} from '@certflow/activities';
import {
  bundleWorkflows,
  connectClient,
  connectWorker,
  createWorker,
  TASK_QUEUE,
  temporalSettings,
} from '@certflow/temporal-runtime';

/** The worker: runs the credential-set and party workflows and their activities. Configuration by env. */
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const int = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

async function main(): Promise<void> {
  const databaseUrl = env(
    'DATABASE_URL',
    `postgres://postgres:postgres@localhost:${env('CERTFLOW_PG_PORT', '5433')}/certflow`,
  );
  const db = await createDataSource(databaseUrl, {
    role: env('CERTFLOW_DB_ROLE', 'certflow_app'),
    ...poolSettingsFromEnv(),
    ...optional('poolSize', int('WORKER_DB_POOL')),
  }).initialize();
  // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and, for a cluster, mutual TLS (TEMPORAL_TLS_*).
  const temporal = temporalSettings();
  const { address, namespace } = temporal;
  const connection = await connectWorker(temporal);
  // The launch activity starts workflows: a client connection beside the worker's own.
  const clientConnection = await connectClient(temporal);
  const client = new Client({ connection: clientConnection, namespace });
  // A pre-built bundle (nx run workflows:bundle) starts faster; otherwise bundle now.
  const bundlePath = process.env['WORKFLOW_BUNDLE'];
  const bundle = bundlePath ? { codePath: bundlePath } : await bundleWorkflows();
  const store = new PostgresEventStore(db);
  const worker = await createWorker({
    connection,
    namespace,
    taskQueue: env('TEMPORAL_TASK_QUEUE', TASK_QUEUE),
    activities: {
      ...createEventActivities({ store }),
      ...createPolicyActivities({ store }),
      ...createSetEndActivities({ store }),
      ...createCredentialSetStartActivities({ client, store }),
      ...createLaunchActivities({
        db,
        store,
        client,
        ...optional('startConcurrency', int('WORKER_LAUNCH_START_CONCURRENCY')),
      }),
    },
    bundle,
    // A campaign holds 10^4-10^6 long-lived sets; only the busy ones stay in memory (~0.2 MB each),
    // the others replay their short histories when a step or timer wakes them. The SDK's own
    // default scales with the heap (~2,300 here) and took the worker past 1 GiB.
    maxCachedWorkflows: int('WORKER_MAX_CACHED_WORKFLOWS') ?? 1000,
    ...optional('maxConcurrentActivityTaskExecutions', int('WORKER_MAX_CONCURRENT_ACTIVITIES')),
    ...optional('maxConcurrentWorkflowTaskExecutions', int('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS')),
  });
  process.stdout.write(`worker: task queue ${worker.options.taskQueue} on ${address}${temporal.tls ? ' (TLS)' : ''}\n`);
  // The read models follow the log here (one projector at a time holds its checkpoint row).
  // It wakes when an append commits (LISTEN/NOTIFY) and polls every second besides.
  let projecting = env('WORKER_PROJECTOR', 'on') !== 'off';
  const projector = new Projector(db, store);
  const signals = appendSignals(databaseUrl);
  const projection = (async () => {
    while (projecting) {
      await projector.catchUp().catch((e: unknown) => process.stderr.write(`projector: ${String(e)}\n`));
      await signals.wait(1000);
    }
  })();
  // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
  await worker.run();
  projecting = false;
  await signals.close();
  await projection;
  await connection.close();
  await clientConnection.close();
  await db.destroy();
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
