import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  decideCredentialSet,
  decideParty,
  initialCredentialSetState,
  type Actor,
  type OldCredential,
  type PartyState,
} from '@certflow/domain';
import { ApplicationError } from '@certflow/application';
import { nowIso, requireParty, type CampaignContext } from '@certflow/parties';
import {
  credentialSetStep,
  credentialSetWorkflow,
  partyStep,
  SEARCH_ATTRIBUTES,
  type StepResult,
} from '@certflow/workflows';

export interface CredentialSetApplication {
  /** Client-chosen id (makes a retried request safe); generated when absent. */
  readonly setId?: string;
  readonly partyId: string;
  readonly kind: 'NEW' | 'REPLACEMENT';
  readonly oldCredential?: OldCredential | null;
}

/**
 * A party applies for a set, new (新办) or replacement (更换): the party's rules (one set, or more by
 * approved filing) and the set's are checked before anything is written; then the party's
 * workflow opens the slot and the set's workflow starts with the application.
 */
export class ApplyForCredentialSetUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  async execute(actor: Actor, input: CredentialSetApplication): Promise<StepResult> {
    const at = nowIso(this.ctx);
    const setId = input.setId ?? randomUUID();
    const party = await requireParty(this.ctx, input.partyId);
    const apply = this.check(actor, at, setId, party, input);
    if (await this.setExists(setId)) {
      throw new ApplicationError('SET_ALREADY_EXISTS', `credential set ${setId} already exists`);
    }
    const partyHandle = this.ctx.client.workflow.getHandle(`party-${input.partyId}`);
    await partyHandle.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', at, actor, setId }] });
    try {
      const handle = await this.ctx.client.workflow.start(credentialSetWorkflow, {
        workflowId: `credential-set-${setId}`,
        taskQueue: this.ctx.taskQueue,
        args: [{ setId, policy: this.ctx.policy, ...(this.ctx.indexed ? { indexed: true } : {}) }],
        ...(this.ctx.indexed
          ? { typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.campaign, value: this.ctx.policy.id }] }
          : {}),
      });
      return await handle.executeUpdate(credentialSetStep, { args: [apply] });
    } catch (e) {
      // The slot was taken for a set that did not come to be: give it back.
      await partyHandle
        .executeUpdate(partyStep, { args: [{ type: 'CloseCredentialSet', at, actor, setId, everIssued: false }] })
        .catch(() => undefined);
      throw e;
    }
  }

  /** The party's decide, then the set's: the application command if both accept it. */
  private check(actor: Actor, at: string, setId: string, party: PartyState, input: CredentialSetApplication) {
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
    return apply;
  }

  private async setExists(setId: string): Promise<boolean> {
    try {
      await this.ctx.client.workflow.getHandle(`credential-set-${setId}`).describe();
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }
}
