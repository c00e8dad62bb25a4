import { existsSync, readFileSync } from 'node:fs';
import { Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

/**
 * Where the Temporal frontend is and how to reach it: the same settings for the worker's
 * NativeConnection and the API's and CLI's client Connection. With TEMPORAL_TLS_CERT and
 * TEMPORAL_TLS_KEY the connection is mutual TLS (the cluster checks our certificate);
 * TEMPORAL_TLS_CA trusts a private CA; TEMPORAL_TLS_SERVER_NAME checks the server's certificate
 * against another name than the address's host. Each is a path to a PEM file (the name excepted).
 */
export interface TemporalSettings {
  readonly address: string;
  readonly namespace: string;
  /** Absent: plain gRPC (the dev server). */
  readonly tls?: TLSConfig;
}

export const TEMPORAL_TLS_VARIABLES = [
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

/** Reads the settings from the environment; a named file that is missing fails naming its variable. */
export function temporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const address = env['TEMPORAL_ADDRESS'] || 'localhost:7233';
  const namespace = env['TEMPORAL_NAMESPACE'] || 'default';
  const tls = tlsConfig(env);
  return tls ? { address, namespace, tls } : { address, namespace };
}

function tlsConfig(env: NodeJS.ProcessEnv): TLSConfig | undefined {
  const [cert, key, ca, serverName] = TEMPORAL_TLS_VARIABLES.map((name) => env[name] || undefined);
  if (!cert && !key && !ca && !serverName) return undefined;
  if (Boolean(cert) !== Boolean(key)) {
    throw new Error(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: mutual TLS needs both the certificate and its key',
    );
  }
  const crt = pem('TEMPORAL_TLS_CERT', cert);
  const privateKey = pem('TEMPORAL_TLS_KEY', key);
  const root = pem('TEMPORAL_TLS_CA', ca);
  return {
    ...(crt && privateKey ? { clientCertPair: { crt, key: privateKey } } : {}),
    ...(root ? { serverRootCACertificate: root } : {}),
    ...(serverName ? { serverNameOverride: serverName } : {}),
  };
}

function pem(variable: string, file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  if (!existsSync(file)) throw new Error(`${variable}=${file}: no such file (a path to a PEM file)`);
  const content = readFileSync(file);
  if (!content.toString('utf8').includes('-----BEGIN ')) {
    throw new Error(`${variable}=${file}: not a PEM file (no -----BEGIN line)`);
  }
  return content;
}

/** The client connection (API, CLI, the worker's launch activity). */
export function connectClient(settings: TemporalSettings): Promise<Connection> {
  return Connection.connect({ address: settings.address, ...(settings.tls ? { tls: settings.tls } : {}) });
}

/** The worker's own connection. */
export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.address, ...(settings.tls ? { tls: settings.tls } : {}) });
}
