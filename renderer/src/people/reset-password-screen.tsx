import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { Password } from '../../../contract';
import { unwrap } from '../api/queries';
import { AuthLayout } from '../components/auth-layout';
import { Button, ErrorNote, InfoNote, LoadingBlock, RetryNote } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { formatDateTime, PASSWORD_HINT } from '../labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';
import { notify, store } from '../state/store';
import { resetProblem } from './people-labels';

const NewPasswordForm = z
  .object({ password: Password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'does not match the new password', path: ['confirm'] });

/**
 * `#/reset/<token>`: an admin-issued reset link. Says at once when the link was used, expired or
 * replaced; otherwise the member chooses a new password (the sign-up policy applies), which
 * signs them out everywhere, and then signs in with it.
 */
export function ResetPasswordScreen({ token }: { token: string }) {
  const session = useSession();
  const state = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => unwrap(session.rest.call('checkPasswordReset', { body: { token } })),
    staleTime: 0,
  });
  const problem = state.data ? resetProblem(state.data) : null;
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={state.data?.status === 'valid' ? `For ${state.data.name} (${state.data.email}) on ${state.data.teamName}` : undefined}
      footer={
        <p>
          <a href="#/signin">Back to sign in</a>
        </p>
      }
    >
      {state.isPending ? (
        <LoadingBlock label="Checking the link…" />
      ) : state.isError ? (
        state.error.code === 'BAD_REQUEST' ? (
          <InfoNote tone="warn">{resetProblem({ status: 'invalid' })}</InfoNote>
        ) : (
          <RetryNote error={state.error} onRetry={() => void state.refetch()} />
        )
      ) : problem ? (
        <InfoNote tone="warn">{problem}</InfoNote>
      ) : state.data.status === 'valid' ? (
        <NewPassword token={token} expiresAt={state.data.expiresAt} onRefused={() => void state.refetch()} />
      ) : null}
    </AuthLayout>
  );
}

function NewPassword({ token, expiresAt, onRefused }: { token: string; expiresAt: number; onRefused(): void }) {
  const session = useSession();
  const form = useContractForm(NewPasswordForm, { password: '', confirm: '' }, { password: 'New password', confirm: 'New password again' });
  const submit = form.submit(
    async ({ password }) => {
      const result = await session.rest.call('completePasswordReset', { body: { token, password } });
      // Used, expired or replaced meanwhile: the check says which.
      if (!result.ok && result.error.code === 'NOT_FOUND') onRefused();
      return result;
    },
    () => {
      notify('Your password was changed. Sign in with it.', 'success');
      // Signed in as this account, the server's push signs this window out too; as someone
      // else (an admin trying the link), they stay signed in.
      navigate({ name: store.get().me ? 'board' : 'signin' }, { replace: true });
    },
  );
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Set a new password">
      <p className="muted">This link works once, until {formatDateTime(expiresAt)}. Choosing a password signs you out everywhere.</p>
      <TextField label="New password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} autoFocus {...form.field('password')} />
      <TextField label="New password again" type="password" autoComplete="new-password" {...form.field('confirm')} />
      <ErrorNote error={form.error} />
      <Button type="submit" busy={form.busy} busyLabel="Saving…">
        Set password
      </Button>
    </form>
  );
}
