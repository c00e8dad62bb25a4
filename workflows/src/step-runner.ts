import type { UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  isCancellation,
  log,
  patched,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { DomainError } from '@certflow/domain/lifecycle';
import type { AppendOutcome, EventToAppend } from './activities';
import { appendEvents, STEPS_PER_RUN } from './append';
import { asAppendFailure, decideOrFail } from './failures';
import { Lock } from './lock';
import { stepKey } from './step-key';
import { refuseUntrusted, type FromOutside } from './trust';

/**
 * Since 'retry-due-steps': a due step whose append gave up (the store away past the append's
 * bounds) is taken again after a durable wait, one minute doubling up to an hour, or at once
 * after the next staff step is recorded (the store is back). The workflow never fails for it.
 */
export const DUE_STEP_RETRY = { firstMs: 60_000, maxMs: 3_600_000 } as const;

/** What a step answers: the state after its append, its events, and the append (null when nothing was due). */
export interface StepOutcome<S, E> {
  readonly state: S;
  readonly events: readonly E[];
  readonly append: AppendOutcome | null;
}

/** A staff step's answer under its Update id, carried across continue-as-new (ANSWERS_CARRIED). */
export interface AnsweredStep<S, E> {
  readonly updateId: string;
  readonly outcome: StepOutcome<S, E>;
}

/**
 * How many of the latest staff steps' answers a run keeps and carries into the next (since
 * 'carry-step-answers'). Temporal deduplicates Update ids within one run only; a step answered 202
 * (still pending) or whose answer was lost just before the run continued as new is retried with the
 * same id (the request's Idempotency-Key) into the next run, and gets its first answer there.
 */
export const ANSWERS_CARRIED = 16;

export interface StepRunnerInit<S extends { readonly version: number }, E extends EventToAppend> {
  readonly streamId: string;
  /** The latest staff steps' answers the previous run carried. */
  readonly answered?: readonly AnsweredStep<S, E>[];
  /** Where the stream stands: the initial state and 0, or what a previous run carried. */
  readonly state: S;
  readonly seq: number;
  readonly fold: (events: readonly E[], state: S) => S;
  /** After each recorded step, with the state before and after it (e.g. search attributes). */
  readonly afterStep?: (before: S, after: S, events: readonly E[]) => void;
}

/**
 * A step the system takes by itself once its deadline passes: the cut-over and each expiry today;
 * reminders are due steps of the same loop. `take` runs under the step lock, at or after `at`.
 */
export interface DueStep {
  readonly at: number;
  readonly take: () => Promise<void>;
}

/**
 * The loop both aggregate workflows share: one step at a time under a lock, each with the next
 * sequence number, appended with the key `<workflow id>:<seq>` at the version the state stands at
 * (the workflow is its stream's only writer), then folded into the state. Continue-as-new carries
 * `state` and `seq`, so keys stay unique across runs.
 */
export class StepRunner<S extends { readonly version: number }, E extends EventToAppend> {
  private current: S;
  private sequence: number;
  private readonly firstSeq: number;
  private readonly lock = new Lock();
  private wakes = 0;
  /** Due-step attempts that failed in a row, and when the next may run (0: at its deadline). */
  private dueFailures = 0;
  private dueRetryAt = 0;
  private answered: AnsweredStep<S, E>[];

  constructor(private readonly init: StepRunnerInit<S, E>) {
    this.answered = [...(init.answered ?? [])];
    this.current = init.state;
    this.sequence = init.seq;
    this.firstSeq = init.seq;
  }

  get state(): S {
    return this.current;
  }

  get seq(): number {
    return this.sequence;
  }

  /** Runs handler bodies one at a time: each step is decided on the state the previous step left. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.lock.run(work);
  }

  /** Appends a decided step's events (nothing when none are due) and folds them into the state. */
  async record(events: readonly E[]): Promise<StepOutcome<S, E>> {
    if (events.length === 0) return { state: this.current, events, append: null };
    this.sequence += 1;
    const append = await appendEvents({
      streamId: this.init.streamId,
      events,
      expectedVersion: this.current.version,
      idempotencyKey: stepKey(workflowInfo().workflowId, this.sequence),
    });
    const before = this.current;
    this.current = this.init.fold(events, before);
    this.init.afterStep?.(before, this.current, events);
    this.dueFailures = 0;
    this.dueRetryAt = 0;
    this.wake();
    return { state: this.current, events, append };
  }

  /**
   * Takes staff steps as a Workflow Update. The validator refuses what no one outside may send (the
   * SYSTEM actor, a business time off the workflow's clock) and runs the domain's decide, so a
   * refused step never enters history; an accepted step is decided again under the lock and
   * recorded. An append that gives up fails the Update (STORE_UNAVAILABLE, or the store's refusal).
   */
  handleSteps<C extends FromOutside>(
    update: UpdateDefinition<StepOutcome<S, E>, [C]>,
    decide: (command: C) => E[],
  ): void {
    const take = async (c: C) => {
      const events = decideOrFail(() => decide(c));
      try {
        return await this.record(events);
      } catch (e) {
        throw asAppendFailure(e);
      }
    };
    setHandler(
      update,
      (c) => {
        const earlier = this.answerOf(currentUpdateInfo()?.id);
        if (earlier) return Promise.resolve(earlier);
        const updateId = currentUpdateInfo()?.id;
        return this.lock.run(async () => this.remember(updateId, await take(c)));
      },
      {
        validator: (c: C) => {
          if (this.answerOf(currentUpdateInfo()?.id)) return; // a retry of a step a previous run took
          refuseUntrusted(c);
          decideOrFail(() => decide(c));
        },
      },
    );
  }

  /** The latest staff steps' answers, to carry into the next run. */
  answers(): readonly AnsweredStep<S, E>[] {
    return this.answered.slice(-ANSWERS_CARRIED);
  }

  private answerOf(updateId: string | undefined): StepOutcome<S, E> | undefined {
    return updateId === undefined ? undefined : this.answered.find((a) => a.updateId === updateId)?.outcome;
  }

  private remember(updateId: string | undefined, outcome: StepOutcome<S, E>): StepOutcome<S, E> {
    if (updateId !== undefined) {
      this.answered.push({ updateId, outcome });
      if (this.answered.length > 2 * ANSWERS_CARRIED) this.answered = this.answered.slice(-ANSWERS_CARRIED);
    }
    return outcome;
  }

  /**
   * Takes a step the workflow decides by itself outside its loop (on another workflow's signal):
   * under the lock, decided on the state then. `decide` answers null when nothing is due; a step
   * the domain refuses is not taken (a signal may come from anyone). Since 'retry-own-steps': if
   * the append gives up, the step is decided and taken again after a durable wait, under the same
   * key, instead of failing the workflow.
   */
  async takeOwnStep(decide: () => readonly E[] | null): Promise<void> {
    for (let failures = 0; ; failures += 1) {
      const done = await this.lock.run(async () => {
        const events = refusedAsNull(decide);
        if (!events) return true;
        const seq = this.sequence;
        try {
          await this.record(events);
          return true;
        } catch (e) {
          if (isCancellation(e) || !patched('retry-own-steps')) throw e;
          this.sequence = seq;
          return false;
        }
      });
      if (done) return;
      const wait = Math.min(DUE_STEP_RETRY.firstMs * 2 ** failures, DUE_STEP_RETRY.maxMs);
      log.warn('a step of the workflow was not recorded; trying again later', { attempt: failures + 1, wait });
      await sleep(wait);
    }
  }

  /** Something changed that the main loop should look at again (a step, an amended policy). */
  wake(): void {
    this.wakes += 1;
  }

  /**
   * Waits for the next change: a step recorded, `wake()`, or (without a due step) `until()`.
   * With a due step, waits at most until its deadline and, if nothing came first, takes it.
   */
  async next(due: DueStep | null, until: () => boolean): Promise<void> {
    const seen = this.wakes;
    const at = due ? Math.max(due.at, this.dueRetryAt) : 0;
    const woken = due
      ? await condition(() => this.wakes !== seen, Math.max(at - Date.now(), 1))
      : await condition(() => this.wakes !== seen || until());
    if (!woken && due && Date.now() >= at) await this.lock.run(() => this.takeDue(due));
  }

  /** Takes a due step; if its append gave up, nothing was recorded and it is tried again later. */
  private async takeDue(due: DueStep): Promise<void> {
    const seq = this.sequence;
    try {
      await due.take();
    } catch (e) {
      if (isCancellation(e) || !patched('retry-due-steps')) throw e;
      // The next attempt decides the same step on the same state: the same events, the same key.
      this.sequence = seq;
      this.dueFailures += 1;
      const wait = Math.min(DUE_STEP_RETRY.firstMs * 2 ** (this.dueFailures - 1), DUE_STEP_RETRY.maxMs);
      this.dueRetryAt = Date.now() + wait;
      log.warn('a due step was not recorded; trying again later', {
        attempt: this.dueFailures,
        retryInMs: wait,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  /** The run holds enough steps (well under the server's Update limit), or the server suggests a new one. */
  runIsFull(): boolean {
    return this.sequence - this.firstSeq >= STEPS_PER_RUN || workflowInfo().continueAsNewSuggested;
  }

  /** Resolves once no step is in flight and every handler has finished: safe to return or continue as new. */
  settled(): Promise<void> {
    return condition(() => this.lock.idle && allHandlersFinished());
  }
}

/** The step `decide` answers, or null when the domain refuses it (logged: nothing is recorded). */
function refusedAsNull<T>(decide: () => T | null): T | null {
  try {
    return decide();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    log.warn('a step of the workflow was refused; not taken', { rule: e.code, message: e.message });
    return null;
  }
}
