/**
 * What a caller may do, one name per route of the staff API. Every route declares the permission it
 * needs (`@Permission(...)` in apps/api); the access issue will grant them to roles over the
 * jurisdiction tree. `public` is declared, not implied: a route without a declaration fails a test.
 */
export const PERMISSIONS = [
  'public',
  'party.register',
  'party.read',
  'party.filing.submit',
  'party.filing.decide',
  'credentialSet.apply',
  'credentialSet.read',
  'credentialSet.collect',
  'credentialSet.filing.decide',
  'credentialSet.issue',
  'credentialSet.unbindOld',
  'credentialSet.bindNew',
  'credentialSet.renew',
  'credentialSet.reissue',
  'credentialSet.revoke',
  'audit.read',
  'launch.create',
  'launch.read',
  'fees.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
