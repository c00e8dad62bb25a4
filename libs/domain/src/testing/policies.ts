import changzhou2023 from '@certflow/policies/changzhou-2023.json';
import { loadPolicy, type CampaignPolicy } from '../policy';
import urumqi2025 from './urumqi-2025.policy.json';

/** The historic 2023 Changzhou campaign, exactly as the shipped policy file says. */
export const changzhouPolicy = (): CampaignPolicy => loadPolicy(changzhou2023);

/**
 * A made-up second campaign: another city, year, time zone (Asia/Urumqi, UTC+6), target platform,
 * dates, validity (24 months), renewal window (60 days), fees and two different payer cells. Every
 * rule test that runs on it proves the rule comes from the policy, not from code.
 */
export const urumqiPolicy = (): CampaignPolicy => loadPolicy(urumqi2025);

/** Raw documents, for tests that break them on purpose. */
export const rawChangzhou = (): unknown => JSON.parse(JSON.stringify(changzhou2023)) as unknown;
export const rawUrumqi = (): unknown => JSON.parse(JSON.stringify(urumqi2025)) as unknown;
