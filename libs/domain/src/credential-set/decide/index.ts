import { DomainError, ValidationError } from '../../errors';
import { isInstant } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommand } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { CredentialSetState } from '../state';
import { applyForCredentialSet } from './apply';
import { bindNewCredential } from './bind-new';
import { collectApplication } from './collect';
import { expireCredentialSet } from './expire';
import { acceptFiling, rejectFiling } from './file';
import { requireExisting } from './guards';
import { issueCredentialSet } from './issue';
import { recordCutOver } from './record-cut-over';
import { reissueCredentialSet } from './reissue';
import { renewCredentialSet } from './renew';
import { revokeCredentialSet } from './revoke';
import { unbindOldCredential } from './unbind-old';

export { renewalOpensAt } from './renew';

/**
 * decide(command, state, policy) → events for one credential set (一套: a CA certificate plus an
 * e-seal; docs/domain.md §3). Time and actor come with the command; nothing here reads the clock.
 */
export function decideCredentialSet(
  command: CredentialSetCommand,
  state: CredentialSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  if (!isInstant(command.at)) throw new ValidationError([{ path: 'at', rule: 'an ISO-8601 instant with offset' }]);
  if (command.type === 'ApplyForCredentialSet') return applyForCredentialSet(command, state, policy);
  requireExisting(state, command.type);
  switch (command.type) {
    case 'CollectApplication':
      return collectApplication(command, state, policy);
    case 'AcceptFiling':
      return acceptFiling(command, state, policy);
    case 'RejectFiling':
      return rejectFiling(command, state, policy);
    case 'IssueCredentialSet':
      return issueCredentialSet(command, state, policy);
    case 'UnbindOldCredential':
      return unbindOldCredential(command, state, policy);
    case 'BindNewCredential':
      return bindNewCredential(command, state, policy);
    case 'RecordCutOver':
      return recordCutOver(command, state, policy);
    case 'ExpireCredentialSet':
      return expireCredentialSet(command, state, policy);
    case 'RenewCredentialSet':
      return renewCredentialSet(command, state, policy);
    case 'ReissueCredentialSet':
      return reissueCredentialSet(command, state, policy);
    case 'RevokeCredentialSet':
      return revokeCredentialSet(command, state, policy);
    default: {
      const unknown: never = command;
      throw new DomainError('INVALID_FIELD', `unknown command ${JSON.stringify(unknown)}`);
    }
  }
}
