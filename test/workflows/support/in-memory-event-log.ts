import { ApplicationFailure } from '@temporalio/common';
import { setEndOf } from '@certflow/activities';
import type { CredentialSetEvent } from '@certflow/domain';
import type { AppendInput, AppendOutcome, EventActivities, EventToAppend, SetEndActivities } from '@certflow/workflows';

/**
 * The workflows' append activity over memory, with the store's contract: the expected version
 * must be the stream's, and the same key returns the first result without writing again.
 * Every call is kept, so tests see exactly what the workflow asked for.
 */
export class InMemoryEventLog {
  readonly calls: AppendInput[] = [];
  private readonly streams = new Map<string, EventToAppend[]>();
  private readonly byKey = new Map<string, AppendOutcome>();
  private position = 0;
  private readonly slow = new Map<string, number>();
  private readonly failing = new Map<string, { left: number; failure: () => Error }>();
  /** Appends refused by `failNext`, in order. */
  readonly failed: AppendInput[] = [];

  readonly activities: EventActivities & SetEndActivities = {
    credentialSetEnd: ({ setId }) =>
      Promise.resolve(setEndOf(this.events(`credential-set-${setId}`) as readonly CredentialSetEvent[])),
    appendEvents: async (input) => {
      const failing = this.failing.get(input.streamId);
      if (failing && failing.left > 0) {
        failing.left -= 1;
        this.failed.push(input);
        throw failing.failure();
      }
      const delay = this.slow.get(input.streamId);
      this.slow.delete(input.streamId);
      if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
      return this.append(input);
    },
  };

  /** The stream's next append takes `ms` (real time) before it writes: a step still in flight. */
  slowDownNext(streamId: string, ms: number): void {
    this.slow.set(streamId, ms);
  }

  /**
   * The stream's next `times` appends fail with `failure()` before writing (the store away). A
   * non-retryable failure ends the activity at once, as running out of attempts would.
   */
  failNext(streamId: string, times: number, failure: () => Error): void {
    this.failing.set(streamId, { left: times, failure });
  }

  /** The appends one workflow asked for, in order. */
  callsFor(streamId: string): AppendInput[] {
    return this.calls.filter((c) => c.streamId === streamId);
  }

  events(streamId: string): readonly EventToAppend[] {
    return this.streams.get(streamId) ?? [];
  }

  private append(input: AppendInput): AppendOutcome {
    this.calls.push(input);
    const first = this.byKey.get(input.idempotencyKey);
    if (first) return { ...first, duplicate: true };
    const stream = this.streams.get(input.streamId) ?? [];
    if (stream.length !== input.expectedVersion) {
      throw ApplicationFailure.create({
        type: 'WRONG_EXPECTED_VERSION',
        message: `${input.streamId} is at version ${stream.length}, not ${input.expectedVersion}`,
        nonRetryable: true,
      });
    }
    const fromVersion = stream.length + 1;
    stream.push(...input.events);
    this.streams.set(input.streamId, stream);
    const positions = input.events.map(() => (this.position += 1));
    const outcome = { fromVersion, toVersion: stream.length, positions, duplicate: false };
    this.byKey.set(input.idempotencyKey, outcome);
    return outcome;
  }
}
