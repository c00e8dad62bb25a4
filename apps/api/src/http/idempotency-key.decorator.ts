import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { invalidField } from '@certflow/application';
import { IDEMPOTENCY_KEY_RULE, isIdempotencyKey } from '@certflow/idempotency';
import { firstHeader, type Headers } from './headers';

/**
 * `Idempotency-Key`: the id grammar (1-128 of `A-Za-z0-9._:-`, a UUID is one); anything else is
 * refused 400 naming the header. The IdempotencyInterceptor keeps the key's first answer in
 * PostgreSQL; the key also goes downstream (the Workflow Update's id, ids derived from it).
 */
export function idempotencyKeyFrom(headers: Headers): string | undefined {
  const key = firstHeader(headers, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!isIdempotencyKey(key)) throw invalidField('Idempotency-Key', IDEMPOTENCY_KEY_RULE);
  return key;
}

export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined =>
  idempotencyKeyFrom(ctx.switchToHttp().getRequest<{ headers: Headers }>().headers),
);
