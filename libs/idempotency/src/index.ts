export * from './lib/idempotent-request';
export * from './lib/idempotency.repository';
export * from './lib/idempotency-gate';
