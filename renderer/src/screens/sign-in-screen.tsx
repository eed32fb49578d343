import { LoginBody, waitInWords } from '../../../contract';
import { clientError } from '../api/errors';
import { AuthLayout } from '../components/auth-layout';
import { Button, ErrorNote, InfoNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useRetryWait } from '../forms/retry-wait';
import { useContractForm } from '../forms/use-contract-form';
import { navigateToLanding } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

export function SignInScreen() {
  const session = useSession();
  const reason = useAppStore((s) => s.signedOutReason);
  const desktop = useAppStore((s) => s.platformKind === 'electron');
  const serverUrl = useAppStore((s) => s.serverUrl);
  const form = useContractForm(LoginBody, { email: '', password: '' }, { email: 'Email', password: 'Password' });
  const onSubmit = form.submit((body) => session.login(body), () => navigateToLanding());
  // After too many failed sign-ins the server names a wait: count it down, then let them retry.
  const wait = useRetryWait(form.error, form.errorAt);
  const throttled = form.error?.code === 'RATE_LIMITED';
  const error = throttled
    ? wait > 0
      ? clientError('RATE_LIMITED', `Too many failed sign-ins. You can try again in ${waitInWords(wait)}.`)
      : null
    : form.error;

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Hear your best reps live, from anywhere."
      footer={
        <>
          <p>
            New to the team? <a href="#/join">Join with an invite</a>
          </p>
          {desktop ? (
            <p className="muted">
              Server: <code>{serverUrl}</code> · <a href="#/settings">Change</a>
            </p>
          ) : null}
        </>
      }
    >
      {reason ? <InfoNote tone="warn">{reason}</InfoNote> : null}
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Sign in">
        <TextField label="Email" type="email" autoComplete="username" autoFocus {...form.field('email')} />
        <TextField label="Password" type="password" autoComplete="current-password" {...form.field('password')} />
        <ErrorNote error={error} />
        <Button type="submit" busy={form.busy} busyLabel="Signing in…" disabled={throttled && wait > 0}>
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
