import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { invalidField } from '@certflow/application';
import { firstHeader, type Headers } from './headers';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * `Idempotency-Key`: a retried step with the same key gets the first answer and takes effect once
 * (it becomes the Workflow Update's id, which Temporal deduplicates within the set's current run).
 */
export function idempotencyKeyFrom(headers: Headers): string | undefined {
  const key = firstHeader(headers, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY.test(key)) throw invalidField('Idempotency-Key', '1-200 characters of A-Z a-z 0-9 . _ : -');
  return key;
}

export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined =>
  idempotencyKeyFrom(ctx.switchToHttp().getRequest<{ headers: Headers }>().headers),
);
