import {
  CREDENTIAL_SET_EVENT_SCHEMAS,
  CREDENTIAL_SET_EVENT_TYPES,
  currentSchemaVersion,
  EVENT_PAYLOAD_SCHEMAS,
  PARTY_EVENT_SCHEMAS,
  PARTY_EVENT_TYPES,
  POLICY_EVENT_SCHEMAS,
  POLICY_EVENT_TYPES,
} from '.';

describe('event schemas: one source per event', () => {
  it('list the same event types, in the same order, as the folds know', () => {
    expect(CREDENTIAL_SET_EVENT_TYPES).toEqual(Object.keys(CREDENTIAL_SET_EVENT_SCHEMAS));
    expect(PARTY_EVENT_TYPES).toEqual(Object.keys(PARTY_EVENT_SCHEMAS));
    expect(POLICY_EVENT_TYPES).toEqual(Object.keys(POLICY_EVENT_SCHEMAS));
    expect(Object.keys(EVENT_PAYLOAD_SCHEMAS)).toEqual([
      ...CREDENTIAL_SET_EVENT_TYPES,
      ...PARTY_EVENT_TYPES,
      ...POLICY_EVENT_TYPES,
    ]);
  });

  it('number versions from 1, the last being the one written', () => {
    for (const type of [...CREDENTIAL_SET_EVENT_TYPES, ...PARTY_EVENT_TYPES, ...POLICY_EVENT_TYPES]) {
      expect(Object.keys(EVENT_PAYLOAD_SCHEMAS[type])).toEqual(['1']);
      expect(currentSchemaVersion(type)).toBe(1);
    }
  });

  it('refuse a field no version has', () => {
    expect(EVENT_PAYLOAD_SCHEMAS.FilingAccepted[1]?.safeParse({}).success).toBe(true);
    expect(EVENT_PAYLOAD_SCHEMAS.FilingAccepted[1]?.safeParse({ extra: 1 }).success).toBe(false);
    expect(
      EVENT_PAYLOAD_SCHEMAS.CredentialSetOpened[1]?.safeParse({ setId: 's', firstSetOfParty: 'yes' }).success,
    ).toBe(false);
    // An amendment records the whole policy, held to the policy schema.
    expect(EVENT_PAYLOAD_SCHEMAS.PolicyAmended[1]?.safeParse({ policy: { id: 'p', version: 2 } }).success).toBe(false);
  });
});
