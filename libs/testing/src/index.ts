export * from './lib/system';
export * from './lib/http';
export * from './lib/schemathesis';
export * from './lib/postgres-process';
export * from './lib/rehearsal';
export * from './lib/parties';
export * from './lib/temp-postgres';
