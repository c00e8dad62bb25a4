export * from './testing/system';
export * from './testing/http';
export * from './testing/schemathesis';
export * from './testing/postgres-process';
