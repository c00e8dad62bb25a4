export * from './testing/system';
