export * from './testing/credential-set-history';
