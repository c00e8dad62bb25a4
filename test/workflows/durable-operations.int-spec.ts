import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { CampaignPolicy, LaunchItem } from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, refusedLaunchItems, saveLaunch } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import {
  createCredentialSetStartActivities,
  createEventActivities,
  createLaunchActivities,
  createSetEndActivities,
} from '@certflow/activities';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import type { DataSource } from 'typeorm';
import {
  applyForCredentialSet,
  campaignLaunchWorkflow,
  credentialSetApplied,
  credentialSetWorkflow,
  partyRegistered,
  partyState,
  partyStep,
  partyWorkflow,
  type PartySetApplication,
  type PartyWorkflowInput,
  type SetApplication,
} from '@certflow/workflows';
import {
  applyCommand,
  campaignFromNow,
  contact,
  staff,
  registerPartyCommand,
  runWorker,
  startSet,
  startTimeSkippingServer,
  steadyClient,
  step,
  supervisor,
  uniqueId,
  waitFor,
} from './support/time-skipping';

// Registering and applying as one durable unit each, on the time-skipping server with the real
// event store: the party's workflow is started with its registration, and opens a slot and starts
// its set (with the application) in one Update.
let env: TestWorkflowEnvironment;
let client: Client;
let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let stopWorker: (() => Promise<void>) | undefined;
/** Set id → how many more times its start fails as if Temporal's frontend were unreachable. */
const startFaults = new Map<string, number>();

beforeAll(async () => {
  [env, database] = await Promise.all([startTimeSkippingServer(), createTestDatabase('durable_ops')]);
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  store = new PostgresEventStore(db);
  client = steadyClient(env);
  const starts = createCredentialSetStartActivities({ client, store });
  stopWorker = await runWorker(env, {
    ...createEventActivities({ store }),
    ...createSetEndActivities({ store }),
    // The real start, behind a switch that makes it fail as if the frontend were away (startFaults).
    startCredentialSet: async (input: Parameters<typeof starts.startCredentialSet>[0]) => {
      const left = startFaults.get(input.setId) ?? 0;
      if (left > 0) {
        startFaults.set(input.setId, left - 1);
        throw new Error('the Temporal frontend is unreachable (injected)');
      }
      return starts.startCredentialSet(input);
    },
    ...createLaunchActivities({ db, store, client }),
  });
});

afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
  await db?.destroy();
  await database?.drop();
});

const types = async (streamId: string) => (await store.readStreamToArray(streamId)).map((e) => e.type);
const serverNow = async () => new Date(await env.currentTimeMs()).toISOString();

/** The Wujin bureau's registration, stamped with server time, as the API hands it to the start. */
async function registration(partyId: string): Promise<NonNullable<PartyWorkflowInput['registration']>> {
  return { ...registerPartyCommand(partyId), at: await serverNow() } as NonNullable<PartyWorkflowInput['registration']>;
}

async function registeredParty(policy: CampaignPolicy) {
  const partyId = uniqueId('p');
  const h = await client.workflow.start(partyWorkflow, {
    workflowId: `party-${partyId}`,
    taskQueue: TASK_QUEUE,
    args: [{ partyId, policy, registration: await registration(partyId) }],
  });
  await h.executeUpdate(partyRegistered, { args: [] });
  return { partyId, h };
}

const application = (setId: string, policy: CampaignPolicy): PartySetApplication => ({
  setId,
  kind: 'NEW',
  oldCredential: null,
  actor: supervisor,
  policy,
});

describe('a party started with its registration', () => {
  it('records the registration as its first step; the read-only Update answers the registered party', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const state = await h.executeUpdate(partyRegistered, { args: [] });
    expect(state).toMatchObject({ party: { partyId, partyType: 'BUDGET_UNIT' }, version: 1 });
    const log = await store.readStreamToArray(`party-${partyId}`);
    expect(log.map((e) => [e.type, e.idempotencyKey.replace(/#\d+$/, '')])).toEqual([
      ['PartyRegistered', `party-${partyId}:1`],
    ]);
    // Asked again (a retried request): the same party, nothing appended.
    expect(await h.executeUpdate(partyRegistered, { args: [] })).toEqual(state);
    expect(await store.streamVersion(`party-${partyId}`)).toBe(1);
  });

  it('whose registration is refused fails with the rule and appends nothing, leaving the id free', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('refused');
    const refused = { ...(await registration(partyId)), actor: contact };
    const h = await client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy, registration: refused }],
    });
    const failure = (await h.result().catch((e: unknown) => e)) as WorkflowFailedError;
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failure.cause).toMatchObject({ type: 'ROLE_NOT_ALLOWED' });
    expect(await store.streamVersion(`party-${partyId}`)).toBe(0);
    // The id is free: the same party registered properly afterwards.
    const again = await client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy, registration: await registration(partyId) }],
    });
    expect((await again.executeUpdate(partyRegistered, { args: [] })).party?.partyId).toBe(partyId);
  });

  it.each([
    ['the SYSTEM actor', { actor: { id: 'cron', role: 'SYSTEM' } }, 'SYSTEM_ACTOR_NOT_ACCEPTED'],
    ['a business time an hour before the start', { at: 'past' }, 'BUSINESS_TIME_OUT_OF_TOLERANCE'],
  ] as const)(
    'whose registration carries %s is refused as untrusted, appending nothing',
    async (_name, change, rule) => {
      const policy = await campaignFromNow(env);
      const partyId = uniqueId('untrusted');
      const base = await registration(partyId);
      const untrusted =
        'at' in change
          ? { ...base, at: new Date(Date.parse(base.at) - 3_600_000).toISOString() }
          : { ...base, actor: change.actor };
      const h = await client.workflow.start(partyWorkflow, {
        workflowId: `party-${partyId}`,
        taskQueue: TASK_QUEUE,
        args: [{ partyId, policy, registration: untrusted }],
      });
      const failure = (await h.result().catch((e: unknown) => e)) as WorkflowFailedError;
      expect(failure.cause).toMatchObject({ type: rule });
      expect(await store.streamVersion(`party-${partyId}`)).toBe(0);
    },
  );

  it('started the first releases’ way (no registration in the input) waits for the registration Update', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('old');
    const h = await client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy }],
    });
    const waiting = h.executeUpdate(partyRegistered, { args: [] });
    expect((await h.query(partyState)).party).toBeNull();
    await h.executeUpdate(partyStep, { args: [registerPartyCommand(partyId)] });
    expect((await waiting).party?.partyId).toBe(partyId);
  });
});

describe('an application through the party', () => {
  it('opens the slot and starts the set with its application, which the set records as its first step', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const setId = `${partyId}-a`;
    const opened = await h.executeUpdate(applyForCredentialSet, { args: [application(setId, policy)] });
    expect(opened.state.openSets).toEqual([setId]);
    expect(opened.events).toEqual([expect.objectContaining({ type: 'CredentialSetOpened' })]);
    const set = client.workflow.getHandle(`credential-set-${setId}`);
    const first = await set.executeUpdate(credentialSetApplied, { args: [] });
    expect(first.state).toMatchObject({ status: 'APPLIED', setId, party: { partyId }, firstSetOfParty: true });
    expect(first.events.map((e) => e.type)).toEqual(['CredentialSetApplied']);
    expect(first.append).toMatchObject({ fromVersion: 1, toVersion: 1 });
    expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
    expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied']);
    // The set takes its next step like any other.
    await step(set, { type: 'CollectApplication', actor: supervisor });
    expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
  });

  it('of two concurrent applications gives exactly one a set; the other starts nothing', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const ids = [`${partyId}-s1`, `${partyId}-s2`];
    const outcomes = await Promise.allSettled(
      ids.map((setId) => h.executeUpdate(applyForCredentialSet, { args: [application(setId, policy)] })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ONE_SET_PER_PARTY' });
    const loser = ids[outcomes.indexOf(refused)]!;
    await expect(client.workflow.getHandle(`credential-set-${loser}`).describe()).rejects.toThrow(/not found/i);
    expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
  });

  it('refused by the set’s own rules (channel role) is refused by the validator: nothing opened, nothing started', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const setId = `${partyId}-a`;
    const failure = (await h
      .executeUpdate(applyForCredentialSet, { args: [{ ...application(setId, policy), actor: contact }] })
      .catch((e: unknown) => e)) as WorkflowUpdateFailedError;
    expect(failure.cause).toMatchObject({ type: 'ROLE_NOT_ALLOWED' });
    expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered']);
    await expect(client.workflow.getHandle(`credential-set-${setId}`).describe()).rejects.toThrow(/not found/i);
  });

  it('for a set id another party’s set holds fails with SET_ALREADY_EXISTS and leaves no slot open', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('taken');
    const other = await startSet(env, setId, policy);
    await step(other, applyCommand(setId, false));
    const { h } = await registeredParty(policy);
    const failure = (await h
      .executeUpdate(applyForCredentialSet, { args: [application(setId, policy)] })
      .catch((e: unknown) => e)) as WorkflowUpdateFailedError;
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = failure.cause instanceof ActivityFailure ? failure.cause.cause : failure.cause;
    expect(cause).toMatchObject({ type: 'SET_ALREADY_EXISTS' });
    expect((await h.query(partyState)).openSets).toEqual([]);
    expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied']);
  });
});

describe('a set started with an application', () => {
  it('refused at its first step ends with the rule, records nothing, and frees its party’s slot', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const setId = `${partyId}-x`;
    await h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId }] });
    const command = {
      ...applyCommand(setId, false),
      at: await serverNow(),
      actor: contact, // a budget unit applies through its supervising unit, not by itself
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction: 'wujin', supervisingUnitId: null },
    } as SetApplication['command'];
    const set = await client.workflow.start(credentialSetWorkflow, {
      workflowId: `credential-set-${setId}`,
      taskQueue: TASK_QUEUE,
      args: [{ setId, policy, application: { command, origin: `party-${partyId}:2` } }],
    });
    const failure = (await set.result().catch((e: unknown) => e)) as WorkflowFailedError;
    expect(failure.cause).toMatchObject({ type: 'ROLE_NOT_ALLOWED' });
    expect(await store.streamVersion(`credential-set-${setId}`)).toBe(0);
    await waitFor(async () => (await h.query(partyState)).openSets.length === 0);
    expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered', 'CredentialSetOpened', 'CredentialSetClosed']);
  });
});

describe('a set started with an application as the SYSTEM actor (past the party)', () => {
  it('fails with SYSTEM_ACTOR_NOT_ACCEPTED and records nothing', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('system');
    const command = {
      ...applyCommand(setId, false),
      at: await serverNow(),
      actor: { id: 'cron', role: 'SYSTEM' },
    } as SetApplication['command'];
    const set = await client.workflow.start(credentialSetWorkflow, {
      workflowId: `credential-set-${setId}`,
      taskQueue: TASK_QUEUE,
      args: [{ setId, policy, application: { command, origin: 'party-nobody:1' } }],
    });
    const failure = (await set.result().catch((e: unknown) => e)) as WorkflowFailedError;
    expect(failure.cause).toMatchObject({ type: 'SYSTEM_ACTOR_NOT_ACCEPTED' });
    expect(await store.streamVersion(`credential-set-${setId}`)).toBe(0);
  });
});

describe('an application whose set cannot be started for a while (the frontend away)', () => {
  it('keeps its slot, waits durably once the start activity gives up, and starts the set once it can', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const setId = `${partyId}-a`;
    startFaults.set(setId, 60); // more failures than one activity's bounded attempts
    const applying = h.executeUpdate(applyForCredentialSet, { args: [application(setId, policy)] });
    let settled = false;
    void applying.finally(() => (settled = true)).catch(() => undefined);
    for (let i = 0; i < 60 && !settled; i += 1) await env.sleep('2 minutes');
    const opened = await applying;
    expect(opened.state.openSets).toEqual([setId]);
    expect(startFaults.get(setId)).toBe(0);
    // The activity gave up at least once, and the party waited on a durable timer before trying again.
    const history = await h.fetchHistory();
    const events = history.events ?? [];
    expect(events.some((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes)).toBe(true);
    expect(events.some((e) => e.timerStartedEventAttributes)).toBe(true);
    const first = await client.workflow.getHandle(`credential-set-${setId}`).executeUpdate(credentialSetApplied, {
      args: [],
    });
    expect(first.state).toMatchObject({ status: 'APPLIED', setId });
    expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
    expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied']);
  });
});

describe('the start-set activity', () => {
  it('run again after its start (the worker died before reporting) succeeds once; another origin is refused for good', async () => {
    const policy = await campaignFromNow(env);
    const { partyId, h } = await registeredParty(policy);
    const setId = `${partyId}-a`;
    await h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId }] });
    const command = {
      ...applyCommand(setId, false),
      at: await serverNow(),
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction: 'wujin', supervisingUnitId: null },
    } as SetApplication['command'];
    const { startCredentialSet } = createCredentialSetStartActivities({ client, store });
    const input = { setId, policy, indexed: false, application: { command, origin: `party-${partyId}:2` } };
    const activity = new MockActivityEnvironment({ taskQueue: TASK_QUEUE });
    await activity.run(startCredentialSet, input);
    await activity.run(startCredentialSet, input);
    const set = client.workflow.getHandle(`credential-set-${setId}`);
    expect((await set.executeUpdate(credentialSetApplied, { args: [] })).state.status).toBe('APPLIED');
    const other = { ...input, application: { command, origin: `party-someone-else:2` } };
    const refused = (await activity.run(startCredentialSet, other).catch((e: unknown) => e)) as ApplicationFailure;
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'SET_ALREADY_EXISTS', nonRetryable: true });
    expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied']);
  });
});

describe('a launch item whose set id another party’s set holds', () => {
  it('is refused with SET_ALREADY_EXISTS before its party is registered: no slot for another party’s set', async () => {
    const policy = await campaignFromNow(env);
    const taken = uniqueId('taken');
    const other = await startSet(env, taken, policy);
    await step(other, applyCommand(taken, false));
    const tag = uniqueId('L');
    const items = [0, 1].map((n) => ({
      party: (registerPartyCommand(`${tag}-${n}`) as { party: LaunchItem['party'] }).party,
      setId: n === 1 ? taken : `${tag}-${n}-a`,
      kind: 'NEW',
      oldCredential: null,
    })) satisfies LaunchItem[];
    const launchId = uniqueId('launch');
    const at = await serverNow();
    await saveLaunch(db, { launchId, policyId: policy.id, actor: staff, requestedAt: at, total: 2 }, items);
    const result = await client.workflow.execute(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}`,
      taskQueue: TASK_QUEUE,
      args: [{ launchId, total: 2, policy, at, actor: staff }],
    });
    expect(result).toMatchObject({ launched: 1, refused: 1 });
    expect(await refusedLaunchItems(db, launchId)).toEqual([
      expect.objectContaining({ seq: 1, problem: expect.objectContaining({ rule: 'SET_ALREADY_EXISTS' }) }),
    ]);
    expect(await store.streamVersion(`party-${tag}-1`)).toBe(0);
    expect(await types(`party-${tag}-0`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
    expect(await types(`credential-set-${taken}`)).toEqual(['CredentialSetApplied']);
  });
});
