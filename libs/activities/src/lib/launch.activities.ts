import { Context } from '@temporalio/activity';
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure, ValueError } from '@temporalio/common';
import { decideParty, DomainError, planLaunchItem, type LaunchItem, type PlannedLaunchItem } from '@certflow/domain';
import {
  EventStoreError,
  readLaunchItems,
  recordLaunchOutcomes,
  setsTakenByOthers,
  type AppendRequest,
  type AppendResult,
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

/** The rule of a launch item whose set workflow the server refused to start (a retry would be refused again). */
export const START_FAILED = 'START_FAILED';

/** An item refused at run time: its rule (the store's or the database's code) and why. */
interface Refusal {
  readonly rule: string;
  readonly detail: string;
}

/** The chunk's outcome for each item, by its place in the list. */
class ChunkOutcomes {
  private readonly bySeq = new Map<number, LaunchOutcome>();

  refuse(seq: number, rule: string, detail: string): void {
    this.bySeq.set(seq, { seq, outcome: 'REFUSED', problem: { rule, detail: storable(detail) } });
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

/** A detail PostgreSQL can store (jsonb takes no NUL, no lone surrogate), even when it quotes what was refused. */
function storable(text: string): string {
  return text
    .replaceAll('\u0000', '\\u0000')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
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
    const planned = await refuseTakenSets(deps.db, planItems(items, input, outcomes), outcomes);
    const applied = await appendFirstEvents(deps.store, planned, outcomes, input);
    const taskQueue = Context.current().info.taskQueue;
    await inParallel(applied, concurrency, async ({ seq, item, plan }) => {
      // The party's workflow starts when something first needs it (from its stream).
      const refused = await startOnce(() =>
        deps.client.workflow.start(credentialSetWorkflow, setWorkflowStart(input, item, plan, taskQueue)),
      );
      if (refused) outcomes.refuse(seq, refused.rule, refused.detail);
      else outcomes.launch(seq);
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

/**
 * An item whose set id another party's set holds is refused before its party is registered: the
 * party would otherwise hold a slot for a set that is not its own.
 */
async function refuseTakenSets(
  db: DataSource,
  planned: readonly Planned[],
  outcomes: ChunkOutcomes,
): Promise<Planned[]> {
  const taken = await setsTakenByOthers(
    db,
    planned.map(({ item }) => ({ setId: item.setId, partyId: item.party.partyId })),
  );
  return planned.filter(({ seq, item }) => {
    if (taken.has(item.setId))
      outcomes.refuse(seq, 'SET_ALREADY_EXISTS', `credential set ${item.setId} already exists`);
    return !taken.has(item.setId);
  });
}

/**
 * Parties first, then the sets of the parties registered: a set never exists without its party.
 * An item the store refuses (its version or key taken, or its content) is refused with that rule;
 * the others go on.
 */
async function appendFirstEvents(
  store: PostgresEventStore,
  planned: readonly Planned[],
  outcomes: ChunkOutcomes,
  input: LaunchChunkInput,
): Promise<Planned[]> {
  const partyResults = await appendEach(store, planned, ({ item, plan }) =>
    firstAppend(`party-${item.party.partyId}`, plan.partyEvents),
  );
  const registered = kept(planned, partyResults, outcomes, 'PARTY_ALREADY_REGISTERED');
  Context.current().heartbeat({ phase: 'parties' });
  const setResults = await appendEach(store, registered, ({ item, plan }) =>
    firstAppend(`credential-set-${item.setId}`, plan.setEvents),
  );
  const applied = kept(registered, setResults, outcomes, 'SET_ALREADY_EXISTS');
  Context.current().heartbeat({ phase: 'sets' });
  await releaseSlots(
    store,
    registered.filter((p) => !applied.includes(p)),
    input,
  );
  return applied;
}

/**
 * A party registered by the launch whose set was refused holds no slot for it: its set is closed
 * again as the party's second step (key `party-<id>:2`, so a rerun closes it once). The party stays
 * registered and may apply for a set as any party does.
 */
async function releaseSlots(store: PostgresEventStore, refused: readonly Planned[], input: LaunchChunkInput) {
  const requests = refused.map(({ item, plan }) => {
    const { at, actor } = input;
    const close = { type: 'CloseCredentialSet', at, actor, setId: item.setId, everIssued: false } as const;
    const streamId = `party-${item.party.partyId}`;
    return {
      streamId,
      events: decideParty(close, plan.party, input.policy),
      expectedVersion: plan.party.version,
      idempotencyKey: stepKey(streamId, FIRST_STEP + 1),
    } satisfies AppendRequest;
  });
  if (requests.length > 0) await store.appendBatch(requests); // a party that moved on meanwhile keeps its state
}

/** The items whose append went through; each other one is refused (a taken stream by `taken`). */
function kept(
  planned: readonly Planned[],
  results: readonly (AppendResult | EventStoreError | Refusal)[],
  outcomes: ChunkOutcomes,
  taken: string,
): Planned[] {
  return planned.filter(({ seq }, i) => {
    const r = results[i]!;
    if (r instanceof EventStoreError) outcomes.refuse(seq, taken, r.message);
    else if ('rule' in r) outcomes.refuse(seq, r.rule, r.detail);
    return !(r instanceof EventStoreError) && !('rule' in r);
  });
}

/**
 * One batch for all; if the store or PostgreSQL refuses the batch for its content (one item's,
 * which would refuse every retry of the chunk), each item alone, so that only that item is
 * refused. The database away refuses nothing: that error is thrown and the chunk retries.
 */
async function appendEach(
  store: PostgresEventStore,
  planned: readonly Planned[],
  request: (p: Planned) => AppendRequest,
): Promise<(AppendResult | EventStoreError | Refusal)[]> {
  try {
    return await store.appendBatch(planned.map(request));
  } catch (e) {
    if (!refusalOf(e)) throw e;
  }
  const results: (AppendResult | EventStoreError | Refusal)[] = [];
  for (const p of planned) {
    try {
      results.push((await store.appendBatch([request(p)]))[0]!);
    } catch (e) {
      const refusal = refusalOf(e);
      if (!refusal) throw e;
      results.push(refusal);
    }
    Context.current().heartbeat({ phase: 'one by one' });
  }
  return results;
}

/** The refusal `e` stands for when a retry cannot succeed (classified as the append activity does); else null. */
function refusalOf(e: unknown): Refusal | null {
  const failure = classifyStoreError(e);
  if (!(failure instanceof ApplicationFailure) || !failure.nonRetryable) return null;
  return { rule: failure.type ?? 'MALFORMED_EVENT', detail: failure.message };
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

/**
 * Starts a workflow unless it runs already. A start the server refuses for good (an invalid
 * argument, a failed precondition, a payload it cannot take) is that item's refusal; anything
 * else (the server away, overloaded) is thrown and the chunk retries.
 */
async function startOnce(start: () => Promise<unknown>): Promise<Refusal | null> {
  try {
    await start();
    return null;
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return null;
    if (!isPermanentStartFailure(e)) throw e;
    return { rule: START_FAILED, detail: `the set's workflow could not start: ${(e as Error).message}` };
  }
}

/** gRPC codes a repeated start gets again: INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED. */
const PERMANENT_GRPC_CODES: ReadonlySet<number> = new Set([3, 7, 9, 11, 12]);

export function isPermanentStartFailure(e: unknown): boolean {
  if (e instanceof ValueError) return true; // the input cannot be converted to a payload
  const grpc = isGrpcServiceError(e) ? e : (e as { cause?: unknown } | null)?.cause;
  return isGrpcServiceError(grpc) && PERMANENT_GRPC_CODES.has(grpc.code);
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
