import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { failpoint } from '@certflow/application';
import type { PostgresEventStore } from '@certflow/event-store';
import {
  credentialSetWorkflow,
  SEARCH_ATTRIBUTES,
  type CredentialSetStartActivities,
  type CredentialSetWorkflowInput,
  type StartCredentialSetInput,
} from '@certflow/workflows';

export interface CredentialSetStartDeps {
  readonly client: Client;
  readonly store: PostgresEventStore;
}

/**
 * The party workflow's hand-over of an application to its set: starts `credential-set-<setId>`
 * with the application in its input, once. The start carries the party step that opened the slot
 * (`origin`) in its memo, so a retry (the worker died after the start) recognises its own set and
 * succeeds, while a set of that id that is not this application's (launched, or applied for by
 * another party in a race) fails non-retryably with SET_ALREADY_EXISTS. Temporal away: retried.
 */
export function createCredentialSetStartActivities(deps: CredentialSetStartDeps): CredentialSetStartActivities {
  return {
    async startCredentialSet(input: StartCredentialSetInput): Promise<void> {
      const workflowId = `credential-set-${input.setId}`;
      const existing = await originOf(deps.client, workflowId);
      if (existing !== undefined) return ours(existing, input);
      // A launched set has its first events before its workflow starts.
      if ((await deps.store.streamVersion(workflowId)) > 0) throw taken(input.setId, 'its stream has events');
      try {
        await deps.client.workflow.start(credentialSetWorkflow, startOptions(input, Context.current().info.taskQueue));
      } catch (e) {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        return ours(await originOf(deps.client, workflowId), input);
      }
      failpoint('start-set.after-start');
    },
  };
}

function startOptions(input: StartCredentialSetInput, taskQueue: string) {
  return {
    workflowId: `credential-set-${input.setId}`,
    taskQueue,
    args: [
      {
        setId: input.setId,
        policy: input.policy,
        ...(input.indexed ? { indexed: true } : {}),
        application: input.application,
      },
    ] satisfies [CredentialSetWorkflowInput],
    memo: { origin: input.application.origin },
    // A set id is used once: not even a set that ended may be started again under it.
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    // The set indexes its party itself once its first step is recorded.
    ...(input.indexed ? { typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.campaign, value: input.policy.id }] } : {}),
  };
}

/** The origin in the memo of the set's workflow; null for a set started otherwise; undefined if there is none. */
async function originOf(client: Client, workflowId: string): Promise<string | null | undefined> {
  try {
    const { memo } = await client.workflow.getHandle(workflowId).describe();
    const origin = memo?.['origin'];
    return typeof origin === 'string' ? origin : null;
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

function ours(origin: string | null | undefined, input: StartCredentialSetInput): void {
  if (origin !== input.application.origin) throw taken(input.setId, 'another application started it');
}

function taken(setId: string, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'SET_ALREADY_EXISTS',
    message: `credential set ${setId} already exists (${why})`,
    details: [{ setId }],
    nonRetryable: true,
  });
}
