import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { SignupBody } from '../../../contract';
import { restQueries } from '../api/queries';
import { AuthLayout } from '../components/auth-layout';
import { Button, ErrorNote, LoadingBlock } from '../components/feedback';
import { TextField } from '../components/field';
import { useContractForm } from '../forms/use-contract-form';
import { PASSWORD_HINT, roleDescriptions, roleLabels } from '../labels';
import { navigate } from '../routing';
import { useSession } from '../services/session-context';
import { useAppStore } from '../state/store';

const CodeForm = z.object({ code: z.string().trim().min(1, 'is required').max(64) });
const JoinForm = SignupBody.omit({ inviteCode: true });

/** Accepts an invite: from a link (`#/join/<code>`) or a code typed in. */
export function JoinScreen({ code }: { code: string | null }) {
  return code ? <InviteSignup code={code} /> : <EnterCode />;
}

/** Pulls a code out of whatever was pasted: a bare code or a full invite link. */
export function extractInviteCode(input: string): string {
  const trimmed = input.trim();
  const match = /#\/join\/([^/?#\s]+)/.exec(trimmed);
  return match?.[1] ? decodeURIComponent(match[1]) : trimmed;
}

function EnterCode() {
  const form = useContractForm(CodeForm, { code: '' }, { code: 'Invite link or code' });
  const onSubmit = form.submit(({ code }) => Promise.resolve({ ok: true, value: extractInviteCode(code) }), (code) => navigate({ name: 'join', code }));
  return (
    <AuthLayout
      title="Join your team"
      subtitle="Paste the invite link or code your team admin sent you."
      footer={
        <p>
          Already have an account? <a href="#/signin">Sign in</a>
        </p>
      }
    >
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Invite code">
        <TextField label="Invite link or code" autoFocus autoComplete="off" spellCheck={false} {...form.field('code')} />
        <Button type="submit">Continue</Button>
      </form>
    </AuthLayout>
  );
}

function InviteSignup({ code }: { code: string }) {
  const session = useSession();
  const preview = useQuery(restQueries.invitePreview(session.rest, code));
  const form = useContractForm(JoinForm, { name: '', email: '', password: '' }, { name: 'Your name', email: 'Work email', password: 'Password' });
  const onSubmit = form.submit((body) => session.signup({ ...body, inviteCode: code }), () => navigate({ name: 'board' }, { replace: true }));

  const footer = (
    <p>
      Already have an account? <a href="#/signin">Sign in</a>
    </p>
  );

  if (preview.isPending) {
    return (
      <AuthLayout title="Join your team" footer={footer}>
        <LoadingBlock label="Checking your invite…" />
      </AuthLayout>
    );
  }
  if (preview.isError) {
    return (
      <AuthLayout title="This invite can’t be used" footer={footer}>
        <ErrorNote error={preview.error} />
        <a className="btn btn-secondary" href="#/join">
          Enter another code
        </a>
      </AuthLayout>
    );
  }
  const { teamName, role } = preview.data;
  return (
    <AuthLayout
      title={`Join ${teamName}`}
      subtitle={
        <>
          You’re invited as <strong data-testid="invite-role">{roleLabels[role]}</strong>. {roleDescriptions[role]}
        </>
      }
      footer={footer}
    >
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Create your account">
        <TextField label="Your name" autoComplete="name" autoFocus {...form.field('name')} />
        <TextField label="Work email" type="email" autoComplete="email" {...form.field('email')} />
        <TextField label="Password" type="password" autoComplete="new-password" hint={PASSWORD_HINT} {...form.field('password')} />
        <ErrorNote error={form.error}>
          {form.error?.code === 'EMAIL_TAKEN' ? (
            <p>
              <a href="#/signin">Sign in instead</a>
            </p>
          ) : null}
        </ErrorNote>
        <Button type="submit" busy={form.busy} busyLabel="Joining…">
          Join {teamName}
        </Button>
      </form>
    </AuthLayout>
  );
}

/** An invite link opened while signed in. */
export function JoinWhileSignedIn() {
  const session = useSession();
  const me = useAppStore((s) => s.me);
  return (
    <section className="page page-narrow">
      <h1>You’re already signed in</h1>
      <p>
        You are signed in as <strong>{me?.user.name}</strong> on <strong>{me?.team.name}</strong>. To accept this invite with another
        account, sign out first and open the link again.
      </p>
      <div className="actions">
        <a className="btn btn-primary" href="#/board">
          Go to the board
        </a>
        <Button variant="secondary" onClick={() => void session.signOut()}>
          Sign out
        </Button>
      </div>
    </section>
  );
}
