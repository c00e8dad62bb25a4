import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ROLES, type Actor, type Role } from '@certflow/domain';
import { problem } from '@certflow/campaign';

/**
 * Until authentication lands, the actor comes from `X-Actor-Id` and `X-Actor-Role`. Without them
 * the request acts as CERTFLOW_DEFAULT_ACTOR (`id:ROLE`, default `demo-staff:FINANCE_STAFF`); set
 * it to `none` to require the headers. SYSTEM is the timers' role and is never taken from outside.
 */
export function actorFrom(headers: Record<string, string | string[] | undefined>): Actor {
  const id = first(headers['x-actor-id']);
  const role = first(headers['x-actor-role']);
  if (id === undefined && role === undefined) {
    const fallback = process.env['CERTFLOW_DEFAULT_ACTOR'] ?? 'demo-staff:FINANCE_STAFF';
    if (fallback === 'none') throw problem(401, 'UNAUTHENTICATED', 'X-Actor-Id and X-Actor-Role are required');
    const [fid, frole] = fallback.split(':');
    return { id: fid ?? 'demo-staff', role: (frole ?? 'FINANCE_STAFF') as Role };
  }
  if (!id || !role || !(ROLES as readonly string[]).includes(role)) {
    throw problem(
      401,
      'UNAUTHENTICATED',
      `X-Actor-Id and X-Actor-Role (one of ${ROLES.filter((r) => r !== 'SYSTEM').join(', ')}) are required together`,
    );
  }
  if (role === 'SYSTEM')
    throw problem(403, 'ROLE_NOT_ALLOWED', 'the SYSTEM role belongs to the workflows, not to requests');
  return { id, role: role as Role };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor =>
  actorFrom(ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers),
);

/**
 * `Idempotency-Key`: a retried step with the same key gets the first answer and takes effect once
 * (it becomes the Workflow Update's id, which Temporal deduplicates within the set's current run).
 */
export function idempotencyKeyFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const key = first(headers['idempotency-key']);
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9._:-]{1,200}$/.test(key)) {
    throw problem(400, 'INVALID_FIELD', 'Idempotency-Key: 1-200 characters of A-Z a-z 0-9 . _ : -', {
      errors: [{ path: 'Idempotency-Key', rule: '1-200 characters of A-Z a-z 0-9 . _ : -' }],
    });
  }
  return key;
}

export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined =>
  idempotencyKeyFrom(
    ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers,
  ),
);
