// The domain without the policy schema (zod) and the event payload schemas: the entry point of
// workflow code, which Temporal evaluates once per worker (preloaded) rather than per workflow.
export * from './actor';
export * from './policy/calendar';
export * from './credential-set';
export * from './errors';
export * from './fees/fees';
export * from './identifiers/identifiers';
export * from './launch/launch';
export * from './party';
export * from './policy/policy-model';
export type * from './policy';
