export * from './lib/actor';
export * from './lib/calendar';
export * from './lib/credential-set';
export * from './lib/errors';
export * from './lib/fees';
export * from './lib/identifiers';
export * from './lib/party';
export * from './lib/policy';
