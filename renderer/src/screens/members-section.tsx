import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can, Role, SetMenteesBody, type Member } from '../../../contract';
import { restQueries } from '../api/queries';
import { queryKeys } from '../api/query-keys';
import { useNotifiedMutation } from '../api/use-notified-mutation';
import { Avatar } from '../components/avatar';
import { FollowButton } from '../notifications/follow-button';
import { MemberLifecycle } from '../people/member-lifecycle';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { useContractForm } from '../forms/use-contract-form';
import { nameList, roleLabels } from '../labels';
import { useSession } from '../services/session-context';
import { notify, useAppStore } from '../state/store';

/** Team members with roles (admins change them) and mentorships (admins and managers set them). */
export function MembersSection() {
  const session = useSession();
  const me = useAppStore((s) => s.me);
  const queries = useQueryClient();
  const members = useQuery(restQueries.members(session.rest));
  const changeRole = useNotifiedMutation({
    call: ({ member, role }: { member: Member; role: Role }) => session.rest.call('updateMember', { params: { id: member.id }, body: { role } }),
    success: ({ member }) => `${member.name} is now ${roleLabels[member.role].toLowerCase()}.`,
    invalidates: [queryKeys.members],
  });
  const [editing, setEditing] = useState<string | null>(null);
  const [managing, setManaging] = useState<string | null>(null);

  if (!me) return null;
  const isAdmin = can.manageTeam(me.user.role);
  const canAssign = can.assignMentees(me.user.role);

  return (
    <div className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {members.isPending ? (
        <LoadingBlock label="Loading members…" />
      ) : members.isError ? (
        <ErrorNote error={members.error} />
      ) : (
        <MemberList
          members={members.data.members}
          meId={me.user.id}
          isAdmin={isAdmin}
          canAssign={canAssign}
          editing={editing}
          onEdit={setEditing}
          managing={managing}
          onManage={setManaging}
          onRole={(member, role) => changeRole.mutate({ member, role })}
          onSaved={() => {
            setEditing(null);
            void queries.invalidateQueries({ queryKey: queryKeys.members });
          }}
        />
      )}
      {members.data?.members.length === 1 && isAdmin ? (
        <p className="muted">It’s just you so far. Invite teammates above.</p>
      ) : null}
    </div>
  );
}

function MemberList(props: {
  members: Member[];
  meId: string;
  isAdmin: boolean;
  canAssign: boolean;
  editing: string | null;
  onEdit(id: string | null): void;
  /** The member whose lifecycle actions (admins) are open. */
  managing: string | null;
  onManage(id: string | null): void;
  onRole(member: Member, role: Role): void;
  onSaved(): void;
}) {
  const byId = new Map(props.members.map((m) => [m.id, m]));
  const names = (ids: string[]) => ids.map((id) => byId.get(id)?.name).filter((n): n is string => Boolean(n));
  const sorted = [...props.members].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <ul className="members" data-testid="members">
      {sorted.map((member) => {
        const mentees = names(member.menteeIds);
        const mentors = names(member.mentorIds);
        return (
          <li key={member.id} className={member.deactivatedAt === null ? 'member' : 'member member-deactivated'}>
            <div className="member-row">
              <Avatar name={member.name} />
              <div className="member-who">
                <span className="member-name">
                  {member.name}
                  {member.id === props.meId ? <span className="muted"> (you)</span> : null}
                  {member.deactivatedAt !== null ? <span className="badge badge-deactivated">Deactivated</span> : null}
                </span>
                <span className="muted">{member.email}</span>
              </div>
              <div className="member-links">
                {mentors.length > 0 ? <span>Mentored by {nameList(mentors)}</span> : null}
                {mentees.length > 0 ? <span>Mentors {nameList(mentees)}</span> : null}
              </div>
              <div className="member-role">
                {props.isAdmin && member.id !== props.meId ? (
                  <select
                    aria-label={`Role of ${member.name}`}
                    value={member.role}
                    onChange={(e) => props.onRole(member, e.currentTarget.value as Role)}
                  >
                    {Role.options.map((r) => (
                      <option key={r} value={r}>
                        {roleLabels[r]}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className={`badge badge-role-${member.role}`}>{roleLabels[member.role]}</span>
                )}
              </div>
              <FollowButton personId={member.id} name={member.name} />
              {props.canAssign ? (
                <Button
                  variant="ghost"
                  aria-expanded={props.editing === member.id}
                  onClick={() => props.onEdit(props.editing === member.id ? null : member.id)}
                >
                  {props.editing === member.id ? 'Close' : 'Mentees…'}
                </Button>
              ) : null}
              {props.isAdmin && member.id !== props.meId ? (
                <Button
                  variant="ghost"
                  aria-expanded={props.managing === member.id}
                  aria-label={`Manage ${member.name}`}
                  onClick={() => props.onManage(props.managing === member.id ? null : member.id)}
                >
                  Manage…
                </Button>
              ) : null}
            </div>
            {props.managing === member.id ? <MemberLifecycle member={member} onClose={() => props.onManage(null)} /> : null}
            {props.editing === member.id ? (
              <MenteeEditor member={member} members={props.members} onCancel={() => props.onEdit(null)} onSaved={props.onSaved} />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Who `member` mentors: a list field (`menteeIds`) of checkboxes, validated with the contract's `SetMenteesBody`. */
function MenteeEditor({ member, members, onCancel, onSaved }: { member: Member; members: Member[]; onCancel(): void; onSaved(): void }) {
  const session = useSession();
  const form = useContractForm(SetMenteesBody, { menteeIds: member.menteeIds }, { menteeIds: 'Mentees' });
  const others = members.filter((m) => m.id !== member.id && m.deactivatedAt === null).sort((a, b) => a.name.localeCompare(b.name));
  const save = form.submit(
    (body) => session.rest.call('setMentees', { params: { id: member.id }, body }),
    () => {
      notify(`Saved who ${member.name} mentors.`, 'success');
      onSaved();
    },
  );

  return (
    <fieldset className="mentee-editor">
      <legend>People {member.name} mentors</legend>
      {others.length === 0 ? (
        <p className="muted">No one else on the team yet.</p>
      ) : (
        <div className="checks">
          {others.map((m) => (
            <label key={m.id} className="check">
              <input type="checkbox" value={m.id} {...form.form.register('menteeIds')} />
              {m.name} <span className="muted">{roleLabels[m.role]}</span>
            </label>
          ))}
        </div>
      )}
      <ErrorNote error={form.fieldError('menteeIds') ?? form.error} />
      <div className="actions">
        <Button busy={form.busy} busyLabel="Saving…" onClick={() => void save()}>
          Save
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}
