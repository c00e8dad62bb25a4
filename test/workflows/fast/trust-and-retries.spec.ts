import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { dueSystemStep, SYSTEM_ACTOR } from '@certflow/domain';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import {
  asAppendFailure,
  BUSINESS_TIME_OUT_OF_TOLERANCE,
  campaignLaunchWorkflow,
  credentialSetEnded,
  LAUNCH_CHUNK_RETRY,
  type LaunchActivities,
  type LaunchChunkInput,
  type StepCommand,
  BUSINESS_TIME_TOLERANCE_MS,
  credentialSetState,
  DUE_STEP_RETRY,
  partyState,
  partyStep,
  partyWorkflow,
  STORE_UNAVAILABLE,
  SYSTEM_ACTOR_NOT_ACCEPTED,
} from '@certflow/workflows';
import { InMemoryEventLog } from '../support/in-memory-event-log';
import {
  applyCommand,
  campaignFromNow,
  issue,
  moveTo,
  registerPartyCommand,
  runWorker,
  startSet,
  startTimeSkippingServer,
  staff,
  step,
  supervisor,
  uniqueId,
  waitFor,
  type SetHandle,
} from '../support/time-skipping';

// What the workflows take from outside (an Update's actor and business time) and what they do
// when the store stays away: on the time-skipping server, with the append in memory.
let env: TestWorkflowEnvironment;
let log: InMemoryEventLog;
let stopWorker: (() => Promise<void>) | undefined;

/**
 * A launch's chunk step in memory: each item launched; a launch listed in `giveUp` has its next
 * chunks fail at once (as when the chunk's attempts run out, the store away), then succeed.
 */
const chunkCalls: LaunchChunkInput[] = [];
const giveUp = new Map<string, number>();
const launchActivities: LaunchActivities = {
  launchChunk: (input) => {
    chunkCalls.push(input);
    const left = giveUp.get(input.launchId) ?? 0;
    if (left > 0) {
      giveUp.set(input.launchId, left - 1);
      throw ApplicationFailure.create({ type: 'STORE_DOWN', message: 'PostgreSQL away', nonRetryable: true });
    }
    return Promise.resolve({ launched: input.to - input.from, refused: 0 });
  },
};

beforeAll(async () => {
  env = await startTimeSkippingServer();
  log = new InMemoryEventLog();
  stopWorker = await runWorker(env, { ...log.activities, ...launchActivities });
});

afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
});

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  return (e as WorkflowUpdateFailedError).cause as ApplicationFailure;
};

const updatesIn = async (h: SetHandle) => {
  const events = (await h.fetchHistory()).events ?? [];
  return {
    accepted: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length,
    rejected: events.filter((e) => e.workflowExecutionUpdateRejectedEventAttributes).length,
  };
};

describe('a step sent straight through Temporal', () => {
  it('is refused as the SYSTEM actor or at a business time off the workflow clock, records nothing, and the set steps on', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('trust');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    const collect = { type: 'CollectApplication', actor: supervisor } as const;

    const asSystem = await refusal(step(h, { ...collect, actor: SYSTEM_ACTOR }));
    expect([asSystem.type, asSystem.nonRetryable]).toEqual([SYSTEM_ACTOR_NOT_ACCEPTED, true]);
    const now = await env.currentTimeMs();
    for (const at of [now - 86_400_000, now - BUSINESS_TIME_TOLERANCE_MS - 60_000, now + 3_600_000, 'yesterday']) {
      const off = await refusal(step(h, { ...collect, at: typeof at === 'number' ? new Date(at).toISOString() : at }));
      expect([off.type, off.nonRetryable]).toEqual([BUSINESS_TIME_OUT_OF_TOLERANCE, true]);
    }
    // A refused Update never enters history.
    expect(await updatesIn(h)).toEqual({ accepted: 1, rejected: 0 });
    expect(log.events(`credential-set-${setId}`).map((e) => e.type)).toEqual(['CredentialSetApplied']);

    // Within the tolerance the step is taken, at the time it names.
    const at = new Date((await env.currentTimeMs()) - 60_000).toISOString();
    const collected = await step(h, { ...collect, at });
    expect(collected.state.status).toBe('COLLECTED');
    expect(log.events(`credential-set-${setId}`).map((e) => [e.type, e.at])).toEqual([
      ['CredentialSetApplied', expect.any(String)],
      ['ApplicationCollected', at],
    ]);
    await step(h, { type: 'AcceptFiling', actor: staff });
    expect((await h.query(credentialSetState)).status).toBe('FILED');
  });

  it('is refused by the party workflow too: a SYSTEM close of a set, backdated, frees no slot', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('trust-party');
    const h = await env.client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy }],
    });
    await h.executeUpdate(partyStep, { args: [registerPartyCommand(partyId)] });
    await h.executeUpdate(partyStep, {
      args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-s` }],
    });
    const close = (actor: typeof SYSTEM_ACTOR | typeof staff, at: string) =>
      h.executeUpdate(partyStep, {
        args: [{ type: 'CloseCredentialSet', actor, at, setId: `${partyId}-s`, everIssued: false }],
      });
    const backdated = new Date((await env.currentTimeMs()) - 30 * 86_400_000).toISOString();
    expect((await refusal(close(SYSTEM_ACTOR, backdated))).type).toBe(SYSTEM_ACTOR_NOT_ACCEPTED);
    expect((await refusal(close(staff, backdated))).type).toBe(BUSINESS_TIME_OUT_OF_TOLERANCE);
    expect((await h.query(partyState)).openSets).toEqual([`${partyId}-s`]);
    expect(log.events(`party-${partyId}`).map((e) => e.type)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
  });
});

describe('when the store stays away', () => {
  it('takes a due step again later when its append gave up, under the same key, and the workflow lives on', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('due-retry');
    const streamId = `credential-set-${setId}`;
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    const issued = await issue(env, h, setId);
    const recorded = log.events(streamId).length;

    // The next due step's append gives up twice (as after its attempts ran out).
    const down = () =>
      ApplicationFailure.create({ type: 'STORE_DOWN', message: 'PostgreSQL away', nonRetryable: true });
    log.failNext(streamId, 2, down);
    const due = dueSystemStep(issued.state, policy, false)!;
    await moveTo(env, due.at + 1000);
    await waitFor(() => Promise.resolve(log.failed.some((c) => c.streamId === streamId)));
    expect((await h.describe()).status.name).toBe('RUNNING');

    // It is tried again one minute later (and fails), then two minutes after that, and recorded.
    await moveTo(env, (await env.currentTimeMs()) + 3 * DUE_STEP_RETRY.firstMs + 2000);
    await waitFor(() => Promise.resolve(log.events(streamId).length > recorded));
    const history = (await h.fetchHistory()).events ?? [];
    const waits = history.flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(String(t.seconds)) * 1000] : [];
    });
    expect(waits).toEqual(expect.arrayContaining([DUE_STEP_RETRY.firstMs, 2 * DUE_STEP_RETRY.firstMs]));

    const failed = log.failed.filter((c) => c.streamId === streamId);
    const taken = log.callsFor(streamId).at(-1)!;
    expect(failed.map((c) => c.idempotencyKey)).toEqual([taken.idempotencyKey, taken.idempotencyKey]);
    expect(failed.map((c) => c.events)).toEqual([taken.events, taken.events]);
    // The system step carries its deadline as its business time, however late it was recorded.
    expect(taken.events.every((e) => e.actor.role === 'SYSTEM')).toBe(true);
    expect(taken.events.map((e) => Date.parse(e.at))).toEqual(taken.events.map(() => due.at));
    // The later due steps follow on their own timers, up to the expiry, and the workflow lives on.
    await moveTo(env, Date.parse(issued.state.validUntil!) + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    expect((await h.describe()).status.name).toBe('RUNNING');
  });

  it('retries a staff step’s append while it fails for a while, and records it once', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('staff-retry');
    const streamId = `credential-set-${setId}`;
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    log.failNext(streamId, 2, () => new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const collected = await step(h, { type: 'CollectApplication', actor: supervisor });
    expect(collected.state.status).toBe('COLLECTED');
    expect(log.events(streamId).map((e) => e.type)).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
    expect(log.failed.filter((c) => c.streamId === streamId)).toHaveLength(2);
  });
});

describe('a set’s end told to its party', () => {
  it('is taken from the set’s log, not the signal; the close is retried after a durable wait when its append gives up', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('ended');
    const streamId = `party-${partyId}`;
    const h = await env.client.workflow.start(partyWorkflow, {
      workflowId: streamId,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy }],
    });
    await h.executeUpdate(partyStep, { args: [registerPartyCommand(partyId)] });
    const setId = `${partyId}-s`;
    await h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId }] });
    const set = await startSet(env, setId, policy);
    await step(set, {
      ...applyCommand(setId, false),
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction: 'wujin', supervisingUnitId: null },
    } as StepCommand);
    await step(set, { type: 'CollectApplication', actor: supervisor });

    // Signals anyone could send: the set has not ended (its log says so), and a bad time. Not taken.
    const backdated = new Date((await env.currentTimeMs()) - 30 * 86_400_000).toISOString();
    await h.signal(credentialSetEnded, { setId, everIssued: true, at: backdated });
    await h.signal(credentialSetEnded, { setId, everIssued: false, at: 'not a time' });
    // Both looked the set up in the log (one activity each) and left the slot open.
    await waitFor(async () => {
      const events = (await h.fetchHistory()).events ?? [];
      return events.filter((e) => e.activityTaskCompletedEventAttributes).length === 2;
    });
    expect((await h.query(partyState)).openSets).toEqual([setId]);
    // The set ends (rejected at filing) and tells its party; the party's append gives up once.
    const down = () =>
      ApplicationFailure.create({ type: 'STORE_DOWN', message: 'PostgreSQL away', nonRetryable: true });
    log.failNext(streamId, 1, down);
    const rejected = await step(set, { type: 'RejectFiling', actor: staff, reason: '申请表未盖公章' });
    await waitFor(() => Promise.resolve(log.failed.some((c) => c.streamId === streamId)));
    expect((await h.describe()).status.name).toBe('RUNNING');
    expect((await h.query(partyState)).openSets).toEqual([setId]);

    await moveTo(env, (await env.currentTimeMs()) + DUE_STEP_RETRY.firstMs + 1000);
    await waitFor(async () => (await h.query(partyState)).openSets.length === 0);
    const closes = log.callsFor(streamId).filter((c) => c.events.some((e) => e.type === 'CredentialSetClosed'));
    expect(closes.map((c) => c.idempotencyKey)).toEqual([
      log.failed.find((c) => c.streamId === streamId)!.idempotencyKey,
    ]);
    // The close carries the end's own time and issue, from the set's log.
    expect(log.events(streamId).map((e) => [e.type, e.at, e.data])).toEqual([
      ['PartyRegistered', expect.any(String), expect.anything()],
      ['CredentialSetOpened', expect.any(String), expect.anything()],
      ['CredentialSetClosed', rejected.events[0]!.at, { setId, everIssued: false }],
    ]);
    // The party takes its next step.
    await h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${setId}2` }] });
  });
});

describe('a launch whose chunk gives up', () => {
  it('waits, takes the chunk again, and completes', async () => {
    const policy = await campaignFromNow(env);
    const launchId = uniqueId('L');
    giveUp.set(launchId, 2);
    const h = await env.client.workflow.start(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}`,
      taskQueue: TASK_QUEUE,
      args: [{ launchId, total: 4, policy, at: new Date().toISOString(), actor: staff, chunkSize: 2 }],
    });
    // The environment's client lets time run while it waits for the result: the waits pass at once.
    expect(await h.result()).toEqual({ total: 4, next: 4, launched: 4, refused: 0 });
    const calls = chunkCalls.filter((c) => c.launchId === launchId).map((c) => [c.from, c.to]);
    expect(calls).toEqual([
      [0, 2],
      [0, 2],
      [0, 2],
      [2, 4],
    ]);
    const waits = ((await h.fetchHistory()).events ?? []).flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(String(t.seconds)) * 1000] : [];
    });
    expect(waits).toEqual([LAUNCH_CHUNK_RETRY.firstMs, 2 * LAUNCH_CHUNK_RETRY.firstMs]);
  });
});

describe('an append that gave up, as a staff step’s Update answers it', () => {
  const gaveUp = (cause: Error) =>
    new ActivityFailure('activity failed', 'appendEvents', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'worker', cause);

  it('is STORE_UNAVAILABLE (503) when attempts or time ran out, and the store’s refusal as it is otherwise', () => {
    const outOfAttempts = asAppendFailure(gaveUp(ApplicationFailure.create({ message: 'connection refused' })));
    expect(outOfAttempts).toMatchObject({ type: STORE_UNAVAILABLE, nonRetryable: true });
    const refused = gaveUp(ApplicationFailure.create({ type: 'MALFORMED_EVENT', message: 'NUL', nonRetryable: true }));
    expect(asAppendFailure(refused)).toBe(refused);
    const domain = ApplicationFailure.create({ type: 'STEP_OUT_OF_ORDER', message: 'no', nonRetryable: true });
    expect(asAppendFailure(domain)).toBe(domain);
  });
});
