import {
  applyDecorators,
  Inject,
  Injectable,
  Logger,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import {
  IdempotencyGate,
  requestHash,
  routeOf,
  type IdempotencyRepository,
  type KeyedRequest,
  type StoredAnswer,
} from '@certflow/idempotency';
import { actorFrom } from './actor.decorator';
import type { Headers } from './headers';
import { idempotencyKeyFrom } from './idempotency-key.decorator';
import { WithIdempotencyKey } from './openapi';
import { toPendingStep, toProblem } from './problem';

interface KeyedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly route?: { readonly path?: unknown };
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  readonly headers: Headers;
}

interface HttpReply {
  readonly statusCode: number;
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** The header on an answer that is the stored first answer to an earlier request with the key. */
export const REPLAYED_HEADER = 'Idempotency-Replayed';

/**
 * Idempotency across workflow runs and API restarts, before the route runs (libs/idempotency):
 * a request with a key gets the key's first answer if it has one, is refused 422 if the key was
 * used for another request, and otherwise runs and leaves its answer when it is final. A request
 * without a key runs as before.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('idempotency');

  // Nest makes the interceptor itself (it is named by class on the routes); the module provides the gate.
  constructor(@Inject(IdempotencyGate) private readonly gate: IdempotencyGate) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = ctx.switchToHttp();
    const req = http.getRequest<KeyedHttpRequest>();
    const key = idempotencyKeyFrom(req.headers);
    if (key === undefined) return next.handle();
    // A promise, not a pipe on the handler: the answer is kept even if the client hangs up.
    return from(this.once(keyedRequest(key, req), http.getResponse<HttpReply>(), next));
  }

  private async once(request: KeyedRequest, res: HttpReply, next: CallHandler): Promise<unknown> {
    const admission = await this.gate.admit(request);
    if (admission.kind === 'replay') return replay(res, admission.answer);
    if (admission.kind === 'unchecked') {
      // The key store is away or hangs: run as without a key (Temporal still deduplicates it in the run).
      this.logger.warn(`Idempotency-Key ${request.key} not checked: ${messageOf(admission.reason)}`);
      return lastValueFrom(next.handle(), { defaultValue: undefined });
    }
    let answer: StoredAnswer | null = null;
    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      answer = { status: res.statusCode, body: JSON.stringify(body) ?? '' };
      return body;
    } catch (e) {
      // Only refusals we can name are answers; a step still pending (202), an outage (503) or
      // anything unexplained is not, and the key is given back for the retry that asks again.
      const problem = toPendingStep(e) ? null : toProblem(e);
      answer = problem ? { status: problem.status, body: JSON.stringify(problem) } : null;
      throw e;
    } finally {
      // Unsettled, the key stays in flight until its lease lapses; a retry then takes it over.
      await this.gate.settle(admission.claim, answer).catch((e: unknown) => {
        this.logger.warn(`Idempotency-Key ${request.key} not settled: ${messageOf(e)}`);
      });
    }
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function keyedRequest(key: string, req: KeyedHttpRequest): KeyedRequest {
  const actor = actorFrom(req.headers);
  const pattern = typeof req.route?.path === 'string' ? req.route.path : req.path;
  return {
    key,
    actor: `${actor.id}:${actor.role}`,
    route: routeOf(req.method, pattern, { ...req.params }),
    requestHash: requestHash(req.body),
  };
}

/** The first answer again: its status and body as they were sent, marked as a replay. */
function replay(res: HttpReply, answer: StoredAnswer): unknown {
  res.status(answer.status);
  res.setHeader(REPLAYED_HEADER, 'true');
  if (answer.status >= 400) res.setHeader('Content-Type', 'application/problem+json');
  return answer.body === '' ? undefined : JSON.parse(answer.body);
}

/** The route keeps its key's first answer (and says so in the OpenAPI document). */
export const Idempotent = () => applyDecorators(UseInterceptors(IdempotencyInterceptor), WithIdempotencyKey());

/** Deletes expired keys now and then; a key past its TTL already counts as new, this only frees the rows. */
export class IdempotencySweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('idempotency');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly everyMs = 60 * 60 * 1000,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.keys.deleteExpired().catch((e: unknown) => {
        this.logger.warn(`expired idempotency keys not swept: ${messageOf(e)}`);
      });
    }, this.everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
