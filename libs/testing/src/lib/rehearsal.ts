import { addDays, loadPolicy, localDateOf, rebasePolicy } from '@certflow/domain';
import changzhou from '@certflow/policies/changzhou-2023.json';

/**
 * The 2023 Changzhou policy for tests on real time: rebased so that the campaign opened
 * `openedDaysAgo` days before today (14: today is inside the transition window; 3: the cut-over is
 * weeks ahead), and every day a workday, so a weekend run does not make the supplier's window refuse.
 */
export function rehearsalPolicy(openedDaysAgo = 14): ReturnType<typeof rebasePolicy> {
  const raw = JSON.parse(JSON.stringify(changzhou)) as {
    workdays: { weekdays: number[]; holidays: string[]; adjustedWorkdays: string[] };
  };
  raw.workdays = { weekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [], adjustedWorkdays: [] };
  const historic = loadPolicy(raw);
  return rebasePolicy(historic, addDays(localDateOf(Date.now(), historic.timeZone), -openedDaysAgo));
}
