import type { Actor } from '@certflow/domain';
import { nowIso, updateWithinDeadline, type CampaignContext } from '@certflow/parties';
import { credentialSetStep, type StepCommand, type StepResult } from '@certflow/workflows';

/** Step commands as staff send them: no time (stamped here), no actor (from the request). */
export type StaffStep = StepCommand extends infer C ? (C extends StepCommand ? Omit<C, 'at' | 'actor'> : never) : never;

/**
 * A staff step on a set (collect, filing, issue, unbind, bind, renew, reissue, revoke) as a Workflow
 * Update: its validator runs the domain's decide, so a refused step never enters history. A set
 * that ends (rejected, revoked) frees its party's slot itself: the workflow signals the party.
 * The request waits no longer than the step deadline: then it is pending (202) or not accepted (503).
 */
export class TakeCredentialSetStepUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  execute(actor: Actor, setId: string, command: StaffStep, idempotencyKey?: string): Promise<StepResult> {
    const step: StepCommand = { ...command, at: nowIso(this.ctx), actor };
    return updateWithinDeadline(
      this.ctx,
      { kind: 'credential-set', id: setId },
      credentialSetStep,
      step,
      idempotencyKey,
    );
  }
}
