import {
  continueAsNew,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
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
import type { AppendOutcome, SetApplication } from './activities';
import type { Untimed } from './append';
import { decideOrFail } from './failures';
import { credentialSetEnded } from './party.workflow';
import { handlePolicyAmendments } from './policy-amendment';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { StepRunner, type AnsweredStep, type DueStep } from './step-runner';
import { refuseUntrusted } from './trust';

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
  /**
   * Since durable applications (issue 11): the application its party's workflow started it with,
   * recorded as the set's first step. Absent in the first releases' histories (the API started the
   * set and sent the application as an Update) and in launched sets (started after their first step).
   */
  readonly application?: SetApplication;
  /** Carried across continue-as-new. */
  readonly carried?: {
    readonly state: CredentialSetState;
    readonly seq: number;
    readonly cutOverHandled: boolean;
    /** The latest staff steps' answers (since 'carry-step-answers'). */
    readonly answered?: readonly AnsweredStep<CredentialSetState, CredentialSetEvent>[];
  };
}

export const credentialSetStep = defineUpdate<StepResult, [StepCommand]>('credentialSetStep');
export const credentialSetState = defineQuery<CredentialSetState>('credentialSetState');
/**
 * Read-only: waits for the set's first step, the application it was started with, and answers it
 * (the API's answer to the application, and to its retries). Refused, it fails with the rule. A set
 * started otherwise answers its state as it is, with no events.
 */
export const credentialSetApplied = defineUpdate<StepResult, []>('credentialSetApplied');

/**
 * One credential set (一套), id `credential-set-<setId>`, for as long as it lives. Staff steps
 * arrive as Updates whose validator runs the domain's decide, so a refused step never enters
 * history; the cut-over and each expiry wait on durable timers.
 */
export async function credentialSetWorkflow(input: CredentialSetWorkflowInput): Promise<CredentialSetState> {
  const { setId } = input;
  let policy = input.policy;
  let cutOverHandled = input.carried?.cutOverHandled ?? false;
  let renewedThisRun = false;
  const steps = new StepRunner<CredentialSetState, CredentialSetEvent>({
    streamId: `credential-set-${setId}`,
    state: input.carried?.state ?? initialCredentialSetState,
    seq: input.carried?.seq ?? 0,
    ...(input.carried?.answered ? { answered: input.carried.answered } : {}),
    fold: foldCredentialSet,
    afterStep: (before, after, events) => {
      if (input.indexed) index(before, after);
      if (events.some((e) => e.type === 'CredentialSetRenewed')) renewedThisRun = true;
    },
  });

  const command = (c: StepCommand): CredentialSetCommand => ({ ...c, at: c.at ?? toInstant(Date.now()) });

  setHandler(credentialSetState, () => steps.state);
  handlePolicyAmendments(
    () => policy,
    (amended) => {
      policy = amended;
      steps.wake();
    },
  );
  steps.handleSteps(credentialSetStep, (c) => decideCredentialSet(command(c), steps.state, policy));

  const application = input.carried ? undefined : input.application;
  const applied = application ? recordApplication(steps, application, policy) : null;
  setHandler(credentialSetApplied, async () => (await applied) ?? { state: steps.state, events: [], append: null });
  if (applied) await applied.catch((e: unknown) => endRefused(setId, application!, e));

  for (;;) {
    await steps.next(dueStep(), () => isEnded(steps.state) || renewedThisRun);
    if (isEnded(steps.state)) {
      await steps.settled();
      const state = steps.state;
      // Added after the first release: runs that ended before it did not tell their party.
      if (patched('tell-party-when-set-ends') && state.party) {
        await getExternalWorkflowHandle(`party-${state.party.partyId}`)
          .signal(credentialSetEnded, { setId, everIssued: state.issuedAt !== null, at: toInstant(Date.now()) })
          .catch(() => undefined); // a set started without its party workflow (tests, imports)
      }
      return state;
    }
    if (renewedThisRun || steps.runIsFull()) {
      await steps.settled();
      return continueAsNew<typeof credentialSetWorkflow>({
        setId,
        policy,
        ...(input.indexed ? { indexed: true } : {}),
        carried: {
          state: steps.state,
          seq: steps.seq,
          cutOverHandled,
          // Added in issue 11: runs that continued before it carried no answers.
          ...(patched('carry-step-answers') ? { answered: steps.answers() } : {}),
        },
      });
    }
  }

  /** The system step due next (cut-over, expiry), taken at the deadline itself whenever the timer fires. */
  function dueStep(): DueStep | null {
    const due = dueSystemStep(steps.state, policy, cutOverHandled);
    if (!due) return null;
    return {
      at: due.at,
      take: async () => {
        const step = { type: due.type, at: toInstant(due.at), actor: SYSTEM_ACTOR } as CredentialSetCommand;
        await steps.record(decideCredentialSet(step, steps.state, policy));
        if (due.type === 'RecordCutOver') cutOverHandled = true;
      },
    };
  }
}

/**
 * The application as the set's first step, before any Update (they wait on the lock). The party
 * and the API decided it before, so a refusal here means the policy changed in between. Like an
 * Update's, it is never the SYSTEM actor's (trust.ts): a start sent past the party is held to that.
 */
function recordApplication(
  steps: StepRunner<CredentialSetState, CredentialSetEvent>,
  application: SetApplication,
  policy: CampaignPolicy,
): Promise<StepResult> {
  return steps.exclusive(async () => {
    refuseUntrusted({ actor: application.command.actor });
    return steps.record(decideOrFail(() => decideCredentialSet(application.command, steps.state, policy)));
  });
}

/** A refused first step ends the set with nothing recorded: its party frees the slot, the workflow fails with the rule. */
async function endRefused(setId: string, application: SetApplication, e: unknown): Promise<never> {
  await getExternalWorkflowHandle(`party-${application.command.party.partyId}`)
    .signal(credentialSetEnded, { setId, everIssued: false, at: toInstant(Date.now()) })
    .catch(() => undefined);
  throw e;
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
