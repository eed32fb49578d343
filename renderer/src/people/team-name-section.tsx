import { RenameTeamBody } from '../../../contract';
import { queryKeys } from '../api/query-keys';
import { Button, ErrorNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { useSession } from '../services/session-context';
import { notify, store, useAppStore } from '../state/store';

/** Admins rename the team (the header and window title follow at once). */
export function TeamNameSection() {
  const session = useSession();
  const me = useAppStore((s) => s.me);
  const form = useContractForm(RenameTeamBody, { name: me?.team.name ?? '' }, { name: 'Team name' });
  const save = form.submit(
    (body) => session.rest.call('renameTeam', { body }),
    ({ team }) => {
      const current = store.get().me;
      if (current) store.set({ me: { ...current, team } });
      void session.queries.invalidateQueries({ queryKey: queryKeys.audit.all });
      notify(`The team is now called ${team.name}.`, 'success');
    },
  );
  if (!me) return null;
  return (
    <div className="panel" aria-labelledby="team-name-title">
      <h2 id="team-name-title">Team name</h2>
      <form className="team-name-form" onSubmit={(e) => void save(e)} noValidate aria-label="Rename the team">
        <TextField label="Team name" autoComplete="off" {...form.field('name')} />
        <Button type="submit" busy={form.busy} busyLabel="Saving…">
          Rename
        </Button>
      </form>
      <ErrorNote error={form.error} />
    </div>
  );
}
