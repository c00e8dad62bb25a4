export * from './lib/event.activities';
export * from './lib/launch.activities';
export * from './lib/store-failure';
export * from './lib/credential-set-start.activities';
export * from './lib/policy.activities';
export * from './lib/set-end.activities';
