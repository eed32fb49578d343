import { can } from '../../../contract';
import { useAppStore } from '../state/store';
import { InvitesSection } from './invites-section';
import { MembersSection } from './members-section';
import { RetentionSection } from './retention-section';
import { RecordsSection } from '../metrics/records-section';
import { TalkTrackSettingsSection } from '../talk-tracks/talk-track-settings-section';
import { CallAccessSettingsSection } from '../host-controls/call-access-settings-section';
import { RubricSection } from './rubric-section';
import { StorageSection } from './storage-section';
import { TeamNameSection } from '../people/team-name-section';

/** The team: invites (admins), members with roles and mentors, how long recordings are kept, and storage (admins). */
export function TeamScreen() {
  const me = useAppStore((s) => s.me);
  if (!me) return null;
  return (
    <section className="page" aria-labelledby="team-title">
      <div className="page-head">
        <div>
          <h1 id="team-title">{me.team.name}</h1>
          <p className="muted">
            {can.manageTeam(me.user.role)
              ? 'Invite teammates, set roles and pair mentors with the people they coach.'
              : can.assignMentees(me.user.role)
                ? 'See your team and pair mentors with the people they coach.'
                : 'Who’s on your team and who mentors whom.'}
          </p>
        </div>
      </div>
      {can.manageTeam(me.user.role) ? <InvitesSection /> : null}
      {can.manageTeam(me.user.role) ? <TeamNameSection /> : null}
      <MembersSection />
      <RetentionSection />
      <RecordsSection />
      <CallAccessSettingsSection />
      <TalkTrackSettingsSection />
      <RubricSection />
      {can.manageTeam(me.user.role) ? <StorageSection /> : null}
    </section>
  );
}
