import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { DomainError, planLaunchItem, type LaunchItem, type PlannedLaunchItem } from '@certflow/domain';
import {
  EventStoreError,
  readLaunchItems,
  recordLaunchOutcomes,
  type AppendRequest,
  type LaunchOutcome,
  type PostgresEventStore,
} from '@certflow/event-store';
import {
  credentialSetWorkflow,
  FIRST_STEP,
  SEARCH_ATTRIBUTES,
  stepKey,
  type CredentialSetWorkflowInput,
  type LaunchActivities,
  type LaunchChunkInput,
  type LaunchChunkOutcome,
} from '@certflow/workflows';
import type { DataSource } from 'typeorm';
import { classifyStoreError } from './store-failure';

export interface LaunchActivityDeps {
  readonly db: DataSource;
  readonly store: PostgresEventStore;
  readonly client: Client;
  /** Workflow starts in flight at once per chunk. */
  readonly startConcurrency?: number;
}

type Planned = { readonly seq: number; readonly item: LaunchItem; readonly plan: PlannedLaunchItem };

/** The chunk's outcome for each item, by its place in the list. */
class ChunkOutcomes {
  private readonly bySeq = new Map<number, LaunchOutcome>();

  refuse(seq: number, rule: string, detail: string): void {
    this.bySeq.set(seq, { seq, outcome: 'REFUSED', problem: { rule, detail } });
  }

  launch(seq: number): void {
    this.bySeq.set(seq, { seq, outcome: 'LAUNCHED' });
  }

  all(): LaunchOutcome[] {
    return [...this.bySeq.values()];
  }

  counts(): LaunchChunkOutcome {
    const values = this.all();
    return {
      launched: values.filter((o) => o.outcome === 'LAUNCHED').length,
      refused: values.filter((o) => o.outcome === 'REFUSED').length,
    };
  }
}

/**
 * The launch's chunk step. Every part repeats safely: the first events carry the same keys the
 * workflows use for their first step (`stepKey`: `party-<id>:1`, `credential-set-<id>:1`), so a
 * retry appends nothing twice, and a workflow already started is left as it is. Only the sets'
 * workflows start here: a party's starts from its stream when it is first needed.
 */
export function createLaunchActivities(deps: LaunchActivityDeps): LaunchActivities {
  const concurrency = deps.startConcurrency ?? 32;
  return {
    async launchChunk(input: LaunchChunkInput): Promise<LaunchChunkOutcome> {
      try {
        return await runChunk(input);
      } catch (e) {
        throw classifyStoreError(e);
      }
    },
  };

  async function runChunk(input: LaunchChunkInput): Promise<LaunchChunkOutcome> {
    const items = await readLaunchItems<LaunchItem>(deps.db, input.launchId, input.from, input.to);
    const outcomes = new ChunkOutcomes();
    const planned = planItems(items, input, outcomes);
    const applied = await appendFirstEvents(deps.store, planned, outcomes);
    const taskQueue = Context.current().info.taskQueue;
    await inParallel(applied, concurrency, async ({ seq, item, plan }) => {
      // The party's workflow starts when something first needs it (from its stream).
      await startOnce(() =>
        deps.client.workflow.start(credentialSetWorkflow, setWorkflowStart(input, item, plan, taskQueue)),
      );
      outcomes.launch(seq);
      Context.current().heartbeat({ phase: 'starting' });
    });
    await recordLaunchOutcomes(deps.db, input.launchId, outcomes.all());
    return outcomes.counts();
  }
}

/** Decides every item as register, open and apply would; a refused item is recorded with its rule. */
function planItems(
  items: readonly { seq: number; item: LaunchItem }[],
  input: LaunchChunkInput,
  outcomes: ChunkOutcomes,
): Planned[] {
  const planned: Planned[] = [];
  for (const { seq, item } of items) {
    try {
      planned.push({ seq, item, plan: planLaunchItem(item, input.at, input.actor, input.policy) });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      outcomes.refuse(seq, e.code, e.message);
    }
  }
  return planned;
}

/** Parties first, then the sets of the parties registered: a set never exists without its party. */
async function appendFirstEvents(
  store: PostgresEventStore,
  planned: readonly Planned[],
  outcomes: ChunkOutcomes,
): Promise<Planned[]> {
  const partyResults = await store.appendBatch(
    planned.map(({ item, plan }) => firstAppend(`party-${item.party.partyId}`, plan.partyEvents)),
  );
  const registered = planned.filter(({ seq }, i) => {
    const r = partyResults[i]!;
    if (r instanceof EventStoreError) outcomes.refuse(seq, 'PARTY_ALREADY_REGISTERED', r.message);
    return !(r instanceof EventStoreError);
  });
  Context.current().heartbeat({ phase: 'parties' });
  const setResults = await store.appendBatch(
    registered.map(({ item, plan }) => firstAppend(`credential-set-${item.setId}`, plan.setEvents)),
  );
  const applied = registered.filter(({ seq }, i) => {
    const r = setResults[i]!;
    if (r instanceof EventStoreError) outcomes.refuse(seq, 'SET_ALREADY_EXISTS', r.message);
    return !(r instanceof EventStoreError);
  });
  Context.current().heartbeat({ phase: 'sets' });
  return applied;
}

/** The set's workflow starts with the state its first events fold to, after its first step. */
function setWorkflowStart(input: LaunchChunkInput, item: LaunchItem, plan: PlannedLaunchItem, taskQueue: string) {
  return {
    workflowId: `credential-set-${item.setId}`,
    taskQueue,
    args: [
      {
        setId: item.setId,
        policy: input.policy,
        ...(input.indexed ? { indexed: true } : {}),
        carried: { state: plan.set, seq: FIRST_STEP, cutOverHandled: false },
      },
    ] satisfies [CredentialSetWorkflowInput],
    ...(input.indexed
      ? {
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.campaign, value: input.policy.id },
            { key: SEARCH_ATTRIBUTES.partyId, value: item.party.partyId },
            { key: SEARCH_ATTRIBUTES.partyType, value: item.party.partyType },
            { key: SEARCH_ATTRIBUTES.jurisdiction, value: item.party.jurisdiction },
            { key: SEARCH_ATTRIBUTES.state, value: plan.set.status },
          ],
        }
      : {}),
  };
}

function firstAppend(streamId: string, events: PlannedLaunchItem['partyEvents'] | PlannedLaunchItem['setEvents']) {
  return {
    streamId,
    events,
    expectedVersion: 'no-stream',
    idempotencyKey: stepKey(streamId, FIRST_STEP),
  } satisfies AppendRequest;
}

async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
