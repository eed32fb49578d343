import { useState } from 'react';
import { DeletedClipsChoice, type Member, type PasswordResetIssuedReply } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { CopyField } from '../components/copy-field';
import { Button, InfoNote } from '../components/feedback';
import { TextField } from '../components/field';
import { formatDateTime } from '../labels';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';
import { confirmsName, deactivateWarning, resetLink } from './people-labels';

/**
 * An admin's actions on one member (never themselves): a password reset link, deactivate or
 * reactivate, and delete (only once deactivated, typing their name, choosing what happens to
 * their clips). Each asks first and says what it does.
 */
export function MemberLifecycle({ member, onClose }: { member: Member; onClose(): void }) {
  const session = useSession();
  const serverUrl = useAppStore((s) => s.serverUrl);
  const [step, setStep] = useState<'menu' | 'deactivate' | 'delete'>('menu');
  const [link, setLink] = useState<PasswordResetIssuedReply | null>(null);
  const [typed, setTyped] = useState('');
  const [clips, setClips] = useState<DeletedClipsChoice>('keep');
  const invalidates = [queryKeys.members, queryKeys.invites, queryKeys.audit.all];

  const reset = useNotifiedMutation({
    call: () => session.rest.call('issuePasswordReset', { params: { id: member.id } }),
    success: 'Reset link made. Pass it on to them yourself: Bullpen sends no e-mail.',
    invalidates: [queryKeys.audit.all],
    then: (issued) => setLink(issued),
  });
  const deactivate = useNotifiedMutation({
    call: () => session.rest.call('deactivateMember', { params: { id: member.id } }),
    success: `${member.name} is deactivated and signed out everywhere.`,
    invalidates,
    then: () => setStep('menu'),
  });
  const reactivate = useNotifiedMutation({
    call: () => session.rest.call('reactivateMember', { params: { id: member.id } }),
    success: `${member.name} can sign in again.`,
    invalidates,
  });
  const remove = useNotifiedMutation({
    call: () => session.rest.call('deleteMember', { params: { id: member.id }, body: { confirmName: typed, clips } }),
    success: ({ deletedClips, keptClips }) =>
      clips === 'delete' ? `${member.name} was deleted with ${deletedClips} clip${deletedClips === 1 ? '' : 's'}.` : `${member.name} was deleted; ${keptClips} clip${keptClips === 1 ? '' : 's'} kept as Former member.`,
    invalidates: [...invalidates, queryKeys.clips.all, queryKeys.talkTracks.all],
    then: onClose,
  });

  const deactivated = member.deactivatedAt !== null;
  return (
    <div className="member-lifecycle" role="group" aria-label={`Manage ${member.name}`}>
      {step === 'deactivate' ? (
        <div className="confirm" role="alertdialog" aria-label={`Confirm deactivate ${member.name}`}>
          <p>{deactivateWarning(member)}</p>
          <div className="actions">
            <Button variant="danger" busy={deactivate.isPending} busyLabel="Deactivating…" onClick={() => deactivate.mutate()}>
              {`Deactivate ${member.name}`}
            </Button>
            <Button variant="secondary" onClick={() => setStep('menu')}>
              Cancel
            </Button>
          </div>
        </div>
      ) : step === 'delete' ? (
        <form
          className="confirm"
          role="alertdialog"
          aria-label={`Confirm delete ${member.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (confirmsName(typed, member.name)) remove.mutate();
          }}
        >
          <p>
            Deleting {member.name} removes their name and email for good. This cannot be undone. Calls, comments and talk tracks they
            made stay, credited to “Former member”.
          </p>
          <fieldset className="choices">
            <legend>Their clips</legend>
            <label className="check">
              <input type="radio" name="clips" value="keep" checked={clips === 'keep'} onChange={() => setClips('keep')} />
              Keep them in the library, credited to “Former member”
            </label>
            <label className="check">
              <input type="radio" name="clips" value="delete" checked={clips === 'delete'} onChange={() => setClips('delete')} />
              Delete them and their audio
            </label>
          </fieldset>
          <TextField label={`Type ${member.name} to confirm`} value={typed} autoComplete="off" onChange={(e) => setTyped(e.currentTarget.value)} />
          <div className="actions">
            <Button type="submit" variant="danger" busy={remove.isPending} busyLabel="Deleting…" disabled={!confirmsName(typed, member.name)}>
              {`Delete ${member.name}`}
            </Button>
            <Button variant="secondary" onClick={() => setStep('menu')}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="actions">
          {deactivated ? (
            <>
              <Button busy={reactivate.isPending} busyLabel="Reactivating…" onClick={() => reactivate.mutate()}>
                Reactivate
              </Button>
              <Button variant="danger" onClick={() => setStep('delete')}>
                Delete…
              </Button>
            </>
          ) : (
            <>
              <Button variant="secondary" busy={reset.isPending} busyLabel="Making link…" onClick={() => reset.mutate()}>
                {link ? 'New reset link' : 'Password reset link'}
              </Button>
              <Button variant="danger" onClick={() => setStep('deactivate')}>
                Deactivate…
              </Button>
            </>
          )}
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      )}
      {link && !deactivated ? (
        <div className="invite-created">
          <CopyField label={`Reset link for ${member.name}`} value={resetLink(serverUrl, link.token)} testId="reset-link" />
          <InfoNote>Works once, until {formatDateTime(link.expiresAt)}. Using it signs {member.name} out everywhere.</InfoNote>
        </div>
      ) : null}
    </div>
  );
}
