// The domain without the policy schema (zod) and the event payload schemas: the entry point of
// workflow code, which Temporal evaluates once per worker (preloaded) rather than per workflow.
export * from './lib/actor';
export * from './lib/calendar';
export * from './lib/credential-set';
export * from './lib/errors';
export * from './lib/fees';
export * from './lib/identifiers';
export * from './lib/launch';
export * from './lib/party';
export * from './lib/policy-model';
export type * from './lib/policy';
