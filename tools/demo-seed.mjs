#!/usr/bin/env node
// Demo data over the staff API: parties of every kind at different stages of the rehearsal.
// Safe to run again: a step already taken answers 409 and is skipped. A step the campaign's
// calendar does not allow yet (`expected`: rule code -> explanation) is reported as what it is.
const api = process.argv[2] ?? 'http://localhost:3000';
let refused = 0;

async function call(method, path, body, actor = ['demo-staff', 'FINANCE_STAFF'], expected = {}) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-actor-id': actor[0], 'x-actor-role': actor[1] },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.ok) return JSON.parse(text);
  const problem = JSON.parse(text);
  if (res.status === 409) return null; // already done on an earlier start
  const explain = expected[problem.rule];
  if (explain) {
    process.stdout.write(`demo: ${explain(problem)}\n`);
    return null;
  }
  refused += 1;
  process.stdout.write(`demo: ${method} ${path} refused: ${problem.detail}\n`);
  return null;
}

const supervisor = ['li-supervisor', 'SUPERVISING_UNIT'];
const window = ['gu-window', 'SERVICE_WINDOW'];
const contact = (name) => ({ name, phone: '0519-85681829' });
const policy = await (await fetch(`${api}/ready`)).json();
void policy;

// A budget unit of 武进区, through its supervising unit: applied, collected, filed, issued.
await call('POST', '/parties', {
  partyId: 'wujin-edu',
  partyType: 'BUDGET_UNIT',
  name: '常州市武进区教育局',
  jurisdiction: 'wujin',
  identifier: '113204120141863027',
  supervisingUnitId: 'wujin-edu',
  contact: contact('王芳'),
});
const now = Date.now();
const year = 364 * 86_400_000;
const component = (serial) => ({
  serial,
  issuer: serial.startsWith('CA') ? '江苏省电子政务证书认证中心' : '方正国际软件(北京)有限公司',
  validFrom: new Date(now).toISOString(),
  validUntil: new Date(now + year).toISOString(),
});
await call(
  'POST',
  '/credential-sets',
  {
    setId: 'wujin-edu-1',
    partyId: 'wujin-edu',
    kind: 'REPLACEMENT',
    oldCredential: {
      serial: 'GX-2022-000123',
      validUntil: new Date(now + 90 * 86_400_000).toISOString(),
      boundPlatforms: ['SUCAIYUN', 'CZ_PROCUREMENT'],
    },
  },
  supervisor,
);
await call('POST', '/credential-sets/wujin-edu-1/collect', undefined, supervisor);
await call('POST', '/credential-sets/wujin-edu-1/filing', { decision: 'ACCEPT' });
await call('POST', '/credential-sets/wujin-edu-1/issue', {
  ca: component('CA-DEMO-0001'),
  seal: component('SEAL-DEMO-0001'),
});

// The city's procurement centre: applied directly to finance, not yet filed.
await call('POST', '/parties', {
  partyId: 'cz-procurement-centre',
  partyType: 'PROCUREMENT_CENTER',
  name: '常州市政府采购中心',
  jurisdiction: 'changzhou',
  identifier: '123204004662839155',
  supervisingUnitId: null,
  contact: contact('张增涛'),
});
await call('POST', '/credential-sets', { setId: 'cz-centre-1', partyId: 'cz-procurement-centre', kind: 'NEW' });

// A framework supplier: registered; it applies at the window on a workday from the supplier opening day.
await call(
  'POST',
  '/parties',
  {
    partyId: 'supplier-xinbei-01',
    partyType: 'FRAMEWORK_SUPPLIER',
    name: '常州某某办公设备有限公司',
    jurisdiction: 'changzhou',
    identifier: '91320400MA1MXK7J1B',
    supervisingUnitId: null,
    contact: { name: '陈', phone: '13912345678' },
  },
  window,
);
// Framework suppliers apply at the service window from their own opening day, on workdays: on the
// first days of the rehearsal this step is refused by the calendar, as the campaign intends.
const later = (why) =>
  `supplier-xinbei-01 is registered; its application waits for the campaign's calendar (${why}), ` +
  'as intended: `npm start` on a later day takes it';
await call(
  'POST',
  '/credential-sets',
  { setId: 'supplier-xinbei-01-1', partyId: 'supplier-xinbei-01', kind: 'NEW' },
  window,
  {
    PARTY_TYPE_NOT_YET_OPEN: (p) =>
      later(`the window takes framework suppliers from ${/open on (\S+)/.exec(p.detail)?.[1] ?? 'a later day'}`),
    NOT_A_WORKDAY: () => later('the window takes applications on workdays only'),
  },
);

// An evaluation expert: registered, applied, filed.
await call('POST', '/parties', {
  partyId: 'expert-zhao',
  partyType: 'EVALUATION_EXPERT',
  name: '赵某',
  jurisdiction: 'tianning',
  identifier: '320402198001011234',
  supervisingUnitId: null,
  contact: { name: '赵某', phone: '13812345678' },
});
await call('POST', '/credential-sets', { setId: 'expert-zhao-1', partyId: 'expert-zhao', kind: 'NEW' });
await call('POST', '/credential-sets/expert-zhao-1/filing', { decision: 'ACCEPT' });

process.stdout.write(`demo data loaded${refused ? ` (${refused} steps refused by the campaign's rules today)` : ''}\n`);
