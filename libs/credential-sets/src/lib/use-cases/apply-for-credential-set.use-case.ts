import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  decideCredentialSet,
  decideParty,
  initialCredentialSetState,
  type Actor,
  type OldCredential,
  type PartyState,
} from '@certflow/domain';
import { ApplicationError, failpoint } from '@certflow/application';
import {
  beforeUpdateWithin,
  nowIso,
  requireParty,
  stepDeadline,
  updateWithinDeadline,
  type CampaignContext,
  type StepTarget,
} from '@certflow/parties';
import {
  applyForCredentialSet,
  credentialSetApplied,
  type credentialSetWorkflow,
  type PartySetApplication,
  type StepResult,
} from '@certflow/workflows';

export interface CredentialSetApplication {
  /**
   * The client's id, or one derived from its Idempotency-Key: never generated here, so a retried
   * application addresses the set its first attempt opened instead of opening a second one.
   */
  readonly setId: string;
  readonly partyId: string;
  readonly kind: 'NEW' | 'REPLACEMENT';
  readonly oldCredential?: OldCredential | null;
}

/**
 * A party applies for a set, new (新办) or replacement (更换): the party's rules (one set, or more by
 * approved filing) and the set's are checked before anything is written; then one Update to the
 * party's workflow opens the slot and starts the set's workflow with the application, which the
 * set records as its first step, so a crash leaves either nothing or both. The answer is that
 * first step. A retry of the same application (same set id, party and kind) answers it again.
 */
export class ApplyForCredentialSetUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  async execute(actor: Actor, input: CredentialSetApplication): Promise<StepResult> {
    const { setId } = input;
    const deadline = stepDeadline(this.ctx);
    const target = { kind: 'party', id: input.partyId } as const;
    const existing = await beforeUpdateWithin(this.ctx, target, deadline, () => this.existingSet(setId));
    if (existing) return this.answer(existing, setId, input, deadline);
    const at = nowIso(this.ctx);
    const party = await beforeUpdateWithin(this.ctx, target, deadline, () => requireParty(this.ctx, input.partyId));
    this.check(actor, at, setId, party, input);
    const application: PartySetApplication = {
      setId,
      kind: input.kind,
      oldCredential: input.oldCredential ?? null,
      actor,
      at,
      policy: this.ctx.policy,
      ...(this.ctx.indexed ? { indexed: true } : {}),
    };
    await this.openAndStart(target, application, deadline);
    failpoint('apply.after-party-update');
    return this.answer(this.setHandle(setId), setId, input, deadline);
  }

  /**
   * The party's Update. Its id is the set's, so a retry while the first is under way joins it
   * instead of opening the slot twice. The run keeps the outcome of an Update that failed once
   * accepted (e.g. ONE_SET_PER_PARTY decided under the lock): a later application of that set id
   * must not get that stale answer, so it is decided afresh under an id of its own, unless the set
   * has come to exist meanwhile (then the failure stands).
   */
  private async openAndStart(target: StepTarget, application: PartySetApplication, deadline: number): Promise<void> {
    const { setId } = application;
    try {
      await updateWithinDeadline(this.ctx, target, applyForCredentialSet, application, `apply-${setId}`, deadline);
    } catch (e) {
      if (!(e instanceof WorkflowUpdateFailedError)) throw e;
      if (await beforeUpdateWithin(this.ctx, target, deadline, () => this.existingSet(setId))) throw e;
      await updateWithinDeadline(this.ctx, target, applyForCredentialSet, application, undefined, deadline);
    }
  }

  /** The party's decide, then the set's, as the party's workflow will decide them. */
  private check(actor: Actor, at: string, setId: string, party: PartyState, input: CredentialSetApplication): void {
    const details = party.party!;
    const [opened] = decideParty({ type: 'OpenCredentialSet', at, actor, setId }, party, this.ctx.policy);
    const apply = {
      type: 'ApplyForCredentialSet' as const,
      at,
      actor,
      setId,
      party: {
        partyId: details.partyId,
        partyType: details.partyType,
        jurisdiction: details.jurisdiction,
        supervisingUnitId: details.supervisingUnitId,
      },
      kind: input.kind,
      oldCredential: input.oldCredential ?? null,
      firstSetOfParty: opened?.type === 'CredentialSetOpened' ? opened.data.firstSetOfParty : false,
    };
    decideCredentialSet(apply, initialCredentialSetState, this.ctx.policy);
  }

  private setHandle(setId: string): WorkflowHandle<typeof credentialSetWorkflow> {
    return this.ctx.client.workflow.getHandle(`credential-set-${setId}`);
  }

  /** The set's workflow if it exists; a set with events but no workflow yet (launched) is taken too. */
  private async existingSet(setId: string): Promise<WorkflowHandle<typeof credentialSetWorkflow> | null> {
    const handle = this.setHandle(setId);
    try {
      await handle.describe();
      return handle;
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
    if ((await this.ctx.store.streamVersion(`credential-set-${setId}`)) > 0) throw alreadyExists(setId);
    return null;
  }

  /**
   * The set's first step, once recorded: the application's answer if the set is this party's
   * application of this kind, else SET_ALREADY_EXISTS. A set refused at its first step (should not
   * happen: both decides ran above) answers with its rule.
   */
  private async answer(
    handle: WorkflowHandle<typeof credentialSetWorkflow>,
    setId: string,
    input: CredentialSetApplication,
    deadline: number,
  ): Promise<StepResult> {
    const target = { kind: 'credential-set', id: setId } as const;
    const applied = await beforeUpdateWithin(this.ctx, target, deadline, () =>
      handle.executeUpdate(credentialSetApplied, { args: [] }).catch(async (e: unknown) => {
        // A set that has ended answers no Update: its failure (its first step refused), or that it exists.
        if (!(e instanceof WorkflowNotFoundError)) throw e;
        await handle.result().catch((failed: unknown) => {
          if (failed instanceof WorkflowFailedError) throw failed;
        });
        throw alreadyExists(setId);
      }),
    );
    const { party, kind } = applied.state;
    if (party?.partyId !== input.partyId || kind !== input.kind) throw alreadyExists(setId);
    return applied;
  }
}

function alreadyExists(setId: string): ApplicationError {
  return new ApplicationError('SET_ALREADY_EXISTS', `credential set ${setId} already exists`);
}
