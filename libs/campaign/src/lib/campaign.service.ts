import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  decideCredentialSet,
  decideParty,
  drawStatements,
  initialCredentialSetState,
  initialPartyState,
  PARTY_TYPES,
  checkLaunch,
  DomainError,
  foldParty,
  isEnded,
  SYSTEM_ACTOR,
  type PartyEvent,
  planLaunchItem,
  type Actor,
  type CampaignPolicy,
  type LaunchItem,
  type CredentialSetState,
  type FeeItem,
  type FeeLine,
  type OldCredential,
  type PartyDetails,
  type PartyState,
  type PartyType,
  type Statement,
} from '@certflow/domain';
import {
  launchProgress,
  refusedLaunchItems,
  saveLaunch,
  stateAsOf,
  type AsOfBasis,
  type LaunchProgress,
  type PostgresEventStore,
  type StoredEvent,
} from '@certflow/event-store';
import {
  campaignLaunchWorkflow,
  credentialSetState,
  credentialSetStep,
  credentialSetWorkflow,
  partyState,
  partyStep,
  partyWorkflow,
  SEARCH_ATTRIBUTES,
  type PartyStepCommand,
  type StepCommand,
  type StepResult,
} from '@certflow/workflows';
import type { DataSource } from 'typeorm';
import { notFound, problem } from './errors';

export interface ApplyInput {
  readonly setId?: string;
  readonly partyId: string;
  readonly kind: 'NEW' | 'REPLACEMENT';
  readonly oldCredential?: OldCredential | null;
}

/** Step commands as staff send them: no time (the API stamps it), no actor (from the request). */
export type StaffPartyStep = PartyStepCommand extends infer C
  ? C extends PartyStepCommand
    ? Omit<C, 'at' | 'actor'>
    : never
  : never;

export type StaffStep = StepCommand extends infer C ? (C extends StepCommand ? Omit<C, 'at' | 'actor'> : never) : never;

export interface SetView {
  readonly setId: string;
  readonly state: CredentialSetState;
}

/**
 * The staff operations, in terms of the domain and the workflows. Every refusal the domain can
 * foresee is checked here first with the same `decide` the workflows run, so a bad request writes
 * nothing to Temporal or PostgreSQL; the workflow's Update validator checks again under its lock.
 */
export class CampaignService {
  constructor(
    private readonly deps: {
      readonly client: Client;
      readonly taskQueue: string;
      readonly policy: CampaignPolicy;
      readonly store: PostgresEventStore;
      readonly db: DataSource;
      readonly now?: () => number;
      /** Index sets for the Web UI (needs the search attributes registered on the server). */
      readonly indexed?: boolean;
    },
  ) {}

  private now(): string {
    return new Date((this.deps.now ?? Date.now)()).toISOString();
  }

  get policy(): CampaignPolicy {
    return this.deps.policy;
  }

  // ---- parties ----------------------------------------------------------------------------------

  async registerParty(actor: Actor, party: PartyDetails): Promise<PartyState> {
    const at = this.now();
    const current = await this.partyStateOrNull(party.partyId);
    decideParty({ type: 'RegisterParty', at, actor, party }, current ?? initialPartyState, this.policy);
    const handle = await this.deps.client.workflow
      .start(partyWorkflow, {
        workflowId: `party-${party.partyId}`,
        taskQueue: this.deps.taskQueue,
        args: [{ partyId: party.partyId, policy: this.policy }],
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'WorkflowExecutionAlreadyStartedError') {
          throw problem(409, 'PARTY_ALREADY_REGISTERED', `party ${party.partyId} is already registered`);
        }
        throw e;
      });
    return (await handle.executeUpdate(partyStep, { args: [{ type: 'RegisterParty', at, actor, party }] })).state;
  }

  async partyStep(
    actor: Actor,
    partyId: string,
    command: StaffPartyStep,
    idempotencyKey?: string,
  ): Promise<PartyState> {
    await this.party(partyId); // 404 for an unknown party; starts a launched party's workflow
    const handle = this.deps.client.workflow.getHandle(`party-${partyId}`);
    const c = { ...command, at: this.now(), actor } as PartyStepCommand;
    return (await handle.executeUpdate(partyStep, { args: [c], ...updateId(idempotencyKey) })).state;
  }

  async party(partyId: string): Promise<PartyState> {
    const state = await this.partyStateOrNull(partyId);
    if (!state?.party) throw notFound(`party ${partyId}`);
    return state;
  }

  private async partyStateOrNull(partyId: string): Promise<PartyState | null> {
    try {
      return await this.deps.client.workflow.getHandle(`party-${partyId}`).query(partyState);
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
    return this.activateParty(partyId);
  }

  /**
   * A party launched in bulk has its events but no workflow until something needs it: a campaign
   * of 10^6 sets then runs 10^6 workflows, not twice as many. Its workflow starts here from its
   * stream, and learns of its sets that ended meanwhile (their signal found no workflow).
   */
  private async activateParty(partyId: string): Promise<PartyState | null> {
    const streamId = `party-${partyId}`;
    const events = await this.deps.store.readStreamToArray(streamId);
    if (events.length === 0) return null;
    const state = foldParty(
      events.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as PartyEvent),
    );
    // The workflow's append keys are `party-<id>:<seq>`; it carries on after the highest.
    const seq = Math.max(0, ...events.map((e) => Number(/:(\d+)#\d+$/.exec(e.idempotencyKey)?.[1] ?? 0)));
    const handle = this.deps.client.workflow.getHandle(streamId);
    await this.deps.client.workflow
      .start(partyWorkflow, {
        workflowId: streamId,
        taskQueue: this.deps.taskQueue,
        args: [{ partyId, policy: this.policy, carried: { state, seq } }],
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
      });
    for (const setId of state.openSets) {
      const set = await this.set(setId, 'strong').catch(() => null);
      if (!set || !isEnded(set.state)) continue;
      const [last] = (await this.deps.store.readStreamToArray(`credential-set-${setId}`)).slice(-1);
      // An Update, not the set's signal, so the answer below already shows the slot free; a close
      // the set's own signal made first is refused by the validator, which is fine.
      await handle
        .executeUpdate(partyStep, {
          args: [
            {
              type: 'CloseCredentialSet',
              at: last?.at ?? this.now(),
              actor: SYSTEM_ACTOR,
              setId,
              everIssued: set.state.issuedAt !== null,
            },
          ],
          updateId: `close-${setId}`,
        })
        .catch((e: unknown) => {
          if (!(e instanceof WorkflowUpdateFailedError)) throw e;
        });
    }
    return handle.query(partyState);
  }

  async listParties(filter: { jurisdiction?: string; partyType?: string }): Promise<unknown[]> {
    if (filter.partyType !== undefined && !PARTY_TYPES.includes(filter.partyType as PartyType)) {
      throw problem(400, 'INVALID_FIELD', `partyType: one of ${PARTY_TYPES.join(', ')}`, {
        errors: [{ path: 'partyType', rule: `one of ${PARTY_TYPES.join(', ')}` }],
      });
    }
    return this.deps.db.query(
      `SELECT party_id AS "partyId", party_type AS "partyType", name, jurisdiction, open_sets AS "openSets", allowed_sets AS "allowedSets", version
         FROM party_view WHERE ($1::text IS NULL OR jurisdiction = $1) AND ($2::text IS NULL OR party_type = $2)
        ORDER BY party_id LIMIT 1000`,
      [filter.jurisdiction ?? null, filter.partyType ?? null],
    );
  }

  // ---- credential sets --------------------------------------------------------------------------

  async apply(actor: Actor, input: ApplyInput): Promise<StepResult> {
    const at = this.now();
    const setId = input.setId ?? randomUUID();
    const partyNow = await this.party(input.partyId);
    const details = partyNow.party!;
    const [opened] = decideParty({ type: 'OpenCredentialSet', at, actor, setId }, partyNow, this.policy);
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
    decideCredentialSet(apply, initialCredentialSetState, this.policy);
    if (await this.setExists(setId)) throw problem(409, 'SET_ALREADY_EXISTS', `credential set ${setId} already exists`);

    const party = this.deps.client.workflow.getHandle(`party-${input.partyId}`);
    await party.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', at, actor, setId }] });
    try {
      const handle = await this.deps.client.workflow.start(credentialSetWorkflow, {
        workflowId: `credential-set-${setId}`,
        taskQueue: this.deps.taskQueue,
        args: [{ setId, policy: this.policy, ...(this.deps.indexed ? { indexed: true } : {}) }],
        ...(this.deps.indexed
          ? { typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.campaign, value: this.policy.id }] }
          : {}),
      });
      return await handle.executeUpdate(credentialSetStep, { args: [apply] });
    } catch (e) {
      // The slot was taken for a set that did not come to be: give it back.
      await party
        .executeUpdate(partyStep, { args: [{ type: 'CloseCredentialSet', at, actor, setId, everIssued: false }] })
        .catch(() => undefined);
      throw e;
    }
  }

  async step(actor: Actor, setId: string, command: StaffStep, idempotencyKey?: string): Promise<StepResult> {
    const handle = this.deps.client.workflow.getHandle(`credential-set-${setId}`);
    const result = await handle.executeUpdate(credentialSetStep, {
      args: [{ ...command, at: this.now(), actor }],
      ...updateId(idempotencyKey),
    });
    // A set that ends (rejected, revoked) frees its party's slot itself: the workflow signals the party.
    return result;
  }

  /**
   * A set's state. By default from the read model, which the projector brings up to date within
   * milliseconds of each step (it wakes on the append's NOTIFY); `strong` asks the set's workflow,
   * which costs a workflow task on the worker and is some 20 times slower under load.
   */
  async set(setId: string, consistency: 'eventual' | 'strong' = 'eventual'): Promise<SetView> {
    if (consistency === 'eventual') {
      const [row] = await this.deps.db.query<
        {
          state: CredentialSetState;
        }[]
      >(`SELECT state FROM credential_set_view WHERE set_id = $1`, [setId]);
      if (row) return { setId, state: row.state };
      // Not projected yet (just applied) or unknown: the workflow knows, or says 404.
    }
    try {
      return {
        setId,
        state: await this.deps.client.workflow.getHandle(`credential-set-${setId}`).query(credentialSetState),
      };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw notFound(`credential set ${setId}`);
      throw e;
    }
  }

  async setAsOf(setId: string, asOf: string, basis: AsOfBasis) {
    const result = await stateAsOf<CredentialSetState>(this.deps.store, `credential-set-${setId}`, asOf, basis);
    if (result.eventCount === 0 && (await this.deps.store.streamVersion(`credential-set-${setId}`)) === 0)
      throw notFound(`credential set ${setId}`);
    return result;
  }

  async history(setId: string): Promise<StoredEvent[]> {
    const events = await this.deps.store.readStreamToArray(`credential-set-${setId}`);
    if (events.length === 0) throw notFound(`credential set ${setId}`);
    return events;
  }

  async listSets(filter: { partyId?: string; jurisdiction?: string; status?: string }): Promise<unknown[]> {
    return this.deps.db.query(
      `SELECT set_id AS "setId", party_id AS "partyId", party_type AS "partyType", jurisdiction, status, valid_until AS "validUntil",
              bound_platforms AS "boundPlatforms", blocked_platforms AS "blockedPlatforms", version
         FROM credential_set_view
        WHERE ($1::text IS NULL OR party_id = $1) AND ($2::text IS NULL OR jurisdiction = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY set_id LIMIT 1000`,
      [filter.partyId ?? null, filter.jurisdiction ?? null, filter.status ?? null],
    );
  }

  /** Statements per payer from the fee items recorded at issue, renewal and reissue. */
  async feeStatements(filter: { payer?: string; jurisdiction?: string }): Promise<Statement[]> {
    const lines: FeeLine[] = [];
    for await (const e of this.deps.store.query({
      types: ['CredentialSetIssued', 'CredentialSetRenewed', 'CredentialSetReissued'],
      ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
    })) {
      const fees = (e.data as { fees: FeeItem[] }).fees;
      const partyType = await this.partyTypeOf(e);
      for (const f of fees) {
        lines.push({
          ...f,
          setId: e.streamId.slice('credential-set-'.length),
          partyId: e.partyId ?? '',
          partyType,
          recordedAt: e.recordedAt,
        });
      }
    }
    const statements = drawStatements(lines);
    if (!filter.payer) return statements;
    return statements.filter(
      (s) =>
        (s.payer.kind === 'FINANCE' ? `FINANCE:${s.payer.jurisdiction}` : `SELF:${s.payer.partyId}`) === filter.payer,
    );
  }

  private readonly partyTypes = new Map<string, PartyType>();
  private async partyTypeOf(e: StoredEvent): Promise<PartyType> {
    const known = this.partyTypes.get(e.streamId);
    if (known) return known;
    const [first] = await this.deps.store.readStreamToArray(e.streamId);
    const type = (first?.data as { party?: { partyType?: PartyType } } | undefined)?.party?.partyType ?? 'BUDGET_UNIT';
    this.partyTypes.set(e.streamId, type);
    return type;
  }

  private async setExists(setId: string): Promise<boolean> {
    try {
      await this.deps.client.workflow.getHandle(`credential-set-${setId}`).describe();
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }

  // ---- campaign launches ------------------------------------------------------------------------

  /**
   * A launch: every party of the list registered and given its first set, by a workflow that
   * works through the stored list in chunks. The whole list is checked first with the same rules
   * as the single steps; one bad item refuses the request, naming each item and field.
   */
  async launch(actor: Actor, input: { launchId?: string; items: LaunchItem[] }): Promise<LaunchProgress> {
    const at = this.now();
    const [first] = input.items;
    // A role that may not take the steps at all is a 403 once, not a problem per item.
    if (first) {
      try {
        planLaunchItem(first, at, actor, this.policy);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'ROLE_NOT_ALLOWED') throw e;
      }
    }
    const issues = checkLaunch(input.items, at, actor, this.policy);
    if (issues.length > 0) {
      throw problem(400, 'INVALID_FIELD', `${issues.length} problem(s) in the launch list`, {
        errors: issues.slice(0, 500),
      });
    }
    const launchId = input.launchId ?? randomUUID();
    const launch = { launchId, policyId: this.policy.id, actor, requestedAt: at, total: input.items.length };
    if (!(await saveLaunch(this.deps.db, launch, input.items))) {
      throw problem(409, 'LAUNCH_ALREADY_EXISTS', `launch ${launchId} already exists`);
    }
    await this.deps.client.workflow.start(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}`,
      taskQueue: this.deps.taskQueue,
      args: [{ ...launch, policy: this.policy, at, ...(this.deps.indexed ? { indexed: true } : {}) }],
    });
    return (await launchProgress(this.deps.db, launchId))!;
  }

  async launchStatus(launchId: string): Promise<LaunchProgress & { status: string; refusedItems: unknown[] }> {
    const progress = await launchProgress(this.deps.db, launchId);
    if (!progress) throw notFound(`launch ${launchId}`);
    const { status } = await this.deps.client.workflow.getHandle(`launch-${launchId}`).describe();
    return {
      ...progress,
      status: status.name,
      refusedItems: progress.refused > 0 ? await refusedLaunchItems(this.deps.db, launchId, 100) : [],
    };
  }

  async readiness(): Promise<{ postgres: boolean; temporal: boolean }> {
    const postgres = await this.deps.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const temporal = await this.deps.client.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    );
    return { postgres, temporal };
  }
}

/** The request's Idempotency-Key as the Update's id: Temporal answers a repeat with the first outcome. */
function updateId(key: string | undefined): { updateId?: string } {
  return key === undefined ? {} : { updateId: key };
}
