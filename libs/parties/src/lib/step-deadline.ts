import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationError } from '@certflow/application';

/** How long a step over HTTP may take when nothing says otherwise (CERTFLOW_STEP_DEADLINE_SECONDS). */
export const DEFAULT_STEP_DEADLINE_SECONDS = 10;

/** What a step is taken on; the API turns it into the Location to look at. */
export interface StepTarget {
  readonly kind: 'credential-set' | 'party';
  readonly id: string;
}

/** What the deadline needs: the Temporal client and, optionally, the deadline in seconds. */
export interface StepDeadlineContext {
  readonly client: Client;
  readonly stepDeadlineSeconds?: number;
}

/**
 * Not a refusal: the workflow accepted the step (its validator ran the domain's decide) but had not
 * finished it when the deadline came. It will finish; a retry with the same Idempotency-Key (the
 * Update's id) answers with its outcome and takes effect once. The API answers 202.
 */
export class StepPending extends Error {
  override readonly name = 'StepPending';

  constructor(
    readonly target: StepTarget,
    readonly updateId: string,
    readonly seconds: number,
  ) {
    super(`the step was accepted and had not finished after ${seconds} s; it will finish on its own`);
  }
}

/** The instant (epoch ms) by which a step started now must have answered. */
export function stepDeadline(ctx: Pick<StepDeadlineContext, 'stepDeadlineSeconds'>): number {
  return Date.now() + deadlineSeconds(ctx) * 1000;
}

const deadlineSeconds = (ctx: Pick<StepDeadlineContext, 'stepDeadlineSeconds'>) =>
  ctx.stepDeadlineSeconds ?? DEFAULT_STEP_DEADLINE_SECONDS;

/**
 * Sends a step as a Workflow Update and waits for it no longer than the deadline: first until the
 * workflow accepts it, then for its outcome. Never accepted in time (Temporal or the worker away):
 * STEP_NOT_ACCEPTED (503). Accepted but unfinished: StepPending (202). Without a key the Update gets
 * an id of its own, so the caller still learns which key makes a retry take effect once.
 */
export async function updateWithinDeadline<Ret, Arg>(
  ctx: StepDeadlineContext,
  target: StepTarget,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  key: string | undefined,
  deadline = stepDeadline(ctx),
): Promise<Ret> {
  const updateId = key ?? randomUUID();
  const handle = ctx.client.workflow.getHandle(workflowIdOf(target));
  const accepted = await ctx.client
    .withDeadline(deadline, () =>
      handle.startUpdate(update, { args: [arg], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED }),
    )
    .catch((e: unknown) => {
      throw timedOut(e) ? stepNotAccepted(ctx, target, updateId) : e;
    });
  return ctx.client
    .withDeadline(deadline, () => accepted.result())
    .catch((e: unknown) => {
      throw timedOut(e) ? new StepPending(target, updateId, deadlineSeconds(ctx)) : e;
    });
}

/** Runs what must come before the Update (a query, a read) within the same deadline. */
export function beforeUpdateWithin<T>(
  ctx: StepDeadlineContext,
  target: StepTarget,
  deadline: number,
  work: () => Promise<T>,
): Promise<T> {
  return ctx.client.withDeadline(deadline, work).catch((e: unknown) => {
    throw timedOut(e) ? stepNotAccepted(ctx, target, null) : e;
  });
}

function stepNotAccepted(ctx: StepDeadlineContext, target: StepTarget, updateId: string | null): ApplicationError {
  const retry = updateId
    ? `; it may still take effect once the worker is back: retry with Idempotency-Key: ${updateId} to get its answer, it takes effect once`
    : '; nothing was sent: retry later';
  return new ApplicationError(
    'STEP_NOT_ACCEPTED',
    `${target.kind} ${target.id}: the step was not accepted within ${deadlineSeconds(ctx)} s (Temporal or the worker is unavailable)${retry}`,
    undefined,
    { [target.kind === 'party' ? 'partyId' : 'setId']: target.id, ...(updateId ? { updateId } : {}) },
  );
}

const workflowIdOf = (t: StepTarget) => `${t.kind}-${t.id}`;

/** The gRPC deadline passed, however the SDK wrapped it. */
function timedOut(e: unknown, depth = 0): boolean {
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(e)) return Number(e.code) === DEADLINE_EXCEEDED;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return depth < 3 && cause !== undefined && timedOut(cause, depth + 1);
}

/** gRPC's status code (the SDK's own enum is not exported). */
const DEADLINE_EXCEEDED = 4;
