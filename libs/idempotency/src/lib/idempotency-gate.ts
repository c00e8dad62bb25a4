import { ApplicationError } from '@certflow/application';
import type { Claim, IdempotencyRepository, KeyRecord, StoredAnswer } from './idempotency.repository';
import { sameRequest, type KeyedRequest } from './idempotent-request';

/**
 * What a keyed request may do: run holding the key, be answered with the first answer, or run
 * unchecked because the key store did not answer (the key still goes downstream).
 */
export type Admission =
  | { readonly kind: 'first'; readonly claim: Claim }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'unchecked'; readonly reason: unknown };

/**
 * Answers worth keeping for the key's lifetime: a success, and a refusal of the request itself
 * (400, 413, 415), which the same request always gets. Refusals that depend on the state or the
 * date (401, 403, 404, 409, 422) wrote nothing and may not hold later; 5xx means retry. Those are
 * not kept, and the same key may be sent again.
 */
export function isFinalAnswer(status: number): boolean {
  return (status >= 200 && status < 300) || status === 400 || status === 413 || status === 415;
}

export interface GateOptions {
  /** How often a request waits on the same request in flight looks again (default 100 ms). */
  readonly pollMs?: number;
  /** How long one look-up in the key store may take before the request runs unchecked (default 2 s). */
  readonly storeTimeoutMs?: number;
}

/** The key store did not answer in time. */
class KeyStoreTimeout extends Error {
  override readonly name = 'KeyStoreTimeout';
}

/**
 * Idempotency across workflow runs and API restarts, checked before anything else runs:
 * - a new key (or one older than the TTL) is claimed and the request runs; its answer is kept if final;
 * - the same key with the same actor, route and body gets the first answer (a replay);
 * - the same key with another actor, route or body is refused (422 IDEMPOTENCY_CONFLICT);
 * - the same request still in flight: this one waits for its answer; if the first gives its key back
 *   (an answer not kept) this one runs, and if the first holds it past its lease (its process died)
 *   this one takes it over and runs. Running twice never takes effect twice: the key goes downstream
 *   too (the Workflow Update's id, the set or launch id derived from it), and Temporal or the
 *   store refuses a second effect.
 * If the key store is away or hangs, a keyed request is no worse off than one without a key: it
 * runs unchecked (nothing kept), and Temporal still deduplicates the key within the current run.
 */
export class IdempotencyGate {
  private readonly pollMs: number;
  private readonly storeTimeoutMs: number;

  constructor(
    private readonly keys: IdempotencyRepository,
    options: GateOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 100;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  }

  async admit(request: KeyedRequest): Promise<Admission> {
    try {
      for (;;) {
        const claim = await this.claim(request);
        if (claim) return { kind: 'first', claim };
        const held = await this.within(this.keys.find(request.key));
        if (held === null) continue; // given back or expired meanwhile: claim it again
        if (!sameRequest(held, request)) throw idempotencyConflict(held, request);
        if (held.answer) return { kind: 'replay', answer: held.answer };
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    } catch (e) {
      if (e instanceof ApplicationError) throw e;
      return { kind: 'unchecked', reason: e };
    }
  }

  /** Keeps the answer when it is final; otherwise gives the key back. Null: no answer to keep. */
  async settle(claim: Claim, answer: StoredAnswer | null): Promise<void> {
    if (answer !== null && isFinalAnswer(answer.status)) await this.keys.complete(claim, answer);
    else await this.keys.release(claim);
  }

  /** Claims the key; a claim that lands after we stopped waiting for it is given back at once. */
  private async claim(request: KeyedRequest): Promise<Claim | null> {
    const claiming = this.keys.claim(request);
    try {
      return await this.within(claiming);
    } catch (e) {
      if (e instanceof KeyStoreTimeout) {
        claiming.then((late) => late && this.keys.release(late)).catch(() => undefined);
      }
      throw e;
    }
  }

  private async within<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const fail = () => reject(new KeyStoreTimeout(`the key store gave no answer in ${this.storeTimeoutMs} ms`));
      timer = setTimeout(fail, this.storeTimeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function idempotencyConflict(held: KeyRecord, request: KeyedRequest): ApplicationError {
  const first =
    held.actor !== request.actor
      ? "is another actor's"
      : held.route !== request.route
        ? `was first used on ${held.route}`
        : 'was first used with another body';
  return new ApplicationError(
    'IDEMPOTENCY_CONFLICT',
    `Idempotency-Key ${request.key} ${first}; a different request needs a key of its own`,
    [{ path: 'Idempotency-Key', rule: 'IDEMPOTENCY_CONFLICT' }],
  );
}
