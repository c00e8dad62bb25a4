import { parseSetRead } from './set-read-query';

describe('the query of GET /credential-sets/:id', () => {
  it('reads the state now from the read model unless strong consistency is asked for', () => {
    expect(parseSetRead({})).toEqual({ asOf: undefined, consistency: 'eventual' });
    expect(parseSetRead({ consistency: 'strong' })).toEqual({ asOf: undefined, consistency: 'strong' });
  });

  it('reads as of an instant by recorded time unless business time is asked for', () => {
    expect(parseSetRead({ asOf: '2023-09-04T00:00:00+08:00' })).toEqual({
      asOf: '2023-09-04T00:00:00+08:00',
      basis: 'RECORDED',
    });
    expect(parseSetRead({ asOf: '2023-09-04T00:00Z', basis: 'business' })).toMatchObject({ basis: 'BUSINESS' });
  });

  it('refuses a malformed value naming its parameter, consistency first', () => {
    expect(() => parseSetRead({ consistency: 'eventually', asOf: 'x' })).toThrow("consistency: 'eventual' or 'strong'");
    expect(() => parseSetRead({ asOf: '2023-09-04' })).toThrow('asOf: an ISO-8601 instant with offset');
    expect(() => parseSetRead({ asOf: '2023-02-29T00:00:00Z' })).toThrow('asOf: an ISO-8601 instant with offset');
    expect(() => parseSetRead({ asOf: '9999-01-01T00:00:00Z' })).toThrow('asOf: between 2000-01-01 and 2100-01-01');
    expect(() => parseSetRead({ asOf: '2023-09-04T00:00:00Z', basis: 'wall' })).toThrow(
      "basis: 'recorded' or 'business'",
    );
  });

  it('ignores basis without asOf, as it always has', () => {
    expect(parseSetRead({ basis: 'wall' })).toEqual({ asOf: undefined, consistency: 'eventual' });
  });
});
