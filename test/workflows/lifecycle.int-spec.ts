import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  formatLocal,
  loadPolicy,
  localDateOf,
  rebasePolicy,
  startOfDay,
  type CampaignPolicy,
  type CredentialSetState,
  type LaunchItem,
} from '@certflow/domain';
import {
  createDataSource,
  launchProgress,
  migrate,
  PostgresEventStore,
  refusedLaunchItems,
  saveLaunch,
  verifyLog,
  type StoredEvent,
} from '@certflow/event-store';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { createEventActivities, createLaunchActivities } from '@certflow/activities';
import { bundleWorkflows, createWorker, temporalBinaries, TASK_QUEUE } from '@certflow/temporal-runtime';
import type { DataSource } from 'typeorm';
import { credentialSetState, credentialSetStep, credentialSetWorkflow, type StepCommand } from '@certflow/workflows';
import { partyState, partyStep, partyWorkflow, type PartyStepResult } from '@certflow/workflows';
import { campaignLaunchWorkflow } from '@certflow/workflows';

// The whole campaign calendar on Temporal's time-skipping server, with the real event store.
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let worker: Worker;
let running: Promise<void>;
let policy: CampaignPolicy;

const staff = { id: 'zhang', role: 'FINANCE_STAFF' } as const;
const supervisor = { id: 'li', role: 'SUPERVISING_UNIT' } as const;
const contact = { id: 'contact', role: 'PARTY' } as const;
const DAY = 86_400_000;

beforeAll(async () => {
  const { testServer } = temporalBinaries();
  [env, database] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } }),
    createTestDatabase('workflows'),
  ]);
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  store = new PostgresEventStore(db);
  worker = await createWorker({
    connection: env.nativeConnection,
    activities: {
      ...createEventActivities({ store }),
      ...createLaunchActivities({ db, store, client: env.client }),
    },
    bundle: await bundleWorkflows(),
  });
  running = worker.run();
  // Rehearse the 2023 campaign: its calendar moved so that it opened this week, server time.
  const historic = loadPolicy(changzhou);
  policy = rebasePolicy(historic, localDateOf(await env.currentTimeMs(), historic.timeZone));
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.destroy();
  await database?.drop();
});

async function startSet(setId: string) {
  return env.client.workflow.start(credentialSetWorkflow, {
    workflowId: `credential-set-${setId}`,
    taskQueue: TASK_QUEUE,
    args: [{ setId, policy }],
  });
}

type Handle = Awaited<ReturnType<typeof startSet>>;
const step = (h: Handle, c: StepCommand) => h.executeUpdate(credentialSetStep, { args: [c] });

/** Moves server time to an instant (the server skips time only when told to here). */
async function moveTo(instant: number) {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

async function events(setId: string): Promise<StoredEvent[]> {
  return store.readStreamToArray(`credential-set-${setId}`);
}

const tz = () => policy.timeZone;
const startOf = (day: string) => startOfDay(day, tz());

function applyCommand(setId: string, replacement: boolean): StepCommand {
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

async function issue(h: Handle, setId: string) {
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

describe('a credential set through the whole campaign', () => {
  // First, while server time is still before the cut-over.
  it('rejects a refused step before it enters history, naming the rule, and appends nothing', async () => {
    const h = await startSet('refused');
    await step(h, applyCommand('refused', false));
    const error = (await step(h, { type: 'AcceptFiling', actor: staff }).catch(
      (e: unknown) => e,
    )) as WorkflowUpdateFailedError;
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(error.cause).toMatchObject({ type: 'STEP_OUT_OF_ORDER' });
    // The workflow sandbox reads the zone right: the refusal names local Shanghai time.
    const before = formatLocal(await env.currentTimeMs(), tz()).slice(0, 13);
    const early = (await step(h, { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' }).catch(
      (e: unknown) => e,
    )) as WorkflowUpdateFailedError;
    const after = formatLocal(await env.currentTimeMs(), tz()).slice(0, 13);
    expect(early.cause).toMatchObject({ type: 'TRANSITION_WINDOW_CLOSED' });
    expect([before, after].some((local) => early.cause!.message.includes(`got ${local}`))).toBe(true);
    expect((await events('refused')).map((e) => e.type)).toEqual(['CredentialSetApplied']);
    const history = await h.fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);
  });

  it('applies, files, issues, moves over in the window, expires, renews and expires again, on durable timers', async () => {
    const h = await startSet('full');
    await step(h, applyCommand('full', true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    const issued = await issue(h, 'full');
    expect(issued.state.status).toBe('ISSUED');
    expect(issued.append).toMatchObject({ duplicate: false });

    await moveTo(startOf(policy.calendar.transitionWindow.start) + 9 * 3_600_000);
    await step(h, { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' });
    const bound = await step(h, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });
    expect(bound.state.boundPlatforms).toEqual(['SUCAIYUN']);

    // Past the cut-over: a bound set records nothing. Then the expiry timer fires by itself.
    const validUntil = Date.parse(issued.state.validUntil!);
    await moveTo(validUntil + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    const renewed = await step(h, { type: 'RenewCredentialSet', actor: staff });
    expect(renewed.state.status).toBe('ISSUED');
    // Renewal continues the workflow as new; the handle follows the chain.
    const secondExpiry = Date.parse(renewed.state.validUntil!);
    await moveTo(secondExpiry + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');

    const log = await events('full');
    expect(log.map((e) => e.type)).toEqual([
      'CredentialSetApplied',
      'ApplicationCollected',
      'FilingAccepted',
      'CredentialSetIssued',
      'OldCredentialUnbound',
      'NewCredentialBound',
      'CredentialSetExpired',
      'CredentialSetRenewed',
      'CredentialSetExpired',
    ]);
    // System steps carry the deadline itself as their business time, whenever the timer fired.
    const expiries = log.filter((e) => e.type === 'CredentialSetExpired');
    expect(expiries.map((e) => Date.parse(e.at))).toEqual([validUntil, secondExpiry]);
    expect(expiries.every((e) => e.actor.role === 'SYSTEM')).toBe(true);
    expect((await verifyLog(db, null, { streamId: 'credential-set-full' })).ok).toBe(true);
  });

  it('records the cut-over for a set not yet bound, blocks the party, and unblocks it on binding', async () => {
    const h = await startSet('late');
    await step(h, applyCommand('late', true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    await issue(h, 'late');
    const cutOver = startOf(policy.platforms['SUCAIYUN']!.oldCredentialStopsOn!);
    await moveTo(cutOver + 60_000);
    await waitFor(async () => (await h.query(credentialSetState)).blockedPlatforms.includes('SUCAIYUN'));
    const bound = await step(h, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });
    expect(bound.events.map((e) => e.type)).toEqual(['NewCredentialBound', 'PlatformAccessRestored']);
    const log = await events('late');
    const stopped = log.filter((e) => e.type === 'OldCredentialStopped' || e.type === 'PlatformAccessBlocked');
    expect(stopped.map((e) => [e.type, Date.parse(e.at)])).toEqual([
      ['OldCredentialStopped', cutOver],
      ['PlatformAccessBlocked', cutOver],
    ]);
  });
});

describe('the party workflow', () => {
  it('gives exactly one of two concurrent applications a set', async () => {
    const h = await env.client.workflow.start(partyWorkflow, {
      workflowId: 'party-p1',
      taskQueue: TASK_QUEUE,
      args: [{ partyId: 'p1', policy }],
    });
    await h.executeUpdate(partyStep, {
      args: [
        {
          type: 'RegisterParty',
          actor: staff,
          party: {
            partyId: 'p1',
            partyType: 'BUDGET_UNIT',
            name: '常州市武进区教育局',
            jurisdiction: 'wujin',
            identifier: '113204120141863027',
            supervisingUnitId: null,
            contact: { name: '王', phone: '0519-85681829' },
          },
        },
      ],
    });
    const outcomes = await Promise.allSettled(
      ['s1', 's2'].map((setId) =>
        h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId }] }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ONE_SET_PER_PARTY' });
    const log = await store.readStreamToArray('party-p1');
    expect(log.map((e) => e.type)).toEqual(['PartyRegistered', 'CredentialSetOpened']);

    // The opened set is rejected at filing: it tells its party, whose slot is free again.
    const opened = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<PartyStepResult>).value;
    const setId = opened.state.openSets[0]!;
    const set = await startSet(setId);
    await step(set, {
      ...applyCommand(setId, false),
      party: { partyId: 'p1', partyType: 'BUDGET_UNIT', jurisdiction: 'wujin', supervisingUnitId: null },
    } as StepCommand);
    await step(set, { type: 'CollectApplication', actor: supervisor });
    await step(set, { type: 'RejectFiling', actor: staff, reason: '申请表未盖公章' });
    await waitFor(async () => (await h.query(partyState)).openSets.length === 0);
    const reopened = await h.executeUpdate(partyStep, {
      args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: 's3' }],
    });
    expect(reopened.state.openSets).toEqual(['s3']);
    expect((await store.readStreamToArray('party-p1')).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
      'CredentialSetClosed',
      'CredentialSetOpened',
    ]);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

export type { CredentialSetState };

describe('a campaign launch', () => {
  // Earlier tests moved server time past the cut-over, so the sets' timers also record it.
  const staffSteps = (es: StoredEvent[]) => es.filter((e) => e.actor.role !== 'SYSTEM').map((e) => e.type);
  const unit = (n: number): LaunchItem => ({
    party: {
      partyId: `launch-unit-${n}`,
      partyType: 'BUDGET_UNIT',
      name: `常州市某局${n}`,
      jurisdiction: 'wujin',
      identifier: '11320400014000001T',
      supervisingUnitId: 'wujin-edu',
      contact: { name: '张三', phone: '0519-85681829' },
    },
    setId: `launch-set-${n}`,
    kind: 'NEW',
    oldCredential: null,
  });

  it('registers each party and applies for its set in chunks, starting both workflows, and a rerun changes nothing', async () => {
    const items = Array.from({ length: 25 }, (_, n) => unit(n));
    // One party exists already (registered by hand): its item is refused, the others go ahead.
    const existing = await env.client.workflow.start(partyWorkflow, {
      workflowId: 'party-launch-unit-7',
      taskQueue: TASK_QUEUE,
      args: [{ partyId: 'launch-unit-7', policy }],
    });
    await existing.executeUpdate(partyStep, {
      args: [{ type: 'RegisterParty', actor: staff, party: items[7]!.party }],
    });

    const at = new Date(await env.currentTimeMs()).toISOString();
    expect(
      await saveLaunch(db, { launchId: 'L1', policyId: policy.id, actor: staff, requestedAt: at, total: 25 }, items),
    ).toBe(true);
    const input = { launchId: 'L1', total: 25, policy, at, actor: staff, chunkSize: 10 };
    const result = await env.client.workflow.execute(campaignLaunchWorkflow, {
      workflowId: 'launch-L1',
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    expect(result).toEqual({ total: 25, next: 25, launched: 24, refused: 1 });
    expect(await launchProgress(db, 'L1')).toMatchObject({ total: 25, launched: 24, refused: 1, pending: 0 });
    expect(await refusedLaunchItems(db, 'L1')).toEqual([
      expect.objectContaining({
        seq: 7,
        partyId: 'launch-unit-7',
        problem: expect.objectContaining({ rule: 'PARTY_ALREADY_REGISTERED' }),
      }),
    ]);

    // The launched workflows hold the state the first events fold to, and take the next step.
    const set = env.client.workflow.getHandle(`credential-set-launch-set-3`);
    expect((await set.query(credentialSetState)).status).toBe('APPLIED');
    // The party is registered with its set open, in its stream; its workflow starts when first needed.
    expect((await store.readStreamToArray('party-launch-unit-3')).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
    ]);
    await expect(env.client.workflow.getHandle('party-launch-unit-3').describe()).rejects.toThrow(/not found/i);
    await set.executeUpdate(credentialSetStep, { args: [{ type: 'CollectApplication', actor: supervisor }] });
    expect(staffSteps(await events('launch-set-3'))).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
    expect(await store.streamVersion('party-launch-unit-7')).toBe(1);

    // The same launch run again (a retried chunk): nothing appended, nothing started twice.
    const [{ n: before }] = await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM events`);
    const again = await env.client.workflow.execute(campaignLaunchWorkflow, {
      workflowId: 'launch-L1-again',
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    expect(again).toEqual(result);
    const [{ n: after }] = await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM events`);
    expect(after).toBe(before);
    expect(staffSteps(await events('launch-set-3'))).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
    expect((await verifyLog(db, null)).ok).toBe(true);
  });
});
