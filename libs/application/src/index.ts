export * from './lib/application-error';
export * from './lib/failpoint';
