import type { Member, PasswordResetState } from '../../../contract';

/** The link an admin passes on for a reset token, on this team's server (the web app's route). */
export function resetLink(serverUrl: string, token: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/#/reset/${encodeURIComponent(token)}`;
}

/**
 * Whether the typed confirmation names the member: the server's rule (case and spacing do not
 * matter), so the Delete button is enabled exactly when the server would accept it.
 */
export function confirmsName(typed: string, name: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(typed) !== '' && norm(typed) === norm(name);
}

/** What happens on deactivation, said before the admin confirms. */
export function deactivateWarning(member: Pick<Member, 'name'>): string {
  return `${member.name} is signed out everywhere at once, any live call they host or listen to ends for them, and invites they made stop working. Their clips and talk tracks stay, marked (deactivated). You can reactivate them later.`;
}

/** What a reset link that cannot be used says (the page offers no form then). */
export function resetProblem(state: PasswordResetState): string | null {
  switch (state.status) {
    case 'valid':
      return null;
    case 'used':
      return 'This reset link was already used. If you still cannot sign in, ask your admin for a new one.';
    case 'expired':
      return 'This reset link has expired. Ask your admin for a new one.';
    case 'invalid':
      return 'This reset link is not valid: it may have been replaced by a newer one. Ask your admin for a new one.';
  }
}
