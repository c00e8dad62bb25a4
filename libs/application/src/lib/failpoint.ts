import { existsSync, writeFileSync } from 'node:fs';

/**
 * Named failpoints for the crash drills (test/drills/crash.drill-spec.ts): inert unless
 * `CERTFLOW_FAILPOINT` names this point. Then the process writes `CERTFLOW_FAILPOINT_MARKER` (the
 * proof that the kill landed exactly there) and kills itself with SIGKILL, as a crash would; once
 * the marker exists the point is inert again, so a restarted process runs through.
 *
 * The points, in the order an operation passes them:
 * - `register.after-start` (API): the party's workflow started with its registration, before the answer;
 * - `apply.after-party-update` (API): the party opened the slot and started the set, before the answer;
 * - `launch.after-save` (API): the launch's list is stored, before its workflow starts;
 * - `start-set.after-start` (worker): the set's workflow started with its application, before the
 *   activity reports it (the party has not recorded the slot yet);
 * - `launch.after-save` (API): the launch list stored, before its workflow starts;
 * - `append.after:<EventType>` (worker): an append holding that event committed, before the
 *   workflow hears of it (`append.after:PartyRegistered`, `append.after:CredentialSetOpened`).
 */
export function failpoint(name: string): void {
  if (process.env['CERTFLOW_FAILPOINT'] !== name) return;
  const marker = process.env['CERTFLOW_FAILPOINT_MARKER'];
  if (marker) {
    if (existsSync(marker)) return;
    writeFileSync(marker, `${name} ${process.pid}\n`);
  }
  process.kill(process.pid, 'SIGKILL');
}
