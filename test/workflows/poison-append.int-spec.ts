import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { PostgresEventStore } from '@certflow/event-store';
import { createEventActivities, REJECTED_BY_DATABASE } from '@certflow/activities';
import { credentialSetState } from '@certflow/workflows';
import {
  applyCommand,
  campaignFromNow,
  issue,
  moveTo,
  startSet,
  startWorkflowTestBed,
  staff,
  step,
  supervisor,
  uniqueId,
  waitFor,
  type WorkflowTestBed,
} from './support/time-skipping';

// A payload the domain's grammar does not judge (who the actor is beyond the role) but the store
// cannot hold, sent past the API straight through the Temporal client: the append fails at once and
// for good, and the set goes on with its life. (Poison in the commands' own fields is refused by the
// Update validator before any append: poison-side-door.int-spec.ts.)
let bed: WorkflowTestBed | undefined;
let env: TestWorkflowEnvironment;
let store: PostgresEventStore;

beforeAll(async () => {
  bed = await startWorkflowTestBed('poison_append', (parts) => createEventActivities(parts));
  ({ env, store } = bed);
});

afterAll(() => bed?.stop());

describe('a step whose events PostgreSQL refuses', () => {
  it.each([
    ['a NUL', 'bad scan\u0000'],
    ['a lone surrogate', 'bad scan \ud800'],
  ])(
    'with %s fails its Update at once, appends nothing, and the set takes its next step and its expiry timer',
    async (_name, poison) => {
      const policy = await campaignFromNow(env);
      const setId = uniqueId('poison');
      const h = await startSet(env, setId, policy);
      await step(h, applyCommand(setId, false));
      await step(h, { type: 'CollectApplication', actor: supervisor });

      const started = Date.now();
      const actor = { ...staff, id: `${staff.id}${poison}` };
      const error = (await step(h, { type: 'RejectFiling', actor, reason: '材料不全' }).catch(
        (e: unknown) => e,
      )) as WorkflowUpdateFailedError;
      // Well under the local activity's 10 s retry threshold: the failure did not retry.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      // The local activity's refusal reaches the caller as the Update's cause (the SDK 1.24 shape);
      // through an ActivityFailure if a later SDK or a regular activity wraps it, as the API also reads it.
      const refusal = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
      expect(refusal).toBeInstanceOf(ApplicationFailure);
      const failure = refusal as ApplicationFailure;
      expect(failure.type).toBe(REJECTED_BY_DATABASE);
      expect(failure.nonRetryable).toBe(true);

      const stream = `credential-set-${setId}`;
      expect((await store.readStreamToArray(stream)).map((e) => e.type)).toEqual([
        'CredentialSetApplied',
        'ApplicationCollected',
      ]);

      // The same set takes its next valid step, then its durable cut-over and expiry timers fire.
      await step(h, { type: 'AcceptFiling', actor: staff });
      const issued = await issue(env, h, setId);
      expect(issued.state.status).toBe('ISSUED');
      await moveTo(env, Date.parse(issued.state.validUntil!) + 1000);
      await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
      expect((await store.readStreamToArray(stream)).map((e) => e.type)).toEqual([
        'CredentialSetApplied',
        'ApplicationCollected',
        'FilingAccepted',
        'CredentialSetIssued',
        'PlatformAccessBlocked', // the cut-over timer
        'CredentialSetExpired', // the expiry timer
      ]);
    },
    60_000,
  );
});
