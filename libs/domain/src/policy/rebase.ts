import { addDays, daysBetween, isLocalDate, type LocalDate } from './calendar';
import { loadPolicy } from './loader';
import { PolicyError, type CampaignPolicy } from './schema';

/**
 * A later notice sets the day the old credential stops on a platform (e.g. CZ_PROCUREMENT):
 * the amended policy is a new version of the same campaign.
 */
export function setPlatformStopDay(policy: CampaignPolicy, platform: string, day: LocalDate): CampaignPolicy {
  if (!Object.hasOwn(policy.platforms, platform)) {
    throw new PolicyError([
      { path: `platforms.${platform}`, rule: `unknown platform; known: ${Object.keys(policy.platforms).join(', ')}` },
    ]);
  }
  return loadPolicy({
    ...policy,
    version: policy.version + 1,
    platforms: { ...policy.platforms, [platform]: { ...policy.platforms[platform], oldCredentialStopsOn: day } },
  });
}

// ---- Rebasing --------------------------------------------------------------------------------

/**
 * Shifts the whole calendar so that the campaign opens on the day nearest `startOn` (on or before it
 * by default, so the rehearsal is already open that day; or on or after it) that falls on the same
 * weekday as the original opening. Shifting by whole weeks keeps every interval and every weekday
 * rule (suppliers apply on workdays); holidays move with the calendar, so the rehearsal has the
 * same workday pattern as the original. The result is a different campaign id.
 */
export function rebasePolicy(
  policy: CampaignPolicy,
  startOn: LocalDate,
  align: 'onOrBefore' | 'onOrAfter' = 'onOrBefore',
): CampaignPolicy {
  if (!isLocalDate(startOn)) throw new PolicyError([{ path: 'startOn', rule: 'a calendar day YYYY-MM-DD' }]);
  const raw = daysBetween(policy.calendar.applicationsOpen, startOn);
  const shift = (align === 'onOrBefore' ? Math.floor(raw / 7) : Math.ceil(raw / 7)) * 7;
  const move = (d: LocalDate) => addDays(d, shift);
  const c = policy.calendar;
  const origin = policy.rebasedFrom ?? { policyId: policy.id, shiftDays: 0 };
  return loadPolicy({
    ...policy,
    id: `${origin.policyId}.rehearsal-${move(c.applicationsOpen)}`,
    rebasedFrom: { policyId: origin.policyId, shiftDays: origin.shiftDays + shift },
    issuedOn: move(policy.issuedOn),
    workdays: {
      ...policy.workdays,
      holidays: policy.workdays.holidays.map(move),
      adjustedWorkdays: policy.workdays.adjustedWorkdays.map(move),
    },
    calendar: {
      applicationsOpen: move(c.applicationsOpen),
      applicationDeadline: move(c.applicationDeadline),
      supplierApplicationsOpen: move(c.supplierApplicationsOpen),
      completionTarget: move(c.completionTarget),
      transitionWindow: { start: move(c.transitionWindow.start), end: move(c.transitionWindow.end) },
      additionalSetFilingsOpen: move(c.additionalSetFilingsOpen),
    },
    platforms: Object.fromEntries(
      Object.entries(policy.platforms).map(([k, v]) => [
        k,
        { ...v, oldCredentialStopsOn: v.oldCredentialStopsOn === null ? null : move(v.oldCredentialStopsOn) },
      ]),
    ),
  });
}
