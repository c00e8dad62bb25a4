import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { Client as Pg } from 'pg';
import type { LaunchItem } from '@certflow/domain';
import { launchProgress, refusedLaunchItems, saveLaunch, type PostgresEventStore } from '@certflow/event-store';
import { createEventActivities, createLaunchActivities, START_FAILED } from '@certflow/activities';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import type { DataSource } from 'typeorm';
import { campaignLaunchWorkflow, credentialSetState } from '@certflow/workflows';
import {
  campaignFromNow,
  staff,
  startWorkflowTestBed,
  steadyClient,
  uniqueId,
  type WorkflowTestBed,
} from './support/time-skipping';

// Launch items that fail at run time, after the list was checked: each is refused with its rule,
// the others launch, and the launch finishes. Real PostgreSQL and the time-skipping server.
let bed: WorkflowTestBed | undefined;
let env: TestWorkflowEnvironment;
let db: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  bed = await startWorkflowTestBed('launch_refusals', ({ env: e, db: d, store: s }) => ({
    ...createEventActivities({ store: s }),
    ...createLaunchActivities({ db: d, store: s, client: e.client }),
  }));
  ({ env, db, store } = bed);
});

afterAll(() => bed?.stop());

const unit = (tag: string, n: number): LaunchItem => ({
  party: {
    partyId: `${tag}-unit-${n}`,
    partyType: 'BUDGET_UNIT',
    name: `常州市某局${n}`,
    jurisdiction: 'wujin',
    identifier: '11320400014000001T',
    supervisingUnitId: 'wujin-edu',
    contact: { name: '张三', phone: '0519-85681829' },
  },
  setId: `${tag}-set-${n}`,
  kind: 'NEW',
  oldCredential: null,
});

/**
 * PostgreSQL refuses every write to these streams with a data error (SQLSTATE 22023), as it
 * refuses content it cannot store: a trigger in the test's own database, not a stand-in for ours.
 */
async function refuseWritesTo(streamIds: readonly string[]): Promise<void> {
  const admin = new Pg({ connectionString: bed!.database.url });
  await admin.connect();
  try {
    await admin.query(`
      CREATE OR REPLACE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id = ANY (string_to_array(current_setting('certflow.poisoned', true), ',')) THEN
          RAISE EXCEPTION 'value refused for stream %', NEW.stream_id USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS refuse_poisoned ON events;
      CREATE TRIGGER refuse_poisoned BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poisoned();`);
    const name = new URL(bed!.database.url).pathname.slice(1);
    await admin.query(`ALTER DATABASE ${name} SET certflow.poisoned = '${streamIds.join(',')}'`);
  } finally {
    await admin.end();
  }
  // The application's pool picks the setting up on new connections.
  await db.destroy();
  await db.initialize();
}

async function launch(client: Client, items: readonly LaunchItem[], options: { indexed?: boolean } = {}) {
  const policy = await campaignFromNow(env);
  const launchId = uniqueId('L');
  const at = new Date(await env.currentTimeMs()).toISOString();
  await saveLaunch(db, { launchId, policyId: policy.id, actor: staff, requestedAt: at, total: items.length }, items);
  const input = { launchId, total: items.length, policy, at, actor: staff, chunkSize: 4, ...options };
  const run = (workflowId: string) =>
    client.workflow.execute(campaignLaunchWorkflow, { workflowId, taskQueue: TASK_QUEUE, args: [input] });
  return { launchId, result: await run(`launch-${launchId}`), rerun: () => run(`launch-${launchId}-again`) };
}

describe('a launch whose items fail at run time', () => {
  it('refuses an item whose party or set PostgreSQL refuses, with the rule, frees no slot it took, and launches the rest', async () => {
    const tag = uniqueId('rt');
    const items = Array.from({ length: 10 }, (_, n) => unit(tag, n));
    // Item 2's party and item 6's set are refused; item 6's party was registered first.
    await refuseWritesTo([`party-${tag}-unit-2`, `credential-set-${tag}-set-6`]);

    const { launchId, result, rerun } = await launch(steadyClient(env), items);
    expect(result).toEqual({ total: 10, next: 10, launched: 8, refused: 2 });
    expect(await launchProgress(db, launchId)).toMatchObject({ launched: 8, refused: 2, pending: 0 });
    expect(await refusedLaunchItems(db, launchId)).toEqual([
      expect.objectContaining({ seq: 2, problem: expect.objectContaining({ rule: 'MALFORMED_EVENT' }) }),
      expect.objectContaining({ seq: 6, problem: expect.objectContaining({ rule: 'MALFORMED_EVENT' }) }),
    ]);

    // Nothing of the refused items but item 6's party, which holds no slot for the missing set.
    expect(await store.streamVersion(`party-${tag}-unit-2`)).toBe(0);
    expect(await store.streamVersion(`credential-set-${tag}-set-6`)).toBe(0);
    expect((await store.readStreamToArray(`party-${tag}-unit-6`)).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
      'CredentialSetClosed',
    ]);
    // The others are launched, in the same chunks as the refused ones.
    for (const n of [1, 3, 5, 7]) {
      const set = env.client.workflow.getHandle(`credential-set-${tag}-set-${n}`);
      expect((await set.query(credentialSetState)).status).toBe('APPLIED');
    }

    // Run again (a chunk retried): the same outcome, nothing written twice.
    expect(await rerun()).toEqual(result);
    expect(await refusedLaunchItems(db, launchId)).toHaveLength(2);
    expect((await store.readStreamToArray(`party-${tag}-unit-6`)).length).toBe(3);
  });

  it('refuses every item whose workflow the server will not start (START_FAILED), and finishes', async () => {
    const tag = uniqueId('start');
    const items = Array.from({ length: 3 }, (_, n) => unit(tag, n));
    // The time-skipping server has none of the Web UI's search attributes registered: an indexed
    // start is refused as an invalid argument, every time.
    const { launchId, result } = await launch(steadyClient(env), items, { indexed: true });
    expect(result).toEqual({ total: 3, next: 3, launched: 0, refused: 3 });
    const refused = await refusedLaunchItems(db, launchId);
    expect(refused.map((r) => (r.problem as { rule: string }).rule)).toEqual([
      START_FAILED,
      START_FAILED,
      START_FAILED,
    ]);
  });
});
