import { SetupBody } from '../../../contract';
import { AuthLayout } from '../components/auth-layout';
import { Button, ErrorNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { PASSWORD_HINT } from '../labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';

/** First run: create the team; the person becomes its admin. */
export function SetupScreen() {
  const session = useSession();
  const form = useContractForm(
    SetupBody,
    { teamName: '', name: '', email: '', password: '' },
    { teamName: 'Team name', name: 'Your name', email: 'Work email', password: 'Password' },
  );

  const onSubmit = form.submit((body) => session.setup(body), () => navigate({ name: 'board' }, { replace: true }));

  return (
    <AuthLayout
      title="Set up your team"
      subtitle="Welcome to Bullpen. Create your team to start sharing live calls. You’ll be its admin and can invite teammates next."
    >
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Create team">
        <TextField label="Team name" placeholder="e.g. Acme West Sales" autoComplete="organization" autoFocus {...form.field('teamName')} />
        <TextField label="Your name" autoComplete="name" {...form.field('name')} />
        <TextField label="Work email" type="email" autoComplete="email" {...form.field('email')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          {...form.field('password')}
        />
        <ErrorNote error={form.error} />
        <Button type="submit" busy={form.busy} busyLabel="Creating team…">
          Create team
        </Button>
      </form>
    </AuthLayout>
  );
}
