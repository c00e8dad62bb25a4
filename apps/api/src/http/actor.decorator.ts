import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApplicationError } from '@certflow/application';
import { ROLES, type Actor, type Role } from '@certflow/domain';
import { firstHeader, type Headers } from './headers';

/**
 * Until authentication lands, the actor comes from `X-Actor-Id` and `X-Actor-Role`. Without them
 * the request acts as CERTFLOW_DEFAULT_ACTOR (`id:ROLE`, default `demo-staff:FINANCE_STAFF`); set
 * it to `none` to require the headers. SYSTEM is the timers' role and is never taken from outside.
 */
export function actorFrom(headers: Headers): Actor {
  const id = firstHeader(headers, 'x-actor-id');
  const role = firstHeader(headers, 'x-actor-role');
  if (id === undefined && role === undefined) {
    const fallback = process.env['CERTFLOW_DEFAULT_ACTOR'] ?? 'demo-staff:FINANCE_STAFF';
    if (fallback === 'none') throw new ApplicationError('UNAUTHENTICATED', 'X-Actor-Id and X-Actor-Role are required');
    const [fid, frole] = fallback.split(':');
    return { id: fid ?? 'demo-staff', role: (frole ?? 'FINANCE_STAFF') as Role };
  }
  if (!id || !role || !(ROLES as readonly string[]).includes(role)) {
    throw new ApplicationError(
      'UNAUTHENTICATED',
      `X-Actor-Id and X-Actor-Role (one of ${ROLES.filter((r) => r !== 'SYSTEM').join(', ')}) are required together`,
    );
  }
  if (role === 'SYSTEM') {
    throw new ApplicationError('ROLE_NOT_ALLOWED', 'the SYSTEM role belongs to the workflows, not to requests');
  }
  return { id, role: role as Role };
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor =>
  actorFrom(ctx.switchToHttp().getRequest<{ headers: Headers }>().headers),
);
