import { randomBytes } from 'node:crypto';
import type { ActorHeader, ApiClient } from './http';

/** The staff and party actors the tests act as. */
export const actors = {
  finance: ['zhang', 'FINANCE_STAFF'],
  supervisor: ['li', 'SUPERVISING_UNIT'],
  window: ['gu', 'SERVICE_WINDOW'],
  contact: ['contact', 'PARTY'],
} as const satisfies Record<string, ActorHeader>;

/** An id no earlier test of this run used (`<prefix>-<6 hex>`): tests do not depend on their order. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

const DAY_MS = 86_400_000;

/** A party body for POST /parties. */
export function expert(id: string, jurisdiction = 'tianning') {
  return {
    partyId: id,
    partyType: 'EVALUATION_EXPERT',
    name: `专家${id}`,
    jurisdiction,
    identifier: '320402198001011234',
    supervisingUnitId: null,
    contact: { name: `专家${id}`, phone: '13812345678' },
  };
}

export function budgetUnit(id: string, jurisdiction = 'wujin') {
  return {
    partyId: id,
    partyType: 'BUDGET_UNIT',
    name: '常州市武进区教育局',
    jurisdiction,
    identifier: '113204120141863027',
    supervisingUnitId: `${jurisdiction}-gov`,
    contact: { name: '王芳', phone: '0519-85681829' },
  };
}

/** Registered at the service window (`actors.window`). */
export function supplier(id: string) {
  return {
    partyId: id,
    partyType: 'FRAMEWORK_SUPPLIER',
    name: '常州某某办公设备有限公司',
    jurisdiction: 'changzhou',
    identifier: '91320400MA1MXK7J1B',
    supervisingUnitId: null,
    contact: { name: '陈', phone: '13912345678' },
  };
}

/** The old credential of a replacement: valid 90 more days, bound on SUCAIYUN. */
export function oldCredential(serial: string) {
  return {
    serial,
    validUntil: new Date(Date.now() + 90 * DAY_MS).toISOString(),
    boundPlatforms: ['SUCAIYUN'],
  };
}

/** The issue step's body: a CA certificate and an e-seal, valid from a second ago for `validForMs`. */
export function components(id: string, validForMs = 360 * DAY_MS) {
  const validity = {
    validFrom: new Date(Date.now() - 1000).toISOString(),
    validUntil: new Date(Date.now() + validForMs).toISOString(),
  };
  return {
    ca: { serial: `CA-${id}`, issuer: '江苏省电子政务证书认证中心', ...validity },
    seal: { serial: `SEAL-${id}`, issuer: '方正国际软件(北京)有限公司', ...validity },
  };
}

/** An expert registered with a set applied for and filed, ready to issue; returns the set id `<id>-a`. */
export async function filedSet(api: ApiClient, id: string): Promise<string> {
  await api.ok('POST', '/parties', expert(id));
  await api.ok('POST', '/credential-sets', { setId: `${id}-a`, partyId: id, kind: 'NEW' });
  await api.ok('POST', `/credential-sets/${id}-a/filing`, { decision: 'ACCEPT' });
  return `${id}-a`;
}
