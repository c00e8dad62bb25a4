export * from './lib/binaries';
export * from './lib/bundle';
export * from './lib/paths';
export * from './lib/worker';
export * from './lib/connection';
