// The barrel the worker bundles: workflow functions and their Update/Query/Signal definitions.
export * from './credential-set.workflow';
export * from './party.workflow';
export * from './launch.workflow';
export * from './search-attributes';
export * from './step-key';
export type * from './activities';
