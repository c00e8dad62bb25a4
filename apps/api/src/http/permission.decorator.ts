import { SetMetadata } from '@nestjs/common';
import type { Permission as PermissionName } from '@certflow/domain';

export const PERMISSION_METADATA = 'certflow:permission';

/**
 * Who may call a route, by permission name (libs/domain/src/access/permissions.ts). Every route
 * declares one, `public` included; routes.spec.ts fails on a route without. Enforcing it is the
 * access issue's work.
 */
export const Permission = (permission: PermissionName) => SetMetadata(PERMISSION_METADATA, permission);
