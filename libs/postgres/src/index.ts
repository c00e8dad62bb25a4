export * from './lib/embedded-postgres';
