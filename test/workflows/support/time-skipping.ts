import { Client, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadPolicy, localDateOf, rebasePolicy, startOfDay, type CampaignPolicy } from '@certflow/domain';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { bundleWorkflows, createWorker, temporalBinaries, TASK_QUEUE } from '@certflow/temporal-runtime';
import { credentialSetStep, credentialSetWorkflow, type PartyStepCommand, type StepCommand } from '@certflow/workflows';
import { createDataSource, migrate, PostgresEventStore } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';

// What both workflow tiers share: Temporal's time-skipping server, a worker on the real workflow
// bundle, the campaign calendar anchored at server time, and the steps of a set.

export const staff = { id: 'zhang', role: 'FINANCE_STAFF' } as const;
export const supervisor = { id: 'li', role: 'SUPERVISING_UNIT' } as const;
export const contact = { id: 'contact', role: 'PARTY' } as const;
export const DAY = 86_400_000;

export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const { testServer } = temporalBinaries();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServer } },
  });
}

/** Runs a worker with the given activities on the server; the answer stops it. */
export async function runWorker(env: TestWorkflowEnvironment, activities: object): Promise<() => Promise<void>> {
  const worker = await createWorker({ connection: env.nativeConnection, activities, bundle: await bundleWorkflows() });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}

/** The PostgreSQL tier's bed: the time-skipping server, a migrated database of its own, the store, a worker. */
export interface WorkflowTestBed {
  readonly env: TestWorkflowEnvironment;
  readonly database: TestDatabase;
  /** Connected as the application's role, as the worker is. */
  readonly db: DataSource;
  readonly store: PostgresEventStore;
  /** Stops the worker, the server and the connection, and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts the server and a database named after the spec, migrates it, and runs a worker with the
 * activities `activities` builds from them. `stop` undoes whatever was started, also after a
 * failure half-way.
 */
export async function startWorkflowTestBed(
  name: string,
  activities: (parts: { env: TestWorkflowEnvironment; db: DataSource; store: PostgresEventStore }) => object,
): Promise<WorkflowTestBed> {
  let stopWorker: (() => Promise<void>) | undefined;
  let db: DataSource | undefined;
  const [env, database] = await Promise.all([startTimeSkippingServer(), createTestDatabase(name)]);
  const stop = async () => {
    await stopWorker?.();
    await env.teardown();
    await db?.destroy();
    await database.drop();
  };
  try {
    await migrate(database.url);
    db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
    const store = new PostgresEventStore(db);
    stopWorker = await runWorker(env, activities({ env, db, store }));
    return { env, database, db, store, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A client that never unlocks time skipping. The environment's own client lets server time run
 * ahead while it waits for a result, and then every pending timer of every test fires.
 */
export function steadyClient(env: TestWorkflowEnvironment): Client {
  return new Client({ connection: env.connection, ...(env.namespace ? { namespace: env.namespace } : {}) });
}

/**
 * The 2023 campaign rehearsed from the current server day: each test takes its own, so none
 * depends on how far an earlier test moved the server's clock (time only moves forward).
 */
export async function campaignFromNow(env: TestWorkflowEnvironment): Promise<CampaignPolicy> {
  const historic = loadPolicy(changzhou);
  return rebasePolicy(historic, localDateOf(await env.currentTimeMs(), historic.timeZone));
}

/** Ids no other test uses, so tests share nothing but the server. */
let counter = 0;
export function uniqueId(name: string): string {
  counter += 1;
  return `${name}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Moves server time to an instant (the server skips time only when told to here). */
export async function moveTo(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

export const startOf = (policy: CampaignPolicy, day: string): number => startOfDay(day, policy.timeZone);

export async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

export function startSet(env: TestWorkflowEnvironment, setId: string, policy: CampaignPolicy) {
  return env.client.workflow.start(credentialSetWorkflow, {
    workflowId: `credential-set-${setId}`,
    taskQueue: TASK_QUEUE,
    args: [{ setId, policy }],
  });
}

export type SetHandle = WorkflowHandle<typeof credentialSetWorkflow>;
export const step = (h: SetHandle, c: StepCommand) => h.executeUpdate(credentialSetStep, { args: [c] });

export function applyCommand(setId: string, replacement: boolean): StepCommand {
  return {
    type: 'ApplyForCredentialSet',
    actor: supervisor,
    setId,
    party: {
      partyId: `unit-${setId}`,
      partyType: 'BUDGET_UNIT',
      jurisdiction: 'wujin',
      supervisingUnitId: 'wujin-edu',
    },
    kind: replacement ? 'REPLACEMENT' : 'NEW',
    oldCredential: replacement
      ? { serial: `GX-${setId}`, validUntil: '2030-01-01T00:00:00+08:00', boundPlatforms: ['SUCAIYUN'] }
      : null,
    firstSetOfParty: true,
  };
}

/** Registers the Wujin education bureau as the party `partyId`, a budget unit with no supervising unit. */
export function registerPartyCommand(partyId: string): PartyStepCommand {
  return {
    type: 'RegisterParty',
    actor: staff,
    party: {
      partyId,
      partyType: 'BUDGET_UNIT',
      name: '常州市武进区教育局',
      jurisdiction: 'wujin',
      identifier: '113204120141863027',
      supervisingUnitId: null,
      contact: { name: '王', phone: '0519-85681829' },
    },
  };
}

/** Issues the set's CA certificate and e-seal, valid for 364 days from server now. */
export async function issue(env: TestWorkflowEnvironment, h: SetHandle, setId: string) {
  const now = await env.currentTimeMs();
  const validFrom = new Date(now).toISOString();
  const validUntil = new Date(now + 364 * DAY).toISOString();
  return step(h, {
    type: 'IssueCredentialSet',
    actor: staff,
    ca: { serial: `CA-${setId}-1`, issuer: 'JSCA', validFrom, validUntil },
    seal: { serial: `SEAL-${setId}-1`, issuer: 'Founder', validFrom, validUntil },
  });
}
