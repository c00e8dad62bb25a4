import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalSettings } from './connection';

let dir: string;
let files: { cert: string; key: string; ca: string; notPem: string };

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-tls-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  files = {
    cert: path.join(dir, 'client.pem'),
    key: path.join(dir, 'client.key'),
    ca: path.join(dir, 'ca.pem'),
    notPem: path.join(dir, 'client.der'),
  };
  writeFileSync(files.cert, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  writeFileSync(files.key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(files.ca, '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
  writeFileSync(files.notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Temporal connection settings from the environment', () => {
  it('connects in plain gRPC to localhost:7233, namespace default, when nothing is set', () => {
    expect(temporalSettings({})).toEqual({ address: 'localhost:7233', namespace: 'default' });
  });

  it('reads the address and the namespace', () => {
    expect(temporalSettings({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'certflow' })).toEqual({
      address: 'temporal.internal:7233',
      namespace: 'certflow',
    });
  });

  it('builds mutual TLS from the files the variables name: certificate, key, CA and server name', () => {
    const { tls } = temporalSettings({
      TEMPORAL_TLS_CERT: files.cert,
      TEMPORAL_TLS_KEY: files.key,
      TEMPORAL_TLS_CA: files.ca,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    });
    expect(Buffer.from(tls?.clientCertPair?.crt ?? []).toString()).toContain('MIIB');
    expect(Buffer.from(tls?.clientCertPair?.key ?? []).toString()).toContain('-----BEGIN PRIVATE KEY-----');
    expect(Buffer.from(tls?.serverRootCACertificate ?? []).toString()).toContain('MIIC');
    expect(tls?.serverNameOverride).toBe('frontend.temporal.internal');
  });

  it('trusts a private CA without a client certificate (server-side TLS only)', () => {
    const { tls } = temporalSettings({ TEMPORAL_TLS_CA: files.ca });
    expect(tls?.clientCertPair).toBeUndefined();
    expect(tls?.serverRootCACertificate).toBeDefined();
  });

  it('names the variable whose file is missing', () => {
    const missing = path.join(dir, 'nowhere.pem');
    expect(() => temporalSettings({ TEMPORAL_TLS_CERT: missing, TEMPORAL_TLS_KEY: files.key })).toThrow(
      `TEMPORAL_TLS_CERT=${missing}: no such file`,
    );
    expect(() => temporalSettings({ TEMPORAL_TLS_CA: missing })).toThrow(`TEMPORAL_TLS_CA=${missing}: no such file`);
  });

  it('names the variable whose file is not PEM', () => {
    expect(() => temporalSettings({ TEMPORAL_TLS_CERT: files.cert, TEMPORAL_TLS_KEY: files.notPem })).toThrow(
      /^TEMPORAL_TLS_KEY=.*: not a PEM file/,
    );
  });

  it('refuses a certificate without its key, and a key without its certificate', () => {
    expect(() => temporalSettings({ TEMPORAL_TLS_CERT: files.cert })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() => temporalSettings({ TEMPORAL_TLS_KEY: files.key })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
  });
});
