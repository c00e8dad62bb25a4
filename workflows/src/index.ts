// The barrel the worker bundles: workflow functions and their Update/Query/Signal definitions.
export * from './credential-set.workflow';
export * from './party.workflow';
export * from './launch.workflow';
export * from './policy-amendment';
export * from './search-attributes';
export * from './step-key';
export type * from './activities';
export * from './trust';
export { asAppendFailure, STORE_UNAVAILABLE } from './failures';
export { APPEND_LIMITS } from './append';
export { DUE_STEP_RETRY } from './step-runner';
