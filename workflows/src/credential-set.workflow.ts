import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decideCredentialSet,
  dueSystemStep,
  foldCredentialSet,
  initialCredentialSetState,
  isEnded,
  SYSTEM_ACTOR,
  toInstant,
  type CampaignPolicy,
  type CredentialSetCommand,
  type CredentialSetEvent,
  type CredentialSetState,
} from '@certflow/domain/lifecycle';
import type { AppendOutcome } from './activities';
import { appendEvents, STEPS_PER_RUN, type Untimed } from './append';
import { decideOrFail } from './failures';
import { Lock } from './lock';
import { credentialSetEnded } from './party.workflow';
import { SEARCH_ATTRIBUTES } from './search-attributes';

/** A staff step: a lifecycle command; `at` defaults to the moment the workflow takes it. */
export type StepCommand = Untimed<CredentialSetCommand>;

export interface StepResult {
  readonly state: CredentialSetState;
  readonly events: readonly CredentialSetEvent[];
  readonly append: AppendOutcome | null;
}

export interface CredentialSetWorkflowInput {
  readonly setId: string;
  readonly policy: CampaignPolicy;
  /** Keep the Web UI's search attributes current (the server must have them registered). */
  readonly indexed?: boolean;
  /** Carried across continue-as-new. */
  readonly carried?: { readonly state: CredentialSetState; readonly seq: number; readonly cutOverHandled: boolean };
}

export const credentialSetStep = defineUpdate<StepResult, [StepCommand]>('credentialSetStep');
export const credentialSetState = defineQuery<CredentialSetState>('credentialSetState');
/** A policy amendment of the same campaign (e.g. a platform's stop day set by a later notice). */
export const amendPolicy = defineSignal<[CampaignPolicy]>('amendPolicy');

/**
 * One credential set (一套), id `credential-set-<setId>`, for as long as it lives. Staff steps
 * arrive as Updates whose validator runs the domain's decide, so a refused step never enters
 * history; the cut-over and each expiry wait on durable timers.
 */
export async function credentialSetWorkflow(input: CredentialSetWorkflowInput): Promise<CredentialSetState> {
  const { setId } = input;
  const streamId = `credential-set-${setId}`;
  let policy = input.policy;
  let state = input.carried?.state ?? initialCredentialSetState;
  let seq = input.carried?.seq ?? 0;
  let cutOverHandled = input.carried?.cutOverHandled ?? false;
  let renewedThisRun = false;
  const firstSeq = seq;
  const lock = new Lock();
  let wake = 0;

  const command = (c: StepCommand): CredentialSetCommand => ({ ...c, at: c.at ?? toInstant(Date.now()) });

  async function record(events: CredentialSetEvent[]): Promise<StepResult> {
    if (events.length === 0) return { state, events, append: null };
    seq += 1;
    const append = await appendEvents({
      streamId,
      events,
      expectedVersion: state.version,
      idempotencyKey: `${workflowInfo().workflowId}:${seq}`,
    });
    const before = state;
    state = foldCredentialSet(events, state);
    if (input.indexed) index(before, state);
    if (events.some((e) => e.type === 'CredentialSetRenewed')) renewedThisRun = true;
    wake += 1;
    return { state, events, append };
  }

  setHandler(credentialSetState, () => state);
  setHandler(amendPolicy, (amended) => {
    if (amended.id === policy.id && amended.version > policy.version) {
      policy = amended;
      wake += 1;
    }
  });
  setHandler(
    credentialSetStep,
    (c) => lock.run(() => record(decideOrFail(() => decideCredentialSet(command(c), state, policy)))),
    { validator: (c: StepCommand) => void decideOrFail(() => decideCredentialSet(command(c), state, policy)) },
  );

  for (;;) {
    const due = dueSystemStep(state, policy, cutOverHandled);
    const seen = wake;
    const woken = due
      ? await condition(() => wake !== seen, Math.max(due.at - Date.now(), 1))
      : await condition(() => wake !== seen || isEnded(state) || renewedThisRun);
    if (!woken && due && Date.now() >= due.at) {
      await lock.run(async () => {
        // The step takes effect at the deadline itself, whenever the timer fires.
        const step = { type: due.type, at: toInstant(due.at), actor: SYSTEM_ACTOR } as CredentialSetCommand;
        await record(decideCredentialSet(step, state, policy));
        if (due.type === 'RecordCutOver') cutOverHandled = true;
      });
    }
    if (isEnded(state)) {
      await condition(() => lock.idle && allHandlersFinished());
      // Added after the first release: runs that ended before it did not tell their party.
      if (patched('tell-party-when-set-ends') && state.party) {
        await getExternalWorkflowHandle(`party-${state.party.partyId}`)
          .signal(credentialSetEnded, { setId, everIssued: state.issuedAt !== null, at: toInstant(Date.now()) })
          .catch(() => undefined); // a set started without its party workflow (tests, imports)
      }
      return state;
    }
    if (renewedThisRun || seq - firstSeq >= STEPS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(() => lock.idle && allHandlersFinished());
      return continueAsNew<typeof credentialSetWorkflow>({
        setId,
        policy,
        ...(input.indexed ? { indexed: true } : {}),
        carried: { state, seq, cutOverHandled },
      });
    }
  }
}

function index(before: CredentialSetState, after: CredentialSetState): void {
  const updates = [];
  if (before.status !== after.status) updates.push({ key: SEARCH_ATTRIBUTES.state, value: after.status });
  if (before.party === null && after.party !== null) {
    updates.push(
      { key: SEARCH_ATTRIBUTES.partyId, value: after.party.partyId },
      { key: SEARCH_ATTRIBUTES.partyType, value: after.party.partyType },
      { key: SEARCH_ATTRIBUTES.jurisdiction, value: after.party.jurisdiction },
    );
  }
  if (updates.length > 0) upsertSearchAttributes(updates);
}
